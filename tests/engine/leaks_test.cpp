#include <doctest/doctest.h>

#include "tests/engine/fixture.h"

using namespace leadtime;
using namespace leadtime::enginetest;

namespace {

// cn_lab (25 OOM) distils us_lab (26 OOM) at full intensity: $0.5B paid of a
// $0.5B full campaign -> i = 1. Defaults: k 0.5, margin 0.1, base defence
// 0.1, API scale 2, law +1, intel +1, defences move half way to their target.
State distil_state(double paid_usd_b = 0.5) {
  State s = make_state();
  Actor& student = actor(s, kCnLab);
  student.policy.distill_target = kUsLab;
  student.policy.distill_intensity = 1;
  student.spent.distillation = paid_usd_b;
  return s;
}

double student_after(State s, const Coefficients& coef) {
  leak_models(s, coef);
  return actor(s, kCnLab).lab.capability_oom;
}

// China's cyber operation on us_lab that always succeeds: base p 1, a
// saturating effort (half = 0) and no weight security.
State theft_state() {
  State s = make_state();
  actor(s, kCn).policy.cyber_target = kUsLab;
  actor(s, kCn).policy.cyber_usd_b = 1;
  actor(s, kCn).spent.cyber = 1;
  return s;
}

Coefficients theft_coef(double discovery_p) {
  Coefficients c = make_coef();
  c.theft_base_p = 1;
  c.cyber_half_usd_b = 0;
  c.theft_discovery_p = discovery_p;
  return c;
}

}  // namespace

TEST_CASE("leaks: defence levels move toward inv / (inv + half)") {
  const Coefficients coef = make_coef();  // half 1, adjust 0.5
  CHECK(defence_level(0, 0, coef) == 0.0);
  CHECK(defence_level(0.2, 3, coef) == doctest::Approx(0.475));  // target 0.75: 0.2 + 0.5 x 0.55
  CHECK(defence_level(0.8, 0, coef) == doctest::Approx(0.4));    // no spending: decays half way to 0
  State s = make_state();
  actor(s, kUsLab).lab.api_defence = 0.2;
  actor(s, kUsLab).spent.api_defence = 3;
  actor(s, kUsLab).lab.weight_security = 0.8;
  leak_models(s, coef);
  CHECK(actor(s, kUsLab).lab.api_defence == doctest::Approx(0.475));
  CHECK(actor(s, kUsLab).lab.weight_security == doctest::Approx(0.4));
}

// engine/leaks.cpp (since 09:27 today): gain = k i/(i + d) x (teacher - student),
// then capped at teacher - margin. docs/engine.md still says
// k i/(i + d) x (teacher - margin - student); see the report.
TEST_CASE("leaks: distillation gain = k i/(i + d) x (teacher - student), capped at teacher - margin") {
  const Coefficients coef = make_coef();
  // d = 0.1: 0.5 x 1/1.1 x (26 - 25 = 1) = 0.454545, below the 25.9 ceiling.
  CHECK(student_after(distil_state(), coef) == doctest::Approx(25.454545));
  // Half intensity: 0.5 x 0.5/0.6 x 1 = 0.416667.
  CHECK(student_after(distil_state(0.25), coef) == doctest::Approx(25.416667));
  // The teacher does not move.
  State s = distil_state();
  leak_models(s, coef);
  CHECK(actor(s, kUsLab).lab.capability_oom == 26.0);
  // No campaign paid for, no gain.
  CHECK(student_after(distil_state(0), coef) == 25.0);
}

TEST_CASE("leaks: the teacher's defence d comes from API defence, the law and intel sharing") {
  const Coefficients coef = make_coef();
  SUBCASE("anti-distillation law: d = 0.1 + 1") {
    State s = distil_state();
    actor(s, kUs).policy.anti_distillation_law = true;
    CHECK(student_after(s, coef) == doctest::Approx(25 + 0.5 / 2.1));  // 25.238095
  }
  SUBCASE("law and threat-intel sharing: d = 0.1 + 1 + 1") {
    State s = distil_state();
    actor(s, kUs).policy.anti_distillation_law = true;
    actor(s, kUs).policy.threat_intel_sharing = true;
    CHECK(student_after(s, coef) == doctest::Approx(25 + 0.5 / 3.1));  // 25.161290
  }
  SUBCASE("API defence 0.5 held by $1B a quarter: d = 0.1 + 2 x 0.5") {
    State s = distil_state();
    actor(s, kUsLab).lab.api_defence = 0.5;
    actor(s, kUsLab).spent.api_defence = 1;  // target 1/(1+1) = 0.5: the level stays
    CHECK(student_after(s, coef) == doctest::Approx(25 + 0.5 / 2.1));
  }
  SUBCASE("the law of the student's own government does not protect the teacher") {
    State s = distil_state();
    actor(s, kCn).policy.anti_distillation_law = true;
    actor(s, kEu).policy.threat_intel_sharing = true;
    CHECK(student_after(s, coef) == doctest::Approx(25.454545));
  }
}

