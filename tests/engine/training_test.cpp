#include <doctest/doctest.h>

#include <cmath>

#include "tests/engine/fixture.h"

using namespace leadtime;
using namespace leadtime::enginetest;

TEST_CASE("training: capability = max(old, log10(training H100e) + FLOP per H100e + alg efficiency)") {
  State s = make_state();
  Coefficients coef = make_coef();  // flop_log10_per_h100e 20, no noise, no drift
  actor(s, kUsLab).lab.capability_oom = 25;
  actor(s, kCnLab).lab.offshore_h100e = 1e5;
  train_models(s, coef);
  // us_lab: alg 0 + 0.1 = 0.1; 1e6 x 0.5 = 5e5 -> log10 5e5 = 5.69897; 5.69897 + 20 + 0.1.
  CHECK(actor(s, kUsLab).lab.alg_efficiency_oom == doctest::Approx(0.1));
  CHECK(actor(s, kUsLab).lab.capability_oom == doctest::Approx(std::log10(5e5) + 20.1));
  CHECK(actor(s, kUsLab).lab.capability_oom == doctest::Approx(25.79897));
  // cn_lab trains on installed + offshore: (1e5 + 1e5) x 0.5 = 1e5 -> 5 + 20 + 0.1 = 25.1.
  CHECK(actor(s, kCnLab).lab.capability_oom == doctest::Approx(25.1));
  // eu_lab: 1e5 x 0.5 = 5e4 -> 4.69897 + 20.1 = 24.79897 > 24.5.
  CHECK(actor(s, kEuLab).lab.capability_oom == doctest::Approx(24.79897));
}

TEST_CASE("training: capability never falls") {
  State s = make_state();
  actor(s, kUsLab).lab.capability_oom = 27;  // above what 1e6 H100e can train (25.8)
  train_models(s, make_coef());
  CHECK(actor(s, kUsLab).lab.capability_oom == 27.0);
  // No compute at all: capability stays, algorithms still improve.
  actor(s, kEuLab).lab.compute_h100e = 0;
  const double before = actor(s, kEuLab).lab.capability_oom;
  train_models(s, make_coef());
  CHECK(actor(s, kEuLab).lab.capability_oom == before);
  CHECK(actor(s, kEuLab).lab.alg_efficiency_oom == doctest::Approx(0.2));
}

TEST_CASE("training: the training share scales training compute") {
  State s = make_state();
  actor(s, kCnLab).policy.training_share = 0.1;   // 1e5 x 0.1 = 1e4 -> 4 + 20 + 0.1 = 24.1 < 25
  actor(s, kEuLab).policy.training_share = 0.95;  // 9.5e4 -> 4.977724 + 20.1 = 25.077724
  train_models(s, make_coef());
  CHECK(actor(s, kCnLab).lab.capability_oom == 25.0);
  CHECK(actor(s, kEuLab).lab.capability_oom == doctest::Approx(25.077724));
}

TEST_CASE("training: talent drift is added") {
  State s = make_state();
  Coefficients coef = make_coef();
  coef.talent_drift_oom = 0.05;
  actor(s, kUsLab).lab.capability_oom = 27;
  train_models(s, coef);
  CHECK(actor(s, kUsLab).lab.capability_oom == doctest::Approx(27.05));
}

TEST_CASE("training: accelerated labs multiply their algorithmic progress") {
  State s = make_state();
  Coefficients coef = make_coef();
  coef.accel_multiplier = 3;
  actor(s, kUsLab).lab.accelerated = true;
  actor(s, kUsLab).lab.capability_oom = 20;
  train_models(s, coef);
  // alg: 0 + 0.1 x 3 = 0.3 -> 5.69897 + 20.3.
  CHECK(actor(s, kUsLab).lab.alg_efficiency_oom == doctest::Approx(0.3));
  CHECK(actor(s, kUsLab).lab.capability_oom == doctest::Approx(std::log10(5e5) + 20.3));
  CHECK(actor(s, kCnLab).lab.alg_efficiency_oom == doctest::Approx(0.1));  // not accelerated
}

TEST_CASE("training: talent noise is seeded and drawn once per lab, whatever the state") {
  Coefficients coef = make_coef();
  coef.talent_noise_oom = 0.1;
  State a = make_state(5);
  State b = make_state(5);
  actor(b, kEuLab).lab.compute_h100e = 0;  // a lab that cannot train still draws
  train_models(a, coef);
  train_models(b, coef);
  CHECK(a.rng == b.rng);
  // Three labs, one normal (two words) each.
  Rng expected(5);
  double z[3];
  for (double& v : z) v = expected.normal();
  CHECK(a.rng == expected);
  CHECK(actor(a, kUsLab).lab.alg_efficiency_oom == doctest::Approx(0.1 + 0.1 * z[0]));
  CHECK(actor(a, kCnLab).lab.alg_efficiency_oom == doctest::Approx(0.1 + 0.1 * z[1]));
  CHECK(actor(a, kEuLab).lab.alg_efficiency_oom == doctest::Approx(0.1 + 0.1 * z[2]));
  // A different seed gives a different draw.
  State c = make_state(6);
  train_models(c, coef);
  CHECK(actor(c, kUsLab).lab.alg_efficiency_oom != actor(a, kUsLab).lab.alg_efficiency_oom);
}

TEST_CASE("training: the self-improvement milestone fires once per lab, as a public event") {
  State s = make_state();
  Coefficients coef = make_coef();
  coef.accel_threshold_oom = 26;
  accelerate_research(s, coef);
  // us_lab is at 26 (the threshold counts), the others are below.
  CHECK(actor(s, kUsLab).lab.accelerated);
  CHECK_FALSE(actor(s, kCnLab).lab.accelerated);
  CHECK_FALSE(actor(s, kEuLab).lab.accelerated);
  REQUIRE(s.events.size() == 1);
  CHECK(s.events[0].kind == "self_improvement");
  CHECK(s.events[0].visibility == Visibility::Public);
  CHECK(s.events[0].text == "us_lab passes the self-improvement milestone: AI now accelerates its research");
  // Again: no new event for us_lab.
  accelerate_research(s, coef);
  accelerate_research(s, coef);
  CHECK(s.events.size() == 1);
  // cn_lab crosses later and gets its own single event.
  actor(s, kCnLab).lab.capability_oom = 26.5;
  accelerate_research(s, coef);
  accelerate_research(s, coef);
  REQUIRE(s.events.size() == 2);
  CHECK(s.events[1].text.rfind("cn_lab passes", 0) == 0);
  CHECK(actor(s, kCnLab).lab.accelerated);
}

TEST_CASE("training: the milestone speeds up the next quarters") {
  State s = make_state();
  Coefficients coef = make_coef();
  coef.accel_threshold_oom = 25.5;
  coef.accel_multiplier = 2;
  actor(s, kUsLab).lab.capability_oom = 0;
  // Quarter 1: alg 0.1, capability 25.79897 -> accelerated afterwards.
  train_models(s, coef);
  accelerate_research(s, coef);
  CHECK(actor(s, kUsLab).lab.accelerated);
  // Quarter 2: alg 0.1 + 0.2 = 0.3.
  train_models(s, coef);
  CHECK(actor(s, kUsLab).lab.alg_efficiency_oom == doctest::Approx(0.3));
  CHECK(actor(s, kUsLab).lab.capability_oom == doctest::Approx(std::log10(5e5) + 20.3));
}
