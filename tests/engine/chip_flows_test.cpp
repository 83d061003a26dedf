#include <doctest/doctest.h>

#include "tests/engine/fixture.h"

using namespace leadtime;
using namespace leadtime::enginetest;

namespace {

constexpr std::size_t kBlocCn = 1;
constexpr std::size_t kBlocEu = 2;
constexpr std::size_t kBlocSea = 3;

// Only cn_lab has chip money ($1B); us_vendor has 1e6 H100e at $20,000 to
// sell, cn_vendor nothing unless a test gives it output.
State flows_state() {
  State s = make_state();
  for (int lab : {kUsLab, kCnLab, kEuLab}) actor(s, lab).spent.chips = 0;
  actor(s, kCnLab).spent.chips = 1;
  actor(s, kUsVendor).vendor.output_h100e = 1e6;
  actor(s, kCnVendor).vendor.output_h100e = 0;
  return s;
}

void set_cn_tier(State& s, int tier) { actor(s, kUs).policy.export_tier[kBlocCn] = tier; }

const LabState& cn_lab(const State& s) { return actor(s, kCnLab).lab; }

}  // namespace

TEST_CASE("chip flows: tier 3 sells at list price without limit") {
  State s = flows_state();
  actor(s, kUsVendor).vendor.revenue_usd_b = 99;  // last round's: reset by the step
  sell_chips(s, make_coef());
  // $1B / $20,000 = 50,000 H100e.
  CHECK(cn_lab(s).bought_h100e == doctest::Approx(50000));
  CHECK(cn_lab(s).compute_h100e == doctest::Approx(150000));
  CHECK(cn_lab(s).chip_money_left_usd_b == doctest::Approx(0));
  CHECK(s.flows.legal_h100e[kBlocCn] == doctest::Approx(50000));
  CHECK(s.flows.cn_domestic_h100e == 0.0);
  CHECK(actor(s, kUsVendor).vendor.sold_h100e == doctest::Approx(50000));
  // Revenue: $1B sold here + the unsold 950,000 H100e to the rest of the world at list ($19B).
  CHECK(actor(s, kUsVendor).vendor.revenue_usd_b == doctest::Approx(20.0));
}

TEST_CASE("chip flows: tier 0 sells nothing") {
  State s = flows_state();
  set_cn_tier(s, 0);
  sell_chips(s, make_coef());
  CHECK(cn_lab(s).bought_h100e == 0.0);
  CHECK(cn_lab(s).compute_h100e == doctest::Approx(100000));
  CHECK(cn_lab(s).chip_money_left_usd_b == doctest::Approx(1.0));
  CHECK(s.flows.legal_h100e[kBlocCn] == 0.0);
  CHECK(actor(s, kUsVendor).vendor.sold_h100e == 0.0);
}

TEST_CASE("chip flows: tier 1 sells only a compliant chip, dearer and capped by the budget share") {
  Coefficients coef = make_coef();
  coef.downgraded_price_factor = 1.5;
  coef.downgraded_budget_share = 0.35;
  SUBCASE("no compliant chip offered: nothing") {
    State s = flows_state();
    set_cn_tier(s, 1);
    sell_chips(s, coef);
    CHECK(cn_lab(s).bought_h100e == 0.0);
    CHECK(cn_lab(s).chip_money_left_usd_b == doctest::Approx(1.0));
  }
  SUBCASE("compliant chip: 35% of the money at $30,000 per H100e") {
    State s = flows_state();
    set_cn_tier(s, 1);
    actor(s, kUsVendor).policy.compliant_chip = true;
    sell_chips(s, coef);
    // $0.35B / (20,000 x 1.5) = 11,666.7 H100e; $0.65B unspent.
    CHECK(cn_lab(s).bought_h100e == doctest::Approx(11666.667));
    CHECK(cn_lab(s).chip_money_left_usd_b == doctest::Approx(0.65));
    // Revenue 0.35 + unsold (1e6 - 11,666.7) x $20,000 = 0.35 + 19.766667.
    CHECK(actor(s, kUsVendor).vendor.revenue_usd_b == doctest::Approx(20.116667));
  }
  SUBCASE("a larger budget share buys more") {
    State s = flows_state();
    set_cn_tier(s, 1);
    actor(s, kUsVendor).policy.compliant_chip = true;
    coef.downgraded_budget_share = 1;
    sell_chips(s, coef);
    CHECK(cn_lab(s).bought_h100e == doctest::Approx(1e9 / 30000));
    CHECK(cn_lab(s).chip_money_left_usd_b == doctest::Approx(0).epsilon(1e-9));
  }
  SUBCASE("tier 1 only limits foreign buyers; home labs buy at list") {
    State s = flows_state();
    set_cn_tier(s, 1);
    actor(s, kUsLab).spent.chips = 2;
    sell_chips(s, coef);
    CHECK(actor(s, kUsLab).lab.bought_h100e == doctest::Approx(100000));
  }
}

