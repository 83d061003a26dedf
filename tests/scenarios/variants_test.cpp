// The shipped variants (scenarios/variants/) each move the outcome they are
// about in the direction their header says, over seeds, against the base
// scenario played with the same seeds and default bots; and each is
// documented, loads, and passes the scenario check without a warning.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "batch/headless.h"
#include "batch/scenario_check.h"
#include "batch/sweep_spec.h"
#include "engine/lua/scenario_loader.h"

namespace lt = leadtime;

namespace {

constexpr int kSeeds = 24;
constexpr std::size_t kUS = 0;
constexpr std::size_t kEU = 2;

std::shared_ptr<const lt::Scenario> load(const std::string& path) {
  auto loaded = lt::load_scenario_file(path);
  REQUIRE_MESSAGE(loaded.scenario, loaded.error);
  return std::make_shared<const lt::Scenario>(std::move(*loaded.scenario));
}

using Measure = std::function<double(const lt::Match&)>;

// Every seat on its default bot, seeds 1..kSeeds; each file is played once
// per test run and the matches kept for every measure.
const std::vector<std::unique_ptr<lt::Match>>& matches(const std::string& path) {
  static std::map<std::string, std::vector<std::unique_ptr<lt::Match>>> played;
  auto& out = played[path];
  if (!out.empty()) return out;
  const auto scenario = load(path);
  for (int seed = 1; seed <= kSeeds; ++seed) {
    auto result = lt::play_bots(scenario, static_cast<std::uint64_t>(seed), scenario->default_bots);
    REQUIRE_MESSAGE(result.error.empty(), result.error);
    REQUIRE(result.faults.empty());
    out.push_back(std::move(result.match));
  }
  return out;
}

double median_of(const std::string& path, const Measure& m) {
  std::vector<double> v;
  for (const auto& match : matches(path)) v.push_back(m(*match));
  std::sort(v.begin(), v.end());
  return v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

struct Pair {
  double base;
  double variant;
};

Pair compare(const std::string& variant, const Measure& m) {
  const Pair p{median_of("scenarios/2028.lua", m), median_of("scenarios/variants/" + variant, m)};
  MESSAGE(variant << ": base " << p.base << ", variant " << p.variant);
  return p;
}

const lt::Outcomes& last(const lt::Match& m) { return m.history().back().outcomes; }

double lead(const lt::Match& m) { return last(m).lead_months; }
double ratio(const lt::Match& m) { return last(m).compute_ratio_us_cn; }

// Summed over the rounds of [first, last] (0-based).
Measure flow(double lt::Flows::*field, int first, int last_round) {
  return [=](const lt::Match& m) {
    double total = 0;
    for (const lt::RoundRecord& r : m.history()) {
      if (r.round >= first && r.round <= last_round) total += r.flows.*field;
    }
    return total;
  };
}

std::string head_of(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  for (std::string line; std::getline(in, line) && line.starts_with("--");) text += line + "\n";
  return text;
}

}  // namespace

TEST_CASE("variants: each is documented, loads and passes the check without a warning") {
  int count = 0;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator("scenarios/variants")) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    if (file.extension() != ".lua") continue;
    ++count;
    const std::string path = file.string();
    CAPTURE(path);
    const std::string head = head_of(path);
    CHECK(head.find("-- Variant: ") == 0);
    CHECK(head.find("Question:") != std::string::npos);
    CHECK(head.find("What changes:") != std::string::npos);
    CHECK(head.find("Expected direction") != std::string::npos);
    lt::CheckOptions options;
    options.seeds = 0;
    const lt::CheckResult result = lt::check_scenario(path, options);
    for (const lt::CheckFinding& f : result.errors) MESSAGE(lt::finding_text(f));
    for (const lt::CheckFinding& f : result.warnings) MESSAGE(lt::finding_text(f));
    CHECK(result.exit_code() == 0);
    CHECK(lt::load_scenario_file(path).files.back() == "scenarios/2028.lua");
  }
  CHECK(count >= 4);
}

TEST_CASE("variant euv_2027: the Chinese vendor ships far more in 2028, and US:CN compute is no higher") {
  // 2028 is rounds 6 to 9 of a match starting in 2026Q3.
  const Pair output = compare("euv_2027.lua", flow(&lt::Flows::cn_vendor_output_h100e, 6, 9));
  CHECK(output.variant > 1.5 * output.base);
  const Pair r = compare("euv_2027.lua", ratio);
  CHECK(r.variant <= r.base);
}

TEST_CASE("variant taiwan_crisis: the US vendor ships less in 2027, US:CN compute ends lower, the lead no longer") {
  // The crisis: 2027Q2 to 2027Q4, rounds 3 to 5.
  const Pair output = compare("taiwan_crisis.lua", flow(&lt::Flows::us_vendor_output_h100e, 3, 5));
  CHECK(output.variant < 0.5 * output.base);
  const Pair r = compare("taiwan_crisis.lua", ratio);
  CHECK(r.variant < r.base);
  const Pair l = compare("taiwan_crisis.lua", lead);
  CHECK(l.variant <= l.base);
}

TEST_CASE("variant eu_sovereignty: the EU stack gains the EU market and the US stack loses it") {
  const Pair eu = compare("eu_sovereignty.lua", [](const lt::Match& m) { return last(m).shares[kEU][kEU]; });
  CHECK(eu.variant > eu.base + 0.05);
  const Pair us = compare("eu_sovereignty.lua", [](const lt::Match& m) { return last(m).shares[kEU][kUS]; });
  CHECK(us.variant < us.base);
}

TEST_CASE("variant open_weights_surge: the lead collapses and open models are more capable") {
  const Pair l = compare("open_weights_surge.lua", lead);
  CHECK(l.variant < l.base);
  CHECK(l.variant <= 4.5);
  const Pair open = compare("open_weights_surge.lua", [](const lt::Match& m) { return last(m).open_weights_oom; });
  CHECK(open.variant > open.base);
}

TEST_CASE("variants: taken by path where a scenario is taken: a sweep spec, and a game restored from its text") {
  auto spec = lt::sweep::load_sweep_spec_source(
      "return { scenario = 'scenarios/variants/taiwan_crisis.lua', seeds = 2 }", "variant_sweep.lua");
  REQUIRE_MESSAGE(std::holds_alternative<lt::sweep::SweepSpec>(spec), std::get<std::string>(spec));
  CHECK(std::get<lt::sweep::SweepSpec>(spec).scenario->name == "2028-taiwan-crisis");

  // The server stores a game's scenario text and path and restores it with
  // load_scenario_source: the base is found beside the stored path.
  const std::string path = "scenarios/variants/euv_2027.lua";
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const lt::LoadResult restored = lt::load_scenario_source(text, path);
  REQUIRE_MESSAGE(restored.scenario, restored.error);
  CHECK(restored.scenario->name == "2028-euv-2027");
  CHECK(restored.files == std::vector<std::string>{path, "scenarios/2028.lua"});
}
