#pragma once

// Three teams (the US, China and Europe) playing with fixed orders against
// the scenario's bots, and the same match headless: the tests that kill and
// restart the server compare the rounds it served with these.
#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "batch/headless.h"
#include "engine/lua/scenario_loader.h"

namespace net_testing {

inline const std::vector<std::string> kThreeTeams = {"us", "cn", "eu"};

inline std::vector<leadtime::OrderDraft> us_orders(int round) {
  return {{"set_export_tier", {{"target", std::string("CN")}, {"tier", double((round + 1) % 4)}}}};
}

inline std::vector<leadtime::OrderDraft> three_team_orders(const std::string& seat, int round) {
  if (seat == "us") return us_orders(round);
  if (seat == "cn") return {{"set_smuggling", {{"usd_b", 0.4 * round}}}};
  return {{"set_regulation", {{"strictness", 0.1 * (round % 5)}}}};
}

inline std::shared_ptr<const leadtime::Scenario> default_scenario() {
  auto loaded = leadtime::load_scenario_file("scenarios/2028.lua");
  REQUIRE(loaded.scenario);
  return std::make_shared<const leadtime::Scenario>(std::move(*loaded.scenario));
}

// The hash of each of the first `rounds` rounds of the match played headless.
inline std::vector<std::uint64_t> three_teams_headless(int rounds, std::uint64_t seed) {
  const auto scenario = default_scenario();
  const auto seat_of = [&](const std::string& id) {
    return static_cast<std::size_t>(scenario->initial.find_actor(id));
  };
  leadtime::OrderLine line;
  line.at_start.resize(scenario->initial.actors.size());
  for (int r = 0; r < rounds; ++r) {
    std::vector<std::vector<leadtime::OrderDraft>> drafts(scenario->initial.actors.size());
    for (const std::string& seat : kThreeTeams) drafts[seat_of(seat)] = three_team_orders(seat, r);
    if (r == 0) {
      line.at_start = drafts;
    } else {
      line.later.emplace_back(r, drafts);
    }
  }
  std::vector<std::string> bots = scenario->default_bots;
  bots.resize(scenario->initial.actors.size());
  for (const std::string& seat : kThreeTeams) bots[seat_of(seat)].clear();
  const leadtime::BotMatchResult played = leadtime::play_bots(scenario, seed, bots, &line);
  REQUIRE_MESSAGE(played.error.empty(), played.error);
  std::vector<std::uint64_t> out;
  for (const leadtime::RoundRecord& r : played.match->history()) out.push_back(r.hash);
  out.resize(static_cast<std::size_t>(rounds));
  return out;
}

}  // namespace net_testing
