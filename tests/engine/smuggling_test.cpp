#include <doctest/doctest.h>

#include <cmath>

#include "tests/engine/fixture.h"

using namespace leadtime;
using namespace leadtime::enginetest;

namespace {

// cn_lab has $2B of chip money no legal seller took; China spends $1B on
// smuggling. us_vendor (list $20,000) is the source; markup 2, so the effort
// pays the $20,000 premium per H100e: capacity = 1e9 / 20,000 = 50,000 H100e,
// demand = 2e9 / 20,000 = 100,000 H100e.
State smuggling_state(std::uint64_t seed = 7) {
  State s = make_state(seed);
  actor(s, kUsVendor).vendor.output_h100e = 1e6;
  actor(s, kCnVendor).vendor.output_h100e = 1e5;
  actor(s, kCnLab).lab.chip_money_left_usd_b = 2;
  actor(s, kCn).spent.smuggling = 1;
  return s;
}

Coefficients smuggling_coef() {
  Coefficients c = make_coef();
  c.smuggling_markup = 2;
  c.enforcement_half_usd_b = 2;
  c.eu_alignment_enforcement_usd_b = 2;
  c.exposure_per_usd_b = 0;  // no cases unless a test asks
  c.exposure_enforcement_ref_usd_b = 2;
  c.case_max_usd_b = 3;
  c.case_seized_share = 0.4;
  c.case_fine_usd_b = 0.5;
  c.case_political_gain = 1;
  return c;
}

double arrived_with(double us_enforcement, bool eu_aligned, const Coefficients& coef, std::uint64_t seed = 7) {
  State s = smuggling_state(seed);
  actor(s, kUs).spent.enforcement = us_enforcement;
  actor(s, kEu).policy.chip_control_alignment = eu_aligned;
  smuggle_chips(s, coef);
  return s.flows.smuggled_h100e;
}

}  // namespace

TEST_CASE("smuggling: interdiction is e / (e + half)") {
  CHECK(interdiction(0, 2) == 0.0);
  CHECK(interdiction(-1, 2) == 0.0);
  CHECK(interdiction(2, 2) == doctest::Approx(0.5));
  CHECK(interdiction(6, 2) == doctest::Approx(0.75));
  CHECK(interdiction(1, 3) == doctest::Approx(0.25));
}

TEST_CASE("smuggling: with no enforcement, min(capacity, demand) arrives") {
  State s = smuggling_state();
  smuggle_chips(s, smuggling_coef());
  // min(50,000, 100,000) = 50,000, all arrive.
  CHECK(s.flows.smuggled_h100e == doctest::Approx(50000));
  CHECK(s.flows.seized_h100e == doctest::Approx(0));
  CHECK(s.cum_smuggled_h100e == doctest::Approx(50000));
  const LabState& lab = actor(s, kCnLab).lab;
  CHECK(lab.compute_h100e == doctest::Approx(150000));
  CHECK(lab.bought_h100e == doctest::Approx(50000));
  // The lab pays list price for the attempted volume: 50,000 x $20,000 = $1B of its $2B.
  CHECK(lab.chip_money_left_usd_b == doctest::Approx(1.0));
  CHECK(s.events.empty());
}

TEST_CASE("smuggling: demand caps the volume") {
  State s = smuggling_state();
  actor(s, kCnLab).lab.chip_money_left_usd_b = 0.5;  // demand 25,000 < capacity 50,000
  smuggle_chips(s, smuggling_coef());
  CHECK(s.flows.smuggled_h100e == doctest::Approx(25000));
  CHECK(actor(s, kCnLab).lab.chip_money_left_usd_b == doctest::Approx(0).epsilon(1e-9));
}

TEST_CASE("smuggling: enforcement interdicts (1 - e/(e + half)) arrives") {
  State s = smuggling_state();
  actor(s, kUs).spent.enforcement = 2;  // e = half: half is stopped
  smuggle_chips(s, smuggling_coef());
  CHECK(s.flows.smuggled_h100e == doctest::Approx(25000));
  CHECK(s.flows.seized_h100e == doctest::Approx(25000));
  CHECK(actor(s, kCnLab).lab.compute_h100e == doctest::Approx(125000));
  // The lab still paid for everything it tried to bring in.
  CHECK(actor(s, kCnLab).lab.chip_money_left_usd_b == doctest::Approx(1.0));
  // Enforcement is only spent money: the US standing policy alone does nothing.
  State t = smuggling_state();
  actor(t, kUs).policy.enforcement_usd_b = 2;
  smuggle_chips(t, smuggling_coef());
  CHECK(t.flows.smuggled_h100e == doctest::Approx(50000));
}

