// model.md's directional properties: averaged over seeds, all else equal,
// none may go the wrong way. Each sweeps one setting over a ladder of values
// on top of a fixed line, with the same seeds at every step.
#include "tests/calibration/lines.h"

namespace lt = leadtime;
using lt::testing::default_scenario;
using lt::testing::line;
using lt::testing::mean;
using lt::testing::over_seeds;
using lt::testing::with_orders;

namespace {

constexpr int kSeeds = 100;
constexpr std::size_t kUS = 0;
constexpr std::size_t kCN = 1;
constexpr std::size_t kEU = 2;
constexpr std::size_t kROW = 3;

using Measure = std::function<double(const lt::Match&)>;

// Mean of `measure` for each value of the ladder, the value applied as one
// extra opening order of `actor`.
std::vector<double> ladder(const std::string& base, const std::string& actor, const std::vector<double>& values,
                           const std::function<lt::OrderDraft(double)>& order, const Measure& measure) {
  std::vector<double> means;
  for (double v : values) {
    const lt::OrderLine l = with_orders(line(base), actor, {order(v)});
    means.push_back(mean(over_seeds(default_scenario(), l, kSeeds, measure)));
  }
  return means;
}

void check_non_decreasing(const std::vector<double>& means) {
  for (std::size_t i = 1; i < means.size(); ++i) {
    CAPTURE(i);
    CHECK(means[i] >= means[i - 1]);
  }
}

void check_non_increasing(const std::vector<double>& means) {
  for (std::size_t i = 1; i < means.size(); ++i) {
    CAPTURE(i);
    CHECK(means[i] <= means[i - 1]);
  }
}

double final_lead(const lt::Match& m) { return m.history().back().outcomes.lead_months; }

lt::OrderDraft usd(const char* action, double v) { return {action, {{"usd_b", v}}}; }

}  // namespace

TEST_CASE("property: more US enforcement never lowers the lead") {
  for (const char* base : {"lax", "tight"}) {
    CAPTURE(base);
    check_non_decreasing(ladder(
        base, "us", {0, 1, 2, 4, 8, 16}, [](double v) { return usd("set_enforcement", v); }, final_lead));
  }
}

TEST_CASE("property: a stronger cloud rule never lowers the lead") {
  check_non_decreasing(ladder(
      "lax", "us", {0, 0.25, 0.5, 0.75, 1},
      [](double v) {
        return lt::OrderDraft{"set_cloud_kyc", {{"strength", v}}};
      },
      final_lead));
}

TEST_CASE("property: stronger API defence never raises the student's capability") {
  const Measure student = [](const lt::Match& m) {
    return m.state().actors[static_cast<std::size_t>(m.state().find_actor("cn_lab"))].lab.capability_oom;
  };
  check_non_increasing(ladder(
      "lax", "us_lab", {0, 0.5, 1, 2, 4, 8}, [](double v) { return usd("set_api_defence", v); }, student));
}

TEST_CASE("property: EU tool alignment never raises CN vendor output") {
  const Measure output = [](const lt::Match& m) {
    double total = 0;
    for (const lt::RoundRecord& r : m.history()) total += r.flows.cn_vendor_output_h100e;
    return total;
  };
  const auto means = ladder(
      "lax", "eu", {0, 1},
      [](double v) {
        return lt::OrderDraft{"set_tool_alignment", {{"on", v != 0}}};
      },
      output);
  CHECK(means[1] <= means[0]);
  CHECK(means[1] < means[0]);  // and it does bite
}

TEST_CASE("property: more export promotion never lowers the promoter's share of that market") {
  const auto row_share = [](std::size_t stack) {
    return Measure([stack](const lt::Match& m) { return m.history().back().outcomes.shares[kROW][stack]; });
  };
  const auto promote_row = [](double v) {
    return lt::OrderDraft{"set_export_promotion", {{"market", std::string("ROW")}, {"usd_b", v}}};
  };
  for (const char* base : {"lax", "tight"}) {
    CAPTURE(base);
    check_non_decreasing(ladder(base, "us", {0, 1, 2, 4, 8, 16}, promote_row, row_share(kUS)));
    check_non_decreasing(ladder(base, "cn", {0, 1, 2, 4, 8, 16}, promote_row, row_share(kCN)));
  }
}

TEST_CASE("property: more sovereignty investment never lowers the EU stack's share of the EU market") {
  const Measure eu_home = [](const lt::Match& m) { return m.history().back().outcomes.shares[kEU][kEU]; };
  check_non_decreasing(ladder(
      "tight", "eu", {0, 1, 2, 5, 10, 20}, [](double v) { return usd("set_sovereignty_investment", v); }, eu_home));
}

TEST_CASE("property: open weights never raise the releasing bloc's stack price") {
  const Measure cn_price = [](const lt::Match& m) { return m.history().back().outcomes.stack_price_usd_per_mtok[kCN]; };
  const Measure us_price = [](const lt::Match& m) { return m.history().back().outcomes.stack_price_usd_per_mtok[kUS]; };
  const auto open = [](double v) { return lt::OrderDraft{"set_open_weights", {{"on", v != 0}}}; };
  const auto cn = ladder("lax", "cn_lab", {0, 1}, open, cn_price);
  CHECK(cn[1] <= cn[0]);
  const auto us = ladder("lax", "us_lab", {0, 1}, open, us_price);
  CHECK(us[1] <= us[0]);
}
