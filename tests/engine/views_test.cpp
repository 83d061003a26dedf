#include <doctest/doctest.h>

#include <cmath>

#include "engine/hash.h"
#include "engine/views.h"
#include "tests/engine/fixture.h"

using namespace leadtime;
using namespace leadtime::enginetest;

namespace {

// A state after outcomes, with a few events of each visibility.
State view_state(std::uint64_t seed = 7) {
  State s = make_state(seed);
  actor(s, kCnLab).lab.offshore_h100e = 5e4;
  compute_outcomes(s, make_scenario(seed));
  s.events = {
      {"public_news", "everyone sees this", Visibility::Public, {}},
      {"short_of_money", "cn was short", Visibility::Private, {kCn}},
      {"weight_theft", "secret for cn and cn_lab", Visibility::Private, {kCn, kCnLab}},
      {"facilitator_note", "facilitator only", Visibility::Facilitator, {}},
  };
  return s;
}

const Estimate* estimate_of(const View& v, int target) {
  for (const Estimate& e : v.others) {
    if (e.actor == target) return &e;
  }
  return nullptr;
}

bool sees(const View& v, const std::string& kind) {
  for (const Event& e : v.events) {
    if (e.kind == kind) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("views: a seat sees its own state exactly") {
  State s = view_state();
  actor(s, kUsLab).policy.api_defence_usd_b = 1.25;
  actor(s, kUsLab).spent.safety = 0.75;
  const View v = make_view(s, make_coef(), kUsLab);
  CHECK(v.viewer == kUsLab);
  CHECK(v.round == s.round);
  CHECK(v.quarter == s.quarter);
  REQUIRE(v.self.has_value());
  CHECK(v.self->id == "us_lab");
  CHECK(v.self->cash_usd_b == actor(s, kUsLab).cash_usd_b);
  CHECK(v.self->lab.compute_h100e == actor(s, kUsLab).lab.compute_h100e);
  CHECK(v.self->lab.capability_oom == actor(s, kUsLab).lab.capability_oom);
  CHECK(v.self->policy.api_defence_usd_b == 1.25);
  CHECK(v.self->spent.safety == 0.75);
  // Every other actor is estimated once; the viewer is not among them.
  CHECK(v.others.size() == static_cast<std::size_t>(kActorCount - 1));
  CHECK(estimate_of(v, kUsLab) == nullptr);
  CHECK(estimate_of(v, kCnLab) != nullptr);
}

TEST_CASE("views: own score comes from the outcomes") {
  State s = view_state();
  s.outcomes.scores[kEu] = 4.5;
  CHECK(make_view(s, make_coef(), kEu).own_score == 4.5);
}

TEST_CASE("views: estimates of others differ from the truth but are deterministic") {
  const State s = view_state();
  const Coefficients coef = make_coef();  // view noise 0.3
  const View a = make_view(s, coef, kUs);
  const View b = make_view(s, coef, kUs);
  const Estimate* lab = estimate_of(a, kCnLab);
  REQUIRE(lab != nullptr);
  CHECK(lab->id == "cn_lab");
  CHECK(lab->kind == ActorKind::Lab);
  CHECK(lab->bloc == Bloc::CN);
  CHECK(lab->noise_sd == doctest::Approx(0.3));  // no intelligence spending
  CHECK(lab->cash_usd_b != actor(s, kCnLab).cash_usd_b);
  CHECK(lab->compute_h100e != actor(s, kCnLab).lab.compute_h100e + actor(s, kCnLab).lab.offshore_h100e);
  CHECK(lab->capability_oom != actor(s, kCnLab).lab.capability_oom);
  CHECK(lab->capacity_h100e == 0.0);  // not a vendor
  const Estimate* vendor = estimate_of(a, kCnVendor);
  REQUIRE(vendor != nullptr);
  CHECK(vendor->capacity_h100e != actor(s, kCnVendor).vendor.capacity_h100e);
  CHECK(vendor->capacity_h100e > 0.0);
  CHECK(vendor->compute_h100e == 0.0);
  // Same state, same view.
  REQUIRE(a.others.size() == b.others.size());
  for (std::size_t i = 0; i < a.others.size(); ++i) {
    CHECK(a.others[i].cash_usd_b == b.others[i].cash_usd_b);
    CHECK(a.others[i].compute_h100e == b.others[i].compute_h100e);
    CHECK(a.others[i].capability_oom == b.others[i].capability_oom);
    CHECK(a.others[i].capacity_h100e == b.others[i].capacity_h100e);
  }
  // Different viewers, rounds or seeds draw different noise.
  CHECK(estimate_of(make_view(s, coef, kEu), kCnLab)->cash_usd_b != lab->cash_usd_b);
  State later = s;
  later.round = 1;
  CHECK(estimate_of(make_view(later, coef, kUs), kCnLab)->cash_usd_b != lab->cash_usd_b);
  const State other_seed = view_state(8);
  CHECK(estimate_of(make_view(other_seed, coef, kUs), kCnLab)->cash_usd_b != lab->cash_usd_b);
}

TEST_CASE("views: no noise, exact estimates") {
  const State s = view_state();
  Coefficients coef = make_coef();
  coef.view_noise = 0;
  const View v = make_view(s, coef, kUs);
  const Estimate* lab = estimate_of(v, kCnLab);
  REQUIRE(lab != nullptr);
  CHECK(lab->cash_usd_b == doctest::Approx(4.0));
  CHECK(lab->compute_h100e == doctest::Approx(1.5e5));  // installed + offshore
  CHECK(lab->capability_oom == doctest::Approx(25.0));
}

TEST_CASE("views: more intelligence spending narrows the noise") {
  const Coefficients coef = make_coef();  // noise 0.3, half 0.5
  auto mean_abs_log_error = [&](double intelligence) {
    double total = 0;
    int n = 0;
    for (int round = 0; round < 50; ++round) {
      State s = view_state();
      s.round = round;
      for (int viewer : {kUs, kCn, kEu, kUsLab}) {
        actor(s, viewer).spent.intelligence = intelligence;
        const View v = make_view(s, coef, viewer);
        for (const Estimate& e : v.others) {
          const Actor& truth = actor(s, e.actor);
          total += std::abs(std::log(e.cash_usd_b / truth.cash_usd_b));
          ++n;
          if (truth.kind == ActorKind::Lab) {
            total += std::abs(std::log(e.compute_h100e / (truth.lab.compute_h100e + truth.lab.offshore_h100e)));
            ++n;
          }
        }
      }
    }
    return total / n;
  };
  const double none = mean_abs_log_error(0);
  const double some = mean_abs_log_error(0.5);
  const double lots = mean_abs_log_error(5);
  // E|N(0, sd)| = sd x sqrt(2/pi): sd 0.3 -> 0.239; sd 0.15 -> 0.120; sd 0.3 x 0.5/5.5 = 0.0273 -> 0.0218.
  CHECK(none == doctest::Approx(0.239).epsilon(0.1));
  CHECK(some == doctest::Approx(0.120).epsilon(0.1));
  CHECK(lots == doctest::Approx(0.0218).epsilon(0.1));
  CHECK(some < none);
  CHECK(lots < some);
  // The reported sd follows the same formula.
  State s = view_state();
  actor(s, kUs).spent.intelligence = 0.5;
  CHECK(make_view(s, coef, kUs).others[0].noise_sd == doctest::Approx(0.15));
}

TEST_CASE("views: private events reach only their audience, facilitator events no seat") {
  const State s = view_state();
  const Coefficients coef = make_coef();
  const View cn = make_view(s, coef, kCn);
  CHECK(sees(cn, "public_news"));
  CHECK(sees(cn, "short_of_money"));
  CHECK(sees(cn, "weight_theft"));
  CHECK_FALSE(sees(cn, "facilitator_note"));
  const View cn_lab = make_view(s, coef, kCnLab);
  CHECK(sees(cn_lab, "weight_theft"));
  CHECK_FALSE(sees(cn_lab, "short_of_money"));
  for (int viewer : {kUs, kEu, kUsVendor, kCnVendor, kUsLab, kEuLab}) {
    const View v = make_view(s, coef, viewer);
    CHECK(sees(v, "public_news"));
    CHECK_FALSE(sees(v, "short_of_money"));
    CHECK_FALSE(sees(v, "weight_theft"));
    CHECK_FALSE(sees(v, "facilitator_note"));
    CHECK(v.events.size() == 1);
  }
  CHECK(may_see(s.events[0], kNoActor));
  CHECK_FALSE(may_see(s.events[1], kNoActor));
  CHECK_FALSE(may_see(s.events[3], kCn));
}

TEST_CASE("views: observers get public information only") {
  const State s = view_state();
  const View v = make_view(s, make_coef(), kNoActor);
  CHECK(v.viewer == kNoActor);
  CHECK_FALSE(v.self.has_value());
  CHECK(v.others.empty());
  CHECK(v.own_score == 0.0);
  REQUIRE(v.events.size() == 1);
  CHECK(v.events[0].kind == "public_news");
  // The public indicators are the same for an observer and for every seat.
  const View seat = make_view(s, make_coef(), kCn);
  CHECK(v.indicators.lead_months == seat.indicators.lead_months);
  CHECK(v.indicators.compute_ratio_us_cn == seat.indicators.compute_ratio_us_cn);
}

TEST_CASE("views: public indicators are noisy estimates of lead and ratio, exact shares") {
  State s = view_state();
  const Coefficients coef = make_coef();
  const PublicIndicators p = public_indicators(s, coef);
  CHECK(p.lead_months != s.outcomes.lead_months);
  CHECK(p.lead_months == doctest::Approx(s.outcomes.lead_months).epsilon(1.0));  // same sign and scale
  CHECK(p.compute_ratio_us_cn != s.outcomes.compute_ratio_us_cn);
  CHECK(p.compute_ratio_us_cn > 0);
  CHECK(p.shares[kMRow] == s.markets[kMRow].share);
  CHECK(p.market_size_usd_b[kMUs] == s.markets[kMUs].size_usd_b);
  CHECK(p.norm_index == s.outcomes.norm_index);
  CHECK(p.surveillance_exports == doctest::Approx(0.3));
  // Undiscovered thefts are not counted publicly; discovered ones are.
  CHECK(p.thefts_public == 0);
  s.events.push_back({"weight_theft", "public theft", Visibility::Public, {}});
  CHECK(public_indicators(s, coef).thefts_public == 1);
  // Deterministic.
  CHECK(public_indicators(s, coef).lead_months == p.lead_months);
}

TEST_CASE("views: building views never changes the state") {
  State s = view_state();
  const std::uint64_t before = state_hash(s);
  const Rng rng_before = s.rng;
  const Coefficients coef = make_coef();
  for (int viewer = kNoActor; viewer < kActorCount; ++viewer) {
    const View v = make_view(s, coef, viewer);
    CHECK(v.viewer == viewer);
  }
  public_indicators(s, coef);
  CHECK(state_hash(s) == before);
  CHECK(s.rng == rng_before);
}