TEST_CASE("smuggling: EU chip-control alignment counts as enforcement") {
  const Coefficients coef = smuggling_coef();  // alignment = $2B of enforcement
  // Alignment alone: e = 2 -> 50,000 x 0.5.
  CHECK(arrived_with(0, true, coef) == doctest::Approx(25000));
  // With $2B of US enforcement: e = 4 -> 50,000 x (1 - 4/6) = 16,666.7.
  CHECK(arrived_with(2, true, coef) == doctest::Approx(16666.667));
  CHECK(arrived_with(2, true, coef) < arrived_with(2, false, coef));
  // China's own alignment flag would not count against itself.
  State s = smuggling_state();
  actor(s, kCn).policy.chip_control_alignment = true;
  smuggle_chips(s, coef);
  CHECK(s.flows.smuggled_h100e == doctest::Approx(50000));
}

TEST_CASE("smuggling: more enforcement never increases arrivals") {
  Coefficients coef = smuggling_coef();
  for (const double exposure : {0.0, 0.5}) {
    coef.exposure_per_usd_b = exposure;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      for (bool aligned : {false, true}) {
        double last = 1e18;
        for (double e : {0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 20.0}) {
          const double arrived = arrived_with(e, aligned, coef, seed);
          CHECK(arrived <= last + 1e-9);
          // Alignment on top of the same US enforcement never lets more through.
          if (aligned) CHECK(arrived <= arrived_with(e, false, coef, seed) + 1e-9);
          last = arrived;
        }
        CHECK(last < arrived_with(0, false, coef, seed));
      }
    }
  }
}

TEST_CASE("smuggling: nothing happens without effort or without unmet demand") {
  SUBCASE("no smuggling budget") {
    State s = smuggling_state();
    actor(s, kCn).spent.smuggling = 0;
    const Rng before = s.rng;
    smuggle_chips(s, smuggling_coef());
    CHECK(s.flows.smuggled_h100e == 0.0);
    CHECK(actor(s, kCnLab).lab.chip_money_left_usd_b == 2.0);
    CHECK(s.rng == before);
  }
  SUBCASE("every chip was bought legally") {
    State s = smuggling_state();
    actor(s, kCnLab).lab.chip_money_left_usd_b = 0;
    const Rng before = s.rng;
    smuggle_chips(s, smuggling_coef());
    CHECK(s.flows.smuggled_h100e == 0.0);
    CHECK(actor(s, kCnLab).lab.compute_h100e == doctest::Approx(100000));
    CHECK(s.rng == before);
  }
}

TEST_CASE("smuggling: an exposed case is a public event with a seizure, a fine and US political gain") {
  Coefficients coef = smuggling_coef();
  coef.exposure_per_usd_b = 1e9;  // hazard so large that exposure is certain
  State s = smuggling_state();
  actor(s, kUs).spent.enforcement = 2;
  smuggle_chips(s, coef);
  // 25,000 get past enforcement; the case seizes 40% of them = 10,000.
  CHECK(s.flows.smuggled_h100e == doctest::Approx(15000));
  CHECK(s.flows.seized_h100e == doctest::Approx(25000 + 10000));
  CHECK(actor(s, kCnLab).lab.compute_h100e == doctest::Approx(115000));
  CHECK(actor(s, kCn).cash_usd_b == doctest::Approx(19.5));  // fined $0.5B
  CHECK(actor(s, kUs).gov.political_capital == doctest::Approx(1.0));
  CHECK(actor(s, kEu).gov.political_capital == 0.0);  // the EU spent no enforcement
  REQUIRE(s.events.size() == 1);
  const Event& e = s.events[0];
  CHECK(e.kind == "smuggling_case");
  CHECK(e.visibility == Visibility::Public);
  CHECK(e.audience.empty());
  // Value = min(case max 3, 50,000 x $20,000 = $1B).
  CHECK(e.text == "Smuggling case exposed: $1.0B of diverted AI servers bound for CN; 10k H100e seized");

  // The case value is capped at case_max_usd_b.
  coef.case_max_usd_b = 0.5;
  State capped = smuggling_state();
  smuggle_chips(capped, coef);
  REQUIRE(capped.events.size() == 1);
  CHECK(capped.events[0].text.find("$0.5B of diverted") != std::string::npos);
}

TEST_CASE("smuggling: exposure becomes likelier with volume and enforcement") {
  // hazard = 0.1 per $B x $1B x (1 + e / 2): e = 0 -> p = 1 - e^-0.1 = 0.0952;
  // e = 2 -> p = 1 - e^-0.2 = 0.1813.
  Coefficients coef = smuggling_coef();
  coef.exposure_per_usd_b = 0.1;
  auto rate = [&](double enforcement) {
    int cases = 0;
    constexpr int kSeeds = 4000;
    for (std::uint64_t seed = 0; seed < kSeeds; ++seed) {
      State s = smuggling_state(seed);
      actor(s, kUs).spent.enforcement = enforcement;
      smuggle_chips(s, coef);
      cases += s.events.empty() ? 0 : 1;
    }
    return static_cast<double>(cases) / kSeeds;
  };
  const double lax = rate(0);
  const double tight = rate(2);
  CHECK(lax == doctest::Approx(1 - std::exp(-0.1)).epsilon(0.15));
  CHECK(tight == doctest::Approx(1 - std::exp(-0.2)).epsilon(0.12));
  CHECK(tight > lax);
}
