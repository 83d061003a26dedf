#include <doctest/doctest.h>

#include "tests/engine/fixture.h"

using namespace leadtime;
using namespace leadtime::enginetest;

namespace {

constexpr std::size_t kBlocCn = 1;

// SEA hubs: 100,000 H100e at $1,000 per H100e a quarter. China spends $0.05B
// on rent: 0.05e9 / 1,000 = 50,000 H100e wanted.
State offshore_state(double rental_usd_b = 0.05) {
  State s = make_state();
  actor(s, kCn).spent.offshore_rental = rental_usd_b;
  return s;
}

Coefficients offshore_coef(double share_max = 1) {
  Coefficients c = make_coef();
  c.offshore_sea_share_max = share_max;
  return c;
}

}  // namespace

TEST_CASE("offshore: CN labs rent what they pay for when the hubs have room") {
  State s = offshore_state();
  rent_offshore(s, offshore_coef());
  CHECK(actor(s, kCnLab).lab.offshore_h100e == doctest::Approx(50000));
  CHECK(s.flows.offshore_h100e == doctest::Approx(50000));
  CHECK(actor(s, kCn).cash_usd_b == doctest::Approx(20.0));  // nothing to refund
  // Nobody else rents; the hubs keep their compute (rent is use, not ownership).
  CHECK(actor(s, kUsLab).lab.offshore_h100e == 0.0);
  CHECK(actor(s, kEuLab).lab.offshore_h100e == 0.0);
  CHECK(s.hubs.compute_h100e == doctest::Approx(100000));
}

TEST_CASE("offshore: rent is capped at hub x share_max x (1 - KYC) and the rest refunded") {
  SUBCASE("the hub's capacity binds") {
    State s = offshore_state(0.2);  // wants 200,000
    rent_offshore(s, offshore_coef());
    CHECK(actor(s, kCnLab).lab.offshore_h100e == doctest::Approx(100000));
    // Refund (200,000 - 100,000) x $1,000 = $0.1B.
    CHECK(actor(s, kCn).cash_usd_b == doctest::Approx(20.1));
  }
  SUBCASE("share_max binds") {
    State s = offshore_state(0.2);
    rent_offshore(s, offshore_coef(0.5));  // 100,000 x 0.5 = 50,000
    CHECK(actor(s, kCnLab).lab.offshore_h100e == doctest::Approx(50000));
    CHECK(actor(s, kCn).cash_usd_b == doctest::Approx(20.15));
  }
  SUBCASE("KYC binds when CN is under a restrictive tier") {
    State s = offshore_state(0.2);
    actor(s, kUs).policy.cloud_kyc = 0.6;
    actor(s, kUs).policy.export_tier[kBlocCn] = 2;
    rent_offshore(s, offshore_coef(0.5));  // 100,000 x 0.5 x (1 - 0.6) = 20,000
    CHECK(actor(s, kCnLab).lab.offshore_h100e == doctest::Approx(20000));
    CHECK(actor(s, kCn).cash_usd_b == doctest::Approx(20.18));
  }
  SUBCASE("a full KYC rule shuts CN out") {
    State s = offshore_state(0.2);
    actor(s, kUs).policy.cloud_kyc = 1;
    actor(s, kUs).policy.export_tier[kBlocCn] = 0;
    rent_offshore(s, offshore_coef());
    CHECK(actor(s, kCnLab).lab.offshore_h100e == 0.0);
    CHECK(actor(s, kCn).cash_usd_b == doctest::Approx(20.2));  // the whole budget comes back
  }
}

TEST_CASE("offshore: KYC only applies when the renter's bloc is restricted (tier < 3)") {
  auto rented = [](int tier, double kyc) {
    State s = offshore_state(0.2);
    actor(s, kUs).policy.cloud_kyc = kyc;
    actor(s, kUs).policy.export_tier[kBlocCn] = tier;
    rent_offshore(s, offshore_coef());
    return actor(s, kCnLab).lab.offshore_h100e;
  };
  CHECK(rented(3, 0.6) == doctest::Approx(100000));  // open tier: the rule does not target CN
  CHECK(rented(2, 0.6) == doctest::Approx(40000));
  CHECK(rented(1, 0.6) == doctest::Approx(40000));
  CHECK(rented(0, 0.6) == doctest::Approx(40000));
  // A stronger rule never lets CN rent more.
  double last = 1e18;
  for (double kyc : {0.0, 0.2, 0.5, 0.8, 1.0}) {
    const double r = rented(0, kyc);
    CHECK(r <= last);
    last = r;
  }
  // China's own (or the EU's open-tier) settings never count against China.
  State s = offshore_state(0.2);
  actor(s, kCn).policy.cloud_kyc = 1;
  actor(s, kCn).policy.export_tier[kBlocCn] = 0;
  rent_offshore(s, offshore_coef());
  CHECK(actor(s, kCnLab).lab.offshore_h100e == doctest::Approx(100000));
}

TEST_CASE("offshore: unspent chip money returns to the labs' cash") {
  State s = offshore_state(0);
  actor(s, kCnLab).lab.chip_money_left_usd_b = 0.7;
  actor(s, kEuLab).lab.chip_money_left_usd_b = 0.25;
  rent_offshore(s, offshore_coef());
  CHECK(actor(s, kCnLab).cash_usd_b == doctest::Approx(4.7));
  CHECK(actor(s, kEuLab).cash_usd_b == doctest::Approx(2.25));
  CHECK(actor(s, kCnLab).lab.chip_money_left_usd_b == 0.0);
  CHECK(actor(s, kEuLab).lab.chip_money_left_usd_b == 0.0);
  CHECK(actor(s, kUsLab).cash_usd_b == doctest::Approx(10.0));
}

TEST_CASE("offshore: last quarter's rental ends and rent is split by installed compute") {
  State s = offshore_state(0.1);                // 100,000 H100e
  actor(s, kCnLab).lab.offshore_h100e = 77777;  // last quarter's
  actor(s, kUsLab).lab.offshore_h100e = 5;
  s.actors.push_back(make_lab("cn_lab2", Bloc::CN, 3e5, 25, 0, 2));  // 3x cn_lab's compute
  rent_offshore(s, offshore_coef());
  CHECK(actor(s, kUsLab).lab.offshore_h100e == 0.0);
  CHECK(actor(s, kCnLab).lab.offshore_h100e == doctest::Approx(25000));
  CHECK(s.actors.back().lab.offshore_h100e == doctest::Approx(75000));
}

TEST_CASE("offshore: nothing is rented when the hubs charge nothing or have nothing") {
  State free = offshore_state(0.1);
  free.hubs.rent_usd_per_h100e = 0;
  rent_offshore(free, offshore_coef());
  CHECK(actor(free, kCnLab).lab.offshore_h100e == 0.0);

  State empty = offshore_state(0.1);
  empty.hubs.compute_h100e = 0;
  rent_offshore(empty, offshore_coef());
  CHECK(actor(empty, kCnLab).lab.offshore_h100e == 0.0);
  CHECK(actor(empty, kCn).cash_usd_b == doctest::Approx(20.1));  // refunded in full
}

// Hubs that charge no rent (an event may set it) rent nothing: the budget
// paid in pay_budgets comes back.
TEST_CASE("offshore: a rental budget that rents nothing is refunded") {
  State s = offshore_state(0.1);
  s.hubs.rent_usd_per_h100e = 0;
  rent_offshore(s, offshore_coef());
  CHECK(actor(s, kCn).cash_usd_b == doctest::Approx(20.1));
}