TEST_CASE("leaks: a student never gets closer than the margin below its teacher") {
  Coefficients coef = make_coef();
  coef.distill_k = 1;
  // Intensity 2e6: the factor is all but 1.
  const double after = student_after(distil_state(1e6), coef);
  CHECK(after <= 26 - 0.1);
  CHECK(after == doctest::Approx(25.9));
  // k = 1, i = 1, d = 0.1 from 25.5: 25.5 + 1/1.1 x 0.5 = 25.9545 is capped at 25.9.
  State near = distil_state();
  actor(near, kCnLab).lab.capability_oom = 25.5;
  CHECK(student_after(near, coef) == doctest::Approx(25.9));
  // Already past the ceiling: no gain and no loss.
  State s = distil_state();
  actor(s, kCnLab).lab.capability_oom = 25.95;
  CHECK(student_after(s, coef) == 25.95);
  // Repeated quarters approach the ceiling without passing it.
  State t = distil_state();
  for (int q = 0; q < 50; ++q) {
    actor(t, kCnLab).spent.distillation = 0.5;
    leak_models(t, coef);
    CHECK(actor(t, kCnLab).lab.capability_oom <= 25.9 + 1e-12);
  }
  CHECK(actor(t, kCnLab).lab.capability_oom == doctest::Approx(25.9));
}

TEST_CASE("leaks: stronger API defence never raises the student's capability") {
  const Coefficients coef = make_coef();
  for (bool law : {false, true}) {
    double last = 1e9;
    for (double level : {0.0, 0.1, 0.25, 0.5, 0.75, 1.0}) {
      State s = distil_state();
      actor(s, kUs).policy.anti_distillation_law = law;
      actor(s, kUsLab).lab.api_defence = level;
      actor(s, kUsLab).spent.api_defence = level >= 1 ? 1e9 : level / (1 - level);  // hold the level
      const double after = student_after(s, coef);
      CHECK(after <= last);
      CHECK(after >= 25.0);
      last = after;
    }
    CHECK(last < student_after(distil_state(), coef));
  }
}

TEST_CASE("leaks: a detected campaign is a public event") {
  Coefficients coef = make_coef();
  coef.distill_detect_p = 1;
  coef.distill_base_defence = 1e12;  // p = 1 x d/(d + 1), all but 1
  State s = distil_state();
  leak_models(s, coef);
  REQUIRE(s.events.size() == 1);
  CHECK(s.events[0].kind == "distillation_detected");
  CHECK(s.events[0].visibility == Visibility::Public);
  CHECK(s.events[0].text == "Distillation campaign detected: accounts linked to cn_lab harvested outputs of us_lab");
}

TEST_CASE("leaks: a successful theft gives the thief's best lab the victim's capability") {
  SUBCASE("discovered: public") {
    State s = theft_state();
    leak_models(s, theft_coef(1));
    CHECK(actor(s, kCnLab).lab.capability_oom == 26.0);
    CHECK(actor(s, kUsLab).lab.capability_oom == 26.0);
    CHECK(actor(s, kEuLab).lab.capability_oom == 24.5);
    CHECK(s.flows.thefts == 1);
    CHECK(s.thefts_total == 1);
    REQUIRE(s.events.size() == 1);
    CHECK(s.events[0].kind == "weight_theft");
    CHECK(s.events[0].visibility == Visibility::Public);
    CHECK(s.events[0].text == "Model weights of us_lab stolen by a cyber operation from CN");
  }
  SUBCASE("undiscovered: only the thief's government knows") {
    State s = theft_state();
    leak_models(s, theft_coef(0));
    CHECK(actor(s, kCnLab).lab.capability_oom == 26.0);
    REQUIRE(s.events.size() == 1);
    CHECK(s.events[0].visibility == Visibility::Private);
    CHECK(s.events[0].audience == std::vector<int>{kCn});
    CHECK(s.events[0].text == "Model weights of us_lab stolen by a cyber operation from CN (undiscovered)");
  }
  SUBCASE("a thief already ahead keeps its own capability") {
    State s = theft_state();
    actor(s, kCn).policy.cyber_target = kEuLab;
    leak_models(s, theft_coef(1));
    CHECK(actor(s, kCnLab).lab.capability_oom == 25.0);
    CHECK(s.thefts_total == 1);
  }
  SUBCASE("full weight security stops it") {
    State s = theft_state();
    Coefficients coef = theft_coef(1);
    coef.defence_adjust = 0;  // keep the level at 1 through the update
    actor(s, kUsLab).lab.weight_security = 1;
    leak_models(s, coef);
    CHECK(actor(s, kCnLab).lab.capability_oom == 25.0);
    CHECK(s.thefts_total == 0);
    CHECK(s.events.empty());
  }
  SUBCASE("no budget paid, no operation") {
    State s = theft_state();
    actor(s, kCn).spent.cyber = 0;
    leak_models(s, theft_coef(1));
    CHECK(actor(s, kCnLab).lab.capability_oom == 25.0);
  }
}

