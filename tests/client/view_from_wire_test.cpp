// protocol/view_from_wire: a view sent by build_view() reads back as the
// same engine values, so client-side bots and checks see what the server saw.
#include <doctest/doctest.h>

#include "engine/lua/scenario_loader.h"
#include "engine/match.h"
#include "protocol/convert.h"
#include "protocol/view_from_wire.h"

namespace lt = leadtime;
namespace proto = leadtime::protocol;

TEST_CASE("view_from_wire: every field of a played view survives the round trip") {
  auto loaded = lt::load_scenario_file("scenarios/2028.lua");
  REQUIRE_MESSAGE(loaded.scenario, loaded.error);
  auto scenario = std::make_shared<const lt::Scenario>(std::move(*loaded.scenario));
  lt::Match match(scenario, 3);
  lt::RoundOrders orders(scenario->initial.actors.size());
  const int cn = match.state().find_actor("cn");
  orders[static_cast<std::size_t>(cn)] =
      lt::validate_orders(match.state(), cn,
                          {{"set_cyber_operations", {{"usd_b", 2.0}, {"target", std::string("us_lab")}}}})
          .orders;
  match.play_round(std::move(orders));
  for (const lt::Actor& a : match.state().actors) {
    const int viewer = match.state().find_actor(a.id);
    const lt::View view = lt::make_view(match.state(), scenario->coef, viewer);
    flatbuffers::FlatBufferBuilder fbb;
    proto::finish_envelope(fbb, 0, proto::build_view(fbb, view));
    const auto verified = proto::verify_envelope(std::span<const std::uint8_t>(fbb.GetBufferPointer(), fbb.GetSize()));
    REQUIRE(verified);
    const lt::View back = proto::view_from_wire(*verified.envelope->message_as_ViewMsg());
    CHECK(back.round == view.round);
    CHECK(back.quarter == view.quarter);
    CHECK(back.viewer == view.viewer);
    CHECK(back.own_score == view.own_score);
    REQUIRE(back.self.has_value());
    const lt::Actor& s = *back.self;
    CHECK(s.id == a.id);
    CHECK(s.kind == a.kind);
    CHECK(s.bloc == a.bloc);
    CHECK(s.cash_usd_b == view.self->cash_usd_b);
    CHECK(s.policy.export_tier == view.self->policy.export_tier);
    CHECK(s.policy.cyber_target == view.self->policy.cyber_target);
    CHECK(s.policy.cyber_usd_b == view.self->policy.cyber_usd_b);
    CHECK(s.policy.allocation_priority == view.self->policy.allocation_priority);
    CHECK(s.policy.chip_spend_share == view.self->policy.chip_spend_share);
    CHECK(s.spent.scale == view.self->spent.scale);
    CHECK(s.spent.export_promotion == view.self->spent.export_promotion);
    CHECK(s.gov.budget_usd_b == view.self->gov.budget_usd_b);
    CHECK(s.vendor.capacity_h100e == view.self->vendor.capacity_h100e);
    CHECK(s.lab.capability_oom == view.self->lab.capability_oom);
    CHECK(s.lab.accelerated == view.self->lab.accelerated);
    REQUIRE(back.others.size() == view.others.size());
    for (std::size_t i = 0; i < view.others.size(); ++i) {
      CHECK(back.others[i].actor == view.others[i].actor);
      CHECK(back.others[i].id == view.others[i].id);
      CHECK(back.others[i].kind == view.others[i].kind);
      CHECK(back.others[i].compute_h100e == view.others[i].compute_h100e);
      CHECK(back.others[i].noise_sd == view.others[i].noise_sd);
    }
    CHECK(back.indicators.lead_months == view.indicators.lead_months);
    CHECK(back.indicators.shares == view.indicators.shares);
    CHECK(back.indicators.market_size_usd_b == view.indicators.market_size_usd_b);
    CHECK(back.indicators.thefts_public == view.indicators.thefts_public);
    REQUIRE(back.events.size() == view.events.size());
    for (std::size_t i = 0; i < view.events.size(); ++i) {
      CHECK(back.events[i].kind == view.events[i].kind);
      CHECK(back.events[i].visibility == view.events[i].visibility);
    }
  }
}
