#include "protocol/convert.h"

#include <variant>

#include "protocol/wire_fields.h"

namespace leadtime::protocol {

namespace fb = flatbuffers;

namespace {

std::string str_of(const fb::String* s) { return s == nullptr ? std::string() : s->str(); }

}  // namespace

// --- Orders -----------------------------------------------------------------

fb::Offset<fb::Vector<fb::Offset<wire::Arg>>> args_to_wire(fb::FlatBufferBuilder& fbb, const NamedArgs& named) {
  std::vector<fb::Offset<wire::Arg>> args;
  args.reserve(named.size());
  for (const auto& [name, value] : named) {
    const auto name_off = fbb.CreateString(name);
    if (const auto* number = std::get_if<double>(&value)) {
      args.push_back(wire::CreateArg(fbb, name_off, wire::ArgKind::Number, *number));
    } else if (const auto* flag = std::get_if<bool>(&value)) {
      args.push_back(wire::CreateArg(fbb, name_off, wire::ArgKind::Flag, 0.0, *flag));
    } else {
      const auto text = fbb.CreateString(std::get<std::string>(value));
      args.push_back(wire::CreateArg(fbb, name_off, wire::ArgKind::Text, 0.0, false, text));
    }
  }
  return fbb.CreateVector(args);
}

fb::Offset<wire::Order> to_wire(fb::FlatBufferBuilder& fbb, const OrderDraft& draft) {
  const auto arg_vec = args_to_wire(fbb, draft.args);
  const auto action = fbb.CreateString(draft.action);
  return wire::CreateOrder(fbb, action, arg_vec);
}

fb::Offset<wire::SubmitOrders> build_submit_orders(fb::FlatBufferBuilder& fbb, std::span<const OrderDraft> drafts) {
  std::vector<fb::Offset<wire::Order>> orders;
  orders.reserve(drafts.size());
  for (const OrderDraft& d : drafts) orders.push_back(to_wire(fbb, d));
  return wire::CreateSubmitOrders(fbb, fbb.CreateVector(orders));
}

NamedArgs args_from_wire(const fb::Vector<fb::Offset<wire::Arg>>* args) {
  NamedArgs out;
  if (args == nullptr) return out;
  out.reserve(args->size());
  for (const wire::Arg* arg : *args) {
    if (arg == nullptr) continue;  // a verified vector of tables holds none, but be safe
    std::string name = str_of(arg->name());
    switch (arg->kind()) {
      case wire::ArgKind::Number:
        out.emplace_back(std::move(name), ArgValue{arg->number()});
        break;
      case wire::ArgKind::Flag:
        out.emplace_back(std::move(name), ArgValue{arg->flag()});
        break;
      case wire::ArgKind::Text:
      default:
        out.emplace_back(std::move(name), ArgValue{str_of(arg->text())});
        break;
    }
  }
  return out;
}

OrderDraft from_wire(const wire::Order& order) { return {str_of(order.action()), args_from_wire(order.args())}; }

std::vector<OrderDraft> drafts_from_wire(const wire::SubmitOrders& submit) {
  std::vector<OrderDraft> drafts;
  if (const auto* orders = submit.orders()) {
    drafts.reserve(orders->size());
    for (const wire::Order* o : *orders) drafts.push_back(o == nullptr ? OrderDraft{} : from_wire(*o));
  }
  return drafts;
}

fb::Offset<wire::OrderRejection> to_wire(fb::FlatBufferBuilder& fbb, const OrderError& error) {
  return wire::CreateOrderRejectionDirect(fbb, error.index, error.action.c_str(), error.param.c_str(),
                                          error.message.c_str());
}

fb::Offset<wire::OrdersAccepted> build_orders_accepted(fb::FlatBufferBuilder& fbb, std::uint32_t accepted,
                                                       std::span<const OrderError> rejected) {
  std::vector<fb::Offset<wire::OrderRejection>> items;
  items.reserve(rejected.size());
  for (const OrderError& e : rejected) items.push_back(to_wire(fbb, e));
  return wire::CreateOrdersAccepted(fbb, accepted, fbb.CreateVector(items));
}

// --- Views ------------------------------------------------------------------

wire::Bloc to_wire(Bloc bloc) { return static_cast<wire::Bloc>(static_cast<std::uint8_t>(bloc)); }
wire::ActorKind to_wire(ActorKind kind) { return static_cast<wire::ActorKind>(static_cast<std::uint8_t>(kind)); }
wire::Visibility to_wire(Visibility visibility) {
  return static_cast<wire::Visibility>(static_cast<std::uint8_t>(visibility));
}

// The wire enums mirror the engine's one for one; catch a drift at compile time.
static_assert(static_cast<int>(wire::Bloc::MAX) + 1 == kBlocCount);
static_assert(static_cast<int>(wire::Bloc::ROW) == static_cast<int>(Bloc::ROW));
static_assert(static_cast<int>(wire::ActorKind::Lab) == static_cast<int>(ActorKind::Lab));
static_assert(static_cast<int>(wire::Visibility::Facilitator) == static_cast<int>(Visibility::Facilitator));

fb::Offset<wire::PublicIndicators> to_wire(fb::FlatBufferBuilder& fbb, const PublicIndicators& ind) {
  return fb::Offset<wire::PublicIndicators>(wire_fields::write(fbb, ind).o);
}

std::vector<std::string> actor_ids(const State& state) {
  std::vector<std::string> ids;
  ids.reserve(state.actors.size());
  for (const Actor& a : state.actors) ids.push_back(a.id);
  return ids;
}

fb::Offset<fb::Vector<fb::Offset<wire::EventMsg>>> build_events(fb::FlatBufferBuilder& fbb,
                                                                std::span<const Event> events,
                                                                std::span<const std::string> ids) {
  std::vector<fb::Offset<wire::EventMsg>> items;
  items.reserve(events.size());
  for (const Event& e : events) {
    // The engine names the actors of a private event in its audience.
    std::vector<fb::Offset<fb::String>> named;
    for (const int a : e.audience) {
      if (a >= 0 && static_cast<std::size_t>(a) < ids.size() && !ids[static_cast<std::size_t>(a)].empty()) {
        named.push_back(fbb.CreateString(ids[static_cast<std::size_t>(a)]));
      }
    }
    const auto actors = named.empty() ? fb::Offset<fb::Vector<fb::Offset<fb::String>>>() : fbb.CreateVector(named);
    items.emplace_back(wire_fields::write(fbb, e, [&](fb::FlatBufferBuilder& b) {
                         if (!actors.IsNull()) b.AddOffset(wire::EventMsg::VT_ACTORS, actors);
                       }).o);
  }
  return fbb.CreateVector(items);
}

fb::Offset<wire::SelfState> to_wire(fb::FlatBufferBuilder& fbb, const Actor& self) {
  return fb::Offset<wire::SelfState>(wire_fields::write(fbb, self).o);
}

fb::Offset<wire::Estimate> to_wire(fb::FlatBufferBuilder& fbb, const Estimate& e) {
  return fb::Offset<wire::Estimate>(wire_fields::write(fbb, e).o);
}

fb::Offset<wire::ViewMsg> build_view(fb::FlatBufferBuilder& fbb, const View& view) {
  const auto quarter = fbb.CreateString(view.quarter.str());
  const auto viewer_id = fbb.CreateString(view.self ? view.self->id : std::string());
  fb::Offset<wire::SelfState> self;
  if (view.self) self = to_wire(fbb, *view.self);
  std::vector<fb::Offset<wire::Estimate>> others;
  others.reserve(view.others.size());
  for (const Estimate& e : view.others) others.push_back(to_wire(fbb, e));
  const auto others_vec = fbb.CreateVector(others);
  const auto indicators = to_wire(fbb, view.indicators);
  // The view knows every actor's id: its own and those it estimates.
  std::vector<std::string> ids;
  const auto name = [&ids](int actor, const std::string& id) {
    if (actor < 0) return;
    if (ids.size() <= static_cast<std::size_t>(actor)) ids.resize(static_cast<std::size_t>(actor) + 1);
    ids[static_cast<std::size_t>(actor)] = id;
  };
  if (view.self) name(view.viewer, view.self->id);
  for (const Estimate& e : view.others) name(e.actor, e.id);
  const auto events = build_events(fbb, view.events, ids);
  wire::ViewMsgBuilder b(fbb);
  b.add_round(view.round);
  b.add_quarter(quarter);
  b.add_viewer(view.viewer);
  b.add_viewer_id(viewer_id);
  b.add_self(self);
  b.add_own_score(view.own_score);
  b.add_others(others_vec);
  b.add_indicators(indicators);
  b.add_events(events);
  return b.Finish();
}

fb::Offset<wire::RoundResult> build_round_result(fb::FlatBufferBuilder& fbb, int round, const Quarter& quarter,
                                                 std::uint64_t hash, const PublicIndicators& indicators,
                                                 std::span<const Event> events, std::span<const std::string> ids) {
  const auto q = fbb.CreateString(quarter.str());
  const auto ind = to_wire(fbb, indicators);
  const auto ev = build_events(fbb, events, ids);
  return wire::CreateRoundResult(fbb, round, q, hash, ind, ev);
}

// --- Envelopes --------------------------------------------------------------

fb::Offset<wire::Error> build_error(fb::FlatBufferBuilder& fbb, std::uint32_t request_id, wire::ErrorCode code,
                                    std::string_view text) {
  const auto t = fbb.CreateString(text.data(), text.size());
  return wire::CreateError(fbb, request_id, code, t);
}

std::string version_mismatch_text(std::uint16_t client_version) {
  return "client speaks protocol version " + std::to_string(client_version) + " but this server speaks version " +
         std::to_string(kProtocolVersion);
}

}  // namespace leadtime::protocol