TEST_CASE("leaks: theft chance = base x effort x (1 - weight security)") {
  // base 0.6, effort 1/(1 + 1) = 0.5, security 0.5 -> p = 0.15.
  Coefficients coef = make_coef();
  coef.theft_base_p = 0.6;
  coef.cyber_half_usd_b = 1;
  coef.defence_adjust = 0;
  int thefts = 0;
  constexpr int kSeeds = 4000;
  for (std::uint64_t seed = 0; seed < kSeeds; ++seed) {
    State s = theft_state();
    s.rng = Rng(seed);
    actor(s, kUsLab).lab.weight_security = 0.5;
    leak_models(s, coef);
    thefts += s.thefts_total;
  }
  CHECK(static_cast<double>(thefts) / kSeeds == doctest::Approx(0.15).epsilon(0.12));
}

TEST_CASE("leaks: open weights set a capability floor for every lab") {
  const Coefficients coef = make_coef();  // open lag 0.3
  SUBCASE("eu_lab releases 24.5 - 0.3 = 24.2") {
    State s = make_state();
    actor(s, kEuLab).policy.open_weights = true;
    actor(s, kCnLab).lab.capability_oom = 24;
    leak_models(s, coef);
    CHECK(actor(s, kEuLab).lab.open_weights_oom == doctest::Approx(24.2));
    CHECK(actor(s, kCnLab).lab.capability_oom == doctest::Approx(24.2));
    CHECK(actor(s, kUsLab).lab.capability_oom == 26.0);
    CHECK(actor(s, kEuLab).lab.capability_oom == 24.5);
  }
  SUBCASE("us_lab releases 25.7: everyone else is lifted") {
    State s = make_state();
    actor(s, kUsLab).policy.open_weights = true;
    leak_models(s, coef);
    CHECK(actor(s, kCnLab).lab.capability_oom == doctest::Approx(25.7));
    CHECK(actor(s, kEuLab).lab.capability_oom == doctest::Approx(25.7));
    CHECK(actor(s, kUsLab).lab.capability_oom == 26.0);
    // Released weights stay released after the lab stops.
    actor(s, kUsLab).policy.open_weights = false;
    actor(s, kCnLab).lab.capability_oom = 20;
    leak_models(s, coef);
    CHECK(actor(s, kUsLab).lab.open_weights_oom == doctest::Approx(25.7));
    CHECK(actor(s, kCnLab).lab.capability_oom == doctest::Approx(25.7));
  }
  SUBCASE("no release, no floor") {
    State s = make_state();
    actor(s, kCnLab).lab.capability_oom = 20;
    leak_models(s, coef);
    CHECK(actor(s, kCnLab).lab.capability_oom == 20.0);
  }
}

TEST_CASE("leaks: open weights never raise the releasing bloc's stack price") {
  Coefficients coef = make_coef();
  coef.open_price_factor = 0.5;
  State s = make_state();
  CHECK(stack_price(s, Bloc::US, coef) == doctest::Approx(10.0));
  CHECK(stack_price(s, Bloc::CN, coef) == doctest::Approx(2.0));
  actor(s, kUsLab).policy.open_weights = true;
  leak_models(s, coef);
  CHECK(stack_price(s, Bloc::US, coef) == doctest::Approx(5.0));
  CHECK(stack_price(s, Bloc::US, coef) <= 10.0);
  CHECK(stack_price(s, Bloc::CN, coef) == doctest::Approx(2.0));  // other blocs unchanged
  CHECK(stack_price(s, Bloc::SEA, coef) == 0.0);                  // no lab, no price
}