TEST_CASE("chip flows: tier 2 sells licensed chips up to firms x chips per firm x H100e per chip") {
  Coefficients coef = make_coef();
  coef.licence_chips_per_firm = 25000;
  coef.licensed_h100e_per_chip = 0.7;
  SUBCASE("the licence volume binds") {
    State s = flows_state();
    set_cn_tier(s, 2);
    actor(s, kUs).policy.licensed_firms = 2;
    sell_chips(s, coef);
    // cap = 2 x 25,000 x 0.7 = 35,000 H100e < 50,000 wanted; pays $0.7B.
    CHECK(cn_lab(s).bought_h100e == doctest::Approx(35000));
    CHECK(cn_lab(s).chip_money_left_usd_b == doctest::Approx(0.3));
  }
  SUBCASE("then compliant chips with what is left") {
    State s = flows_state();
    set_cn_tier(s, 2);
    actor(s, kUs).policy.licensed_firms = 2;
    actor(s, kUsVendor).policy.compliant_chip = true;
    sell_chips(s, coef);
    // 35,000 licensed, then min(0.3 left, 0.35 allowance) / $30,000 = 10,000 downgraded.
    CHECK(cn_lab(s).bought_h100e == doctest::Approx(45000));
    CHECK(cn_lab(s).chip_money_left_usd_b == doctest::Approx(0).epsilon(1e-9));
  }
  SUBCASE("a large licence volume does not bind") {
    State s = flows_state();
    set_cn_tier(s, 2);
    actor(s, kUs).policy.licensed_firms = 10;  // 175,000 H100e
    sell_chips(s, coef);
    CHECK(cn_lab(s).bought_h100e == doctest::Approx(50000));
  }
  SUBCASE("no licences: nothing") {
    State s = flows_state();
    set_cn_tier(s, 2);
    sell_chips(s, coef);
    CHECK(cn_lab(s).bought_h100e == 0.0);
  }
  SUBCASE("the cap is shared pro rata by the destination's buyers") {
    State s = flows_state();
    set_cn_tier(s, 2);
    actor(s, kUs).policy.licensed_firms = 2;
    s.actors.push_back(make_lab("cn_lab2", Bloc::CN, 1e5, 25, 0, 2));
    s.actors.back().spent.chips = 3;  // wants 150,000; cn_lab wants 50,000
    sell_chips(s, coef);
    // 35,000 split 1:3.
    CHECK(cn_lab(s).bought_h100e == doctest::Approx(8750));
    CHECK(s.actors.back().lab.bought_h100e == doctest::Approx(26250));
  }
}

TEST_CASE("chip flows: China's foreign chip ban stops legal imports, not domestic chips") {
  State s = flows_state();
  actor(s, kCn).policy.foreign_chip_ban = true;
  actor(s, kCnVendor).vendor.output_h100e = 20000;
  sell_chips(s, make_coef());
  // Only the 20,000 domestic H100e at $10,000 = $0.2B.
  CHECK(cn_lab(s).bought_h100e == doctest::Approx(20000));
  CHECK(cn_lab(s).chip_money_left_usd_b == doctest::Approx(0.8));
  CHECK(actor(s, kUsVendor).vendor.sold_h100e == 0.0);
  CHECK(s.flows.cn_domestic_h100e == doctest::Approx(20000));
}

TEST_CASE("chip flows: a bloc buys from its home vendor first") {
  State s = flows_state();
  actor(s, kCnVendor).vendor.output_h100e = 20000;
  sell_chips(s, make_coef());
  // 20,000 at home for $0.2B, then $0.8B / $20,000 = 40,000 from us_vendor.
  CHECK(cn_lab(s).bought_h100e == doctest::Approx(60000));
  CHECK(s.flows.cn_domestic_h100e == doctest::Approx(20000));
  CHECK(s.flows.legal_h100e[kBlocCn] == doctest::Approx(60000));
  CHECK(actor(s, kCnVendor).vendor.sold_h100e == doctest::Approx(20000));
  CHECK(actor(s, kUsVendor).vendor.sold_h100e == doctest::Approx(40000));
  CHECK(cn_lab(s).chip_money_left_usd_b == doctest::Approx(0).epsilon(1e-9));
}

