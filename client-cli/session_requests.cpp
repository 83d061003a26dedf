// The requests commands, bots and agents share: submit a set of orders,
// say ready, send press. Each answers with the server's verdict.
#include "client-cli/render_json.h"
#include "client-cli/session.h"
#include "client-cli/wire_read.h"
#include "engine/text.h"
#include "protocol/convert.h"

namespace leadtime::cli {

std::optional<SubmitResult> Session::request_submit(const std::vector<OrderDraft>& orders) {
  flatbuffers::FlatBufferBuilder fbb;
  const Reply reply = call(fbb, protocol::build_submit_orders(fbb, orders));
  if (auto why = failure(reply, wire::Message::OrdersAccepted)) {
    fail("submit: " + *why);
    return std::nullopt;
  }
  return read_orders_accepted(*reply.envelope->message_as_OrdersAccepted());
}

bool Session::submit_orders(std::vector<OrderDraft> orders, SubmitResult* result) {
  const auto r = request_submit(orders);
  if (!r) return false;
  if (result != nullptr) *result = *r;
  std::string text =
      "Submitted " + count_noun(orders.size(), "order") + ": " + std::to_string(r->accepted) + " accepted";
  for (const auto& x : r->rejected) {
    text += "\n  ✗ #" + std::to_string(x.index + 1) + " " + x.message;
  }
  emit(Output{text, typed("orders_accepted", submit_json(*r)), !r->rejected.empty()});
  return r->rejected.empty();
}

bool Session::set_ready(bool ready) {
  flatbuffers::FlatBufferBuilder fbb;
  const int round = model_.round();
  const Reply reply = call(fbb, wire::CreateReady(fbb, ready));
  if (auto why = failure(reply, wire::Message::Ack))
    return fail(std::string(ready ? "ready" : "unready") + ": " + *why);
  if (model_.round() == round) model_.ready = ready;  // not if the round resolved meanwhile
  return true;
}

bool Session::send_press(std::vector<std::string> to, const std::string& text) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<flatbuffers::String>> to_ids;
  for (const auto& id : to) to_ids.push_back(fbb.CreateString(id));
  const Reply reply = call(fbb, wire::CreatePressDirect(fbb, &to_ids, text.c_str()));
  if (auto why = failure(reply, wire::Message::Ack)) return fail("send: " + *why);
  return true;
}

}  // namespace leadtime::cli
