#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "engine/resolve.h"
#include "engine/views.h"
#include "protocol/convert.h"
#include "protocol/framing.h"
#include "tests/engine/fixture.h"
#include "tests/protocol/helpers.h"

using namespace leadtime;
using namespace leadtime::enginetest;
using namespace leadtime::protocol;
using namespace leadtime::protocoltest;

namespace {

// Sends `bytes` through a decoder and the verifier, as a server would.
std::vector<std::uint8_t> receive(const std::vector<std::uint8_t>& bytes) {
  FrameDecoder d;
  d.feed(bytes);
  auto frame = d.next();
  REQUIRE(frame);
  REQUIRE_MESSAGE(verify_envelope(*frame), verify_envelope(*frame).error);
  return std::move(*frame);
}

void check_same(const OrderDraft& a, const OrderDraft& b) {
  CHECK(a.action == b.action);
  CHECK(a.args == b.args);
}

State view_state() {
  State s = make_state();
  actor(s, kCnLab).lab.offshore_h100e = 5e4;
  compute_outcomes(s, make_scenario());
  s.events = {
      {"public_news", "everyone sees this", Visibility::Public, {}},
      {"weight_theft", "secret for cn and cn_lab", Visibility::Private, {kCn, kCnLab}},
      {"facilitator_note", "facilitator only", Visibility::Facilitator, {}},
  };
  return s;
}

}  // namespace

TEST_CASE("convert: order drafts survive the wire") {
  const std::vector<OrderDraft> drafts = {
      {"set_export_tier", {{"target", text("CN")}, {"tier", 1.0}}},
      {"set_open_weights", {{"on", ArgValue{true}}}},
      {"set_model_price", {{"usd_per_mtok", 2.345678901234567}}},
      {"no_args", {}},
      {"", {{"", text("")}, {"negative", -0.0}, {"off", ArgValue{false}}}},
  };
  flatbuffers::FlatBufferBuilder fbb;
  const auto bytes = frame_message(fbb, 11, build_submit_orders(fbb, drafts));
  const auto payload = receive(bytes);
  const auto* env = verify_envelope(payload).envelope;
  CHECK(env->request_id() == 11);
  const auto* submit = env->message_as_SubmitOrders();
  REQUIRE(submit != nullptr);
  const std::vector<OrderDraft> back = drafts_from_wire(*submit);
  REQUIRE(back.size() == drafts.size());
  for (std::size_t i = 0; i < drafts.size(); ++i) check_same(back[i], drafts[i]);
  // The variant alternative survives, not just the value.
  CHECK(std::holds_alternative<bool>(back[1].args[0].second));
  CHECK(std::holds_alternative<std::string>(back[0].args[0].second));
}

TEST_CASE("convert: validated orders round-trip through drafts and the wire") {
  const State s = make_state();
  const std::vector<OrderDraft> drafts = {
      {"set_chip_budget", {{"share", 0.3}}},
      {"set_model_price", {{"usd_per_mtok", 7.5}}},
      {"set_open_weights", {{"on", ArgValue{true}}}},
  };
  const ValidatedOrders first = validate_orders(s, kUsLab, drafts);
  REQUIRE(first.errors.empty());
  std::vector<OrderDraft> redrafted;
  for (const Order& o : first.orders) redrafted.push_back(to_draft(s, o));

  flatbuffers::FlatBufferBuilder fbb;
  const auto payload = receive(frame_message(fbb, 1, build_submit_orders(fbb, redrafted)));
  const auto back = drafts_from_wire(*verify_envelope(payload).envelope->message_as_SubmitOrders());
  const ValidatedOrders second = validate_orders(s, kUsLab, back);
  CHECK(second.errors.empty());
  CHECK(second.orders == first.orders);
}

TEST_CASE("convert: an argument of an unknown kind reaches the engine as text") {
  flatbuffers::FlatBufferBuilder fbb;
  const auto arg = wire::CreateArgDirect(fbb, "tier", static_cast<wire::ArgKind>(9), 3.0, false, "x");
  std::vector<flatbuffers::Offset<wire::Arg>> args{arg};
  fbb.Finish(wire::CreateOrderDirect(fbb, "set_export_tier", &args));
  const OrderDraft d = from_wire(*flatbuffers::GetRoot<wire::Order>(fbb.GetBufferPointer()));
  REQUIRE(d.args.size() == 1);
  CHECK(d.args[0].second == ArgValue{std::string("x")});
}

