#pragma once

// Shared set-up for the calibration, property and determinism tests: the
// default scenario and its two fixed order lines, played over many seeds.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "batch/headless.h"

namespace leadtime::testing {

inline std::shared_ptr<const Scenario> default_scenario() {
  static const auto scenario = [] {
    auto loaded = load_scenario_file("scenarios/2028.lua");
    REQUIRE_MESSAGE(loaded.scenario, loaded.error);
    return std::make_shared<const Scenario>(std::move(*loaded.scenario));
  }();
  return scenario;
}

inline OrderLine line(const std::string& name) {
  const auto scenario = default_scenario();
  auto parsed = load_order_line("scenarios/lines/" + name + ".lua", scenario->initial, scenario->start);
  if (auto* error = std::get_if<std::string>(&parsed)) FAIL(*error);
  return std::get<OrderLine>(std::move(parsed));
}

// The default scenario without a given event, for targets stated "when no
// breakthrough event fires".
inline std::shared_ptr<const Scenario> without_event(const std::string& id) {
  auto copy = std::make_shared<Scenario>(*default_scenario());
  for (ScenarioEvent& e : copy->events) {
    if (e.id == id) e.probability = 0;
  }
  return copy;
}

inline std::unique_ptr<Match> play(std::shared_ptr<const Scenario> scenario, const OrderLine& l, std::uint64_t seed) {
  LineResult result = play_line(std::move(scenario), seed, &l);
  for (const std::string& e : result.errors) FAIL(e);
  return std::move(result.match);
}

// Adds opening orders for one actor on top of a line.
inline OrderLine with_orders(OrderLine l, const std::string& actor, std::vector<OrderDraft> drafts) {
  const int index = default_scenario()->initial.find_actor(actor);
  REQUIRE(index != kNoActor);
  auto& slot = l.at_start[static_cast<std::size_t>(index)];
  slot.insert(slot.end(), drafts.begin(), drafts.end());
  return l;
}

inline double median(std::vector<double> v) {
  REQUIRE(!v.empty());
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

inline double mean(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return v.empty() ? 0 : sum / static_cast<double>(v.size());
}

// One number per seed: `measure` reads it off a finished match.
inline std::vector<double> over_seeds(std::shared_ptr<const Scenario> scenario, const OrderLine& l, int seeds,
                                      const std::function<double(const Match&)>& measure) {
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(seeds));
  for (int seed = 1; seed <= seeds; ++seed)
    out.push_back(measure(*play(scenario, l, static_cast<std::uint64_t>(seed))));
  return out;
}

}  // namespace leadtime::testing
