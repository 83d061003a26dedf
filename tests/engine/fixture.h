#pragma once

// A small hand-made world for the engine's unit tests: three governments, two
// vendors and three labs with round numbers, and coefficients whose random
// channels are switched off unless a test turns them on. Nothing here reads
// Lua or scenario files, so every expectation can be worked out by hand.
#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/catalogue.h"
#include "engine/coefficients.h"
#include "engine/orders.h"
#include "engine/resolve.h"
#include "engine/scenario.h"
#include "engine/state.h"

namespace leadtime::enginetest {

// Actor indices in make_state().
inline constexpr int kUs = 0;
inline constexpr int kCn = 1;
inline constexpr int kEu = 2;
inline constexpr int kUsVendor = 3;
inline constexpr int kCnVendor = 4;
inline constexpr int kUsLab = 5;
inline constexpr int kCnLab = 6;
inline constexpr int kEuLab = 7;
inline constexpr int kActorCount = 8;

// Market and stack indices (kMarketBlocs = US, CN, EU, ROW; kStackBlocs = US, CN, EU).
inline constexpr std::size_t kMUs = 0;
inline constexpr std::size_t kMCn = 1;
inline constexpr std::size_t kMEu = 2;
inline constexpr std::size_t kMRow = 3;
inline constexpr std::size_t kSUs = 0;
inline constexpr std::size_t kSCn = 1;
inline constexpr std::size_t kSEu = 2;

inline Actor make_actor(std::string id, ActorKind kind, Bloc bloc, double cash) {
  Actor a;
  a.name = id;
  a.id = std::move(id);
  a.kind = kind;
  a.bloc = bloc;
  a.cash_usd_b = cash;
  return a;
}

inline Actor make_government(std::string id, Bloc bloc, double budget, double cash) {
  Actor a = make_actor(std::move(id), ActorKind::Government, bloc, cash);
  a.gov.budget_usd_b = budget;
  return a;
}

inline Actor make_vendor(std::string id, Bloc bloc, double capacity, double price, double cash) {
  Actor a = make_actor(std::move(id), ActorKind::Vendor, bloc, cash);
  a.vendor.capacity_h100e = capacity;
  a.policy.chip_price_usd = price;
  return a;
}

inline Actor make_lab(std::string id, Bloc bloc, double compute, double capability, double cash, double model_price) {
  Actor a = make_actor(std::move(id), ActorKind::Lab, bloc, cash);
  a.lab.compute_h100e = compute;
  a.lab.capability_oom = capability;
  a.lab.alg_growth_oom = 0.1;
  a.policy.training_share = 0.5;
  a.policy.chip_spend_share = 0.5;
  a.policy.model_price_usd_per_mtok = model_price;
  return a;
}

// The world every test starts from (indices above):
//   us (budget 10, cash 20), cn (10, 20), eu (5, 10)
//   us_vendor: 1,000,000 H100e a quarter at $20,000; cn_vendor: 100,000 at $10,000
//   us_lab: 1e6 H100e, 26 OOM, $10B, $10/Mtok; cn_lab: 1e5, 25 OOM, $4B, $2/Mtok;
//   eu_lab: 1e5, 24.5 OOM, $2B, $5/Mtok
//   markets US/CN/EU/ROW of $40/30/20/10B with simple shares; SEA hubs 1e5 H100e at $1,000 rent.
inline State make_state(std::uint64_t seed = 7) {
  State s;
  s.seed = seed;
  s.rng = Rng(seed);
  s.quarter = Quarter{2026, 3};
  s.actors = {
      make_government("us", Bloc::US, 10, 20),
      make_government("cn", Bloc::CN, 10, 20),
      make_government("eu", Bloc::EU, 5, 10),
      make_vendor("us_vendor", Bloc::US, 1e6, 20000, 10),
      make_vendor("cn_vendor", Bloc::CN, 1e5, 10000, 2),
      make_lab("us_lab", Bloc::US, 1e6, 26, 10, 10),
      make_lab("cn_lab", Bloc::CN, 1e5, 25, 4, 2),
      make_lab("eu_lab", Bloc::EU, 1e5, 24.5, 2, 5),
  };
  s.markets[kMUs] = Market{40, 0, {0.8, 0.1, 0.1}};
  s.markets[kMCn] = Market{30, 0, {0.1, 0.9, 0.0}};
  s.markets[kMEu] = Market{20, 0, {0.5, 0.1, 0.4}};
  s.markets[kMRow] = Market{10, 0, {0.5, 0.3, 0.2}};
  s.hubs = Hubs{1e5, 0, 1000};
  s.outcomes.scores.assign(s.actors.size(), 0);
  return s;
}

// Defaults from coefficients.h with the random channels off (no talent noise,
// no smuggling exposure, no detection, no theft) and 10% depreciation.
inline Coefficients make_coef() {
  Coefficients c;
  c.depreciation = 0.1;
  c.talent_noise_oom = 0;
  c.talent_drift_oom = 0;
  c.exposure_per_usd_b = 0;
  c.distill_detect_p = 0;
  c.theft_base_p = 0;
  return c;
}

inline Scenario make_scenario(std::uint64_t seed = 7) {
  Scenario sc;
  sc.name = "fixture";
  sc.start = Quarter{2026, 3};
  sc.rounds = 4;
  sc.initial = make_state(seed);
  sc.coef = make_coef();
  sc.objectives.resize(sc.initial.actors.size());
  sc.default_bots.resize(sc.initial.actors.size());
  return sc;
}

inline Actor& actor(State& s, int index) { return s.actors.at(static_cast<std::size_t>(index)); }
inline const Actor& actor(const State& s, int index) { return s.actors.at(static_cast<std::size_t>(index)); }

inline ArgValue text(const char* value) { return ArgValue{std::string(value)}; }

// Validates one draft for an actor; the test fails if the draft is rejected.
inline Order make_order(const State& s, int actor_index, const OrderDraft& draft) {
  const ValidatedOrders v = validate_orders(s, actor_index, {draft});
  for (const OrderError& e : v.errors) FAIL_CHECK(e.message);
  REQUIRE(v.orders.size() == 1);
  return v.orders.front();
}

inline RoundOrders no_orders(const State& s) { return RoundOrders(s.actors.size()); }

// A scenario where every random channel is live: talent noise, smuggling
// exposure, distillation detection, theft, and a coin-flip event.
inline std::shared_ptr<const Scenario> busy_scenario() {
  Scenario sc = make_scenario();
  sc.rounds = 6;
  sc.coef.talent_noise_oom = 0.05;
  sc.coef.exposure_per_usd_b = 0.3;
  sc.coef.distill_detect_p = 0.5;
  sc.coef.theft_base_p = 0.5;
  ScenarioEvent boom;
  boom.id = "boom";
  boom.text = "a market boom";
  boom.probability = 0.5;
  boom.once = false;
  boom.effects = {{"ROW", "size_usd_b", EffectOp::Mul, 1.1}};
  sc.events = {boom};
  sc.objectives[kUs] = {{"lead_months", 1}};
  sc.objectives[kCn] = {{"own_row_share", 10}};
  Actor& us = sc.initial.actors[kUs];
  us.policy.export_tier[1] = 1;
  us.policy.enforcement_usd_b = 1;
  Actor& cn = sc.initial.actors[kCn];
  cn.policy.smuggling_usd_b = 1;
  cn.policy.offshore_rental_usd_b = 0.05;
  cn.policy.cyber_usd_b = 1;
  cn.policy.cyber_target = kUsLab;
  Actor& cn_lab = sc.initial.actors[kCnLab];
  cn_lab.policy.distill_target = kUsLab;
  cn_lab.policy.distill_intensity = 0.5;
  for (Actor& a : sc.initial.actors) {
    if (a.kind == ActorKind::Lab) a.lab.funding_usd_b = 3;
  }
  return std::make_shared<const Scenario>(std::move(sc));
}

}  // namespace leadtime::enginetest