TEST_CASE("convert: order errors become rejections") {
  const State s = make_state();
  const ValidatedOrders v = validate_orders(s, kUs,
                                            {{"set_export_tier", {{"target", text("CN")}, {"tier", 1.0}}},
                                             {"set_export_tier", {{"target", text("CN")}, {"tier", 7.0}}},
                                             {"launch_rocket", {}}});
  REQUIRE(v.errors.size() == 2);
  flatbuffers::FlatBufferBuilder fbb;
  const auto payload = receive(frame_message(fbb, 5, build_orders_accepted(fbb, 1, v.errors)));
  const auto* accepted = verify_envelope(payload).envelope->message_as_OrdersAccepted();
  REQUIRE(accepted != nullptr);
  CHECK(accepted->accepted() == 1);
  REQUIRE(accepted->rejected()->size() == 2);
  for (flatbuffers::uoffset_t i = 0; i < 2; ++i) {
    const auto* r = accepted->rejected()->Get(i);
    const OrderError& e = v.errors[i];
    CHECK(r->index() == e.index);
    CHECK(r->action()->str() == e.action);
    CHECK(r->param()->str() == e.param);
    CHECK(r->message()->str() == e.message);
  }
  CHECK(accepted->rejected()->Get(0)->index() == 1);
  CHECK(accepted->rejected()->Get(0)->param()->str() == "tier");
}

TEST_CASE("convert: a seat's view arrives with exact own numbers") {
  State s = view_state();
  actor(s, kUsLab).policy.api_defence_usd_b = 1.25;
  actor(s, kUsLab).policy.allocation_priority = {1, 2, 3};
  actor(s, kUsLab).spent.safety = 0.75;
  actor(s, kUsLab).lab.accelerated = true;
  const View view = make_view(s, make_coef(), kUsLab);
  REQUIRE(view.self);

  flatbuffers::FlatBufferBuilder fbb;
  const auto payload = receive(frame_message(fbb, 0, build_view(fbb, view)));
  const auto* msg = verify_envelope(payload).envelope->message_as_ViewMsg();
  REQUIRE(msg != nullptr);
  CHECK(msg->round() == view.round);
  CHECK(msg->quarter()->str() == "2026Q3");
  CHECK(msg->viewer() == kUsLab);
  CHECK(msg->viewer_id()->str() == "us_lab");
  CHECK(msg->own_score() == view.own_score);

  const Actor& me = *view.self;
  const auto* self = msg->self();
  REQUIRE(self != nullptr);
  CHECK(self->id()->str() == me.id);
  CHECK(self->name()->str() == me.name);
  CHECK(self->kind() == wire::ActorKind::Lab);
  CHECK(self->bloc() == wire::Bloc::US);
  CHECK(self->cash_usd_b() == me.cash_usd_b);
  CHECK(self->policy()->api_defence_usd_b() == 1.25);
  CHECK(self->policy()->chip_spend_share() == me.policy.chip_spend_share);
  CHECK(self->policy()->model_price_usd_per_mtok() == me.policy.model_price_usd_per_mtok);
  CHECK(self->policy()->cyber_target() == kNoActor);
  REQUIRE(self->policy()->export_tier()->size() == kBlocCount);
  CHECK(self->policy()->export_tier()->Get(1) == me.policy.export_tier[1]);
  REQUIRE(self->policy()->allocation_priority()->size() == 3);
  CHECK(self->policy()->allocation_priority()->Get(2) == 3);
  CHECK(self->spent()->safety() == 0.75);
  CHECK(self->spent()->scale() == me.spent.scale);
  CHECK(self->government() == nullptr);
  CHECK(self->vendor() == nullptr);
  REQUIRE(self->lab() != nullptr);
  CHECK(self->lab()->compute_h100e() == me.lab.compute_h100e);
  CHECK(self->lab()->capability_oom() == me.lab.capability_oom);
  CHECK(self->lab()->alg_growth_oom() == me.lab.alg_growth_oom);
  CHECK(self->lab()->accelerated());

  REQUIRE(msg->others()->size() == view.others.size());
  for (flatbuffers::uoffset_t i = 0; i < msg->others()->size(); ++i) {
    const auto* w = msg->others()->Get(i);
    const Estimate& e = view.others[i];
    CHECK(w->actor() == e.actor);
    CHECK(w->id()->str() == e.id);
    CHECK(w->kind() == to_wire(e.kind));
    CHECK(w->bloc() == to_wire(e.bloc));
    CHECK(w->cash_usd_b() == e.cash_usd_b);
    CHECK(w->compute_h100e() == e.compute_h100e);
    CHECK(w->capability_oom() == e.capability_oom);
    CHECK(w->capacity_h100e() == e.capacity_h100e);
    CHECK(w->noise_sd() == e.noise_sd);
  }

  const auto* ind = msg->indicators();
  REQUIRE(ind != nullptr);
  CHECK(ind->lead_months() == view.indicators.lead_months);
  CHECK(ind->compute_ratio_us_cn() == view.indicators.compute_ratio_us_cn);
  CHECK(ind->norm_index() == view.indicators.norm_index);
  CHECK(ind->thefts_public() == view.indicators.thefts_public);
  REQUIRE(ind->markets()->size() == kMarketCount);
  for (flatbuffers::uoffset_t m = 0; m < kMarketCount; ++m) {
    const auto* market = ind->markets()->Get(m);
    CHECK(market->market()->str() == kMarketNames[m]);
    CHECK(market->size_usd_b() == view.indicators.market_size_usd_b[m]);
    REQUIRE(market->shares()->size() == kStackCount);
    for (flatbuffers::uoffset_t st = 0; st < kStackCount; ++st) {
      CHECK(market->shares()->Get(st) == view.indicators.shares[m][st]);
    }
  }

  // The view's events are already filtered: us_lab sees only the public one.
  REQUIRE(msg->events()->size() == view.events.size());
  REQUIRE(view.events.size() == 1);
  CHECK(msg->events()->Get(0)->kind()->str() == "public_news");
  CHECK(msg->events()->Get(0)->text()->str() == "everyone sees this");
  CHECK(msg->events()->Get(0)->visibility() == wire::Visibility::Public);
}