TEST_CASE("chip flows: a short vendor allocates by priority, then pro rata") {
  // us_vendor has 100,000 H100e; eu_lab wants 100,000 ($2B), cn_lab 50,000 ($1B).
  auto run = [](int cn_priority, int eu_priority) {
    State s = flows_state();
    actor(s, kUsVendor).vendor.output_h100e = 100000;
    actor(s, kEuLab).spent.chips = 2;
    auto& prio = actor(s, kUsVendor).policy.allocation_priority;
    prio.assign(kActorCount, 0);
    prio[kCnLab] = cn_priority;
    prio[kEuLab] = eu_priority;
    sell_chips(s, make_coef());
    return s;
  };
  SUBCASE("same priority: pro rata 100,000 / 150,000") {
    const State s = run(0, 0);
    CHECK(actor(s, kEuLab).lab.bought_h100e == doctest::Approx(66666.667));
    CHECK(actor(s, kCnLab).lab.bought_h100e == doctest::Approx(33333.333));
    CHECK(actor(s, kEuLab).lab.chip_money_left_usd_b == doctest::Approx(2.0 / 3.0));
    CHECK(actor(s, kCnLab).lab.chip_money_left_usd_b == doctest::Approx(1.0 / 3.0));
    CHECK(actor(s, kUsVendor).vendor.sold_h100e == doctest::Approx(100000));
  }
  SUBCASE("cn_lab first") {
    const State s = run(5, 0);
    CHECK(actor(s, kCnLab).lab.bought_h100e == doctest::Approx(50000));
    CHECK(actor(s, kEuLab).lab.bought_h100e == doctest::Approx(50000));
    CHECK(actor(s, kEuLab).lab.chip_money_left_usd_b == doctest::Approx(1.0));
  }
  SUBCASE("eu_lab first") {
    const State s = run(0, 9);
    CHECK(actor(s, kEuLab).lab.bought_h100e == doctest::Approx(100000));
    CHECK(actor(s, kCnLab).lab.bought_h100e == 0.0);
    CHECK(actor(s, kCnLab).lab.chip_money_left_usd_b == doctest::Approx(1.0));
  }
}

TEST_CASE("chip flows: unspent chip money is left for later steps") {
  State s = flows_state();
  actor(s, kUsVendor).vendor.output_h100e = 10000;  // $0.2B worth
  sell_chips(s, make_coef());
  CHECK(cn_lab(s).bought_h100e == doctest::Approx(10000));
  CHECK(cn_lab(s).chip_money_left_usd_b == doctest::Approx(0.8));
  // Labs that wanted nothing have nothing left.
  CHECK(actor(s, kUsLab).lab.chip_money_left_usd_b == 0.0);
  CHECK(actor(s, kUsLab).lab.bought_h100e == 0.0);
}

TEST_CASE("chip flows: sovereignty money buys chips for the bloc's labs") {
  Coefficients coef = make_coef();
  coef.sovereignty_compute_share = 0.5;
  State s = flows_state();
  actor(s, kCnLab).spent.chips = 0;
  actor(s, kEu).spent.sovereignty = 4;
  sell_chips(s, coef);
  // 4 x 0.5 = $2B for eu_lab (the only EU lab) -> 100,000 H100e from us_vendor.
  CHECK(actor(s, kEuLab).lab.bought_h100e == doctest::Approx(100000));
  CHECK(s.flows.legal_h100e[kBlocEu] == doctest::Approx(100000));
}

TEST_CASE("chip flows: SEA hubs buy with their capex under the SEA tier") {
  State s = flows_state();
  actor(s, kCnLab).spent.chips = 0;
  s.hubs.capex_usd_b = 1;
  sell_chips(s, make_coef());
  CHECK(s.hubs.compute_h100e == doctest::Approx(150000));
  CHECK(s.flows.legal_h100e[kBlocSea] == doctest::Approx(50000));

  State banned = flows_state();
  actor(banned, kCnLab).spent.chips = 0;
  banned.hubs.capex_usd_b = 1;
  actor(banned, kUs).policy.export_tier[kBlocSea] = 0;
  sell_chips(banned, make_coef());
  CHECK(banned.hubs.compute_h100e == doctest::Approx(100000));
}