TEST_CASE("convert: a private event keeps its visibility; other kinds carry their own state") {
  const State s = view_state();
  const View gov_view = make_view(s, make_coef(), kCn);
  flatbuffers::FlatBufferBuilder fbb;
  const auto payload = receive(frame_message(fbb, 0, build_view(fbb, gov_view)));
  const auto* msg = verify_envelope(payload).envelope->message_as_ViewMsg();
  REQUIRE(msg != nullptr);
  REQUIRE(msg->self()->government() != nullptr);
  CHECK(msg->self()->lab() == nullptr);
  CHECK(msg->self()->government()->budget_usd_b() == gov_view.self->gov.budget_usd_b);
  bool saw_private = false;
  for (const auto* e : *msg->events()) {
    if (e->kind()->str() == "weight_theft") saw_private = e->visibility() == wire::Visibility::Private;
  }
  CHECK(saw_private);
}

TEST_CASE("convert: an observer's view has no self") {
  const State s = view_state();
  const View view = make_view(s, make_coef(), kNoActor);
  flatbuffers::FlatBufferBuilder fbb;
  const auto payload = receive(frame_message(fbb, 0, build_view(fbb, view)));
  const auto* msg = verify_envelope(payload).envelope->message_as_ViewMsg();
  REQUIRE(msg != nullptr);
  CHECK(msg->viewer() == kNoActor);
  CHECK(msg->viewer_id()->str().empty());
  CHECK(msg->self() == nullptr);
  CHECK(msg->others()->size() == view.others.size());
}

TEST_CASE("convert: round results, errors and the version mismatch text") {
  const State s = view_state();
  const PublicIndicators ind = public_indicators(s, make_coef());
  std::vector<Event> seen;
  for (const Event& e : s.events) {
    if (may_see(e, kCn)) seen.push_back(e);
  }
  flatbuffers::FlatBufferBuilder fbb;
  const auto payload =
      receive(frame_message(fbb, 0, build_round_result(fbb, 3, Quarter{2027, 1}, 0xDEADBEEFCAFEF00DULL, ind, seen)));
  const auto* rr = verify_envelope(payload).envelope->message_as_RoundResult();
  REQUIRE(rr != nullptr);
  CHECK(rr->round() == 3);
  CHECK(rr->quarter()->str() == "2027Q1");
  CHECK(rr->hash() == 0xDEADBEEFCAFEF00DULL);
  CHECK(rr->indicators()->lead_months() == ind.lead_months);
  CHECK(rr->events()->size() == seen.size());

  const std::string text = version_mismatch_text(7);
  CHECK(text.find("7") != std::string::npos);
  CHECK(text.find(std::to_string(kProtocolVersion)) != std::string::npos);
  flatbuffers::FlatBufferBuilder efbb;
  const auto epayload = receive(frame_message(efbb, 12, build_error(efbb, 12, wire::ErrorCode::VersionMismatch, text)));
  const auto* env = verify_envelope(epayload).envelope;
  CHECK(env->request_id() == 12);
  CHECK(env->protocol_version() == kProtocolVersion);
  const auto* err = env->message_as_Error();
  REQUIRE(err != nullptr);
  CHECK(err->request_id() == 12);
  CHECK(err->code() == wire::ErrorCode::VersionMismatch);
  CHECK(err->text()->str() == text);
}
