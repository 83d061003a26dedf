#pragma once

// Internal to the game report: what its chart section (game_charts.cpp) and
// its page (game_page.cpp) share.
#include <array>
#include <string>
#include <vector>

#include "engine/visibility.h"
#include "report/chart.h"
#include "report/game_report.h"

namespace leadtime::report::game {

// One colour per bloc, used for its stack, its compute and its seats.
inline constexpr std::array<const char*, kBlocCount> kBlocColors = {"#1f5fbf", "#c8312f", "#c08a00", "#0f766e",
                                                                    "#7b8794"};
inline constexpr const char* kGameColor = "#1f5fbf";
inline constexpr const char* kParentColor = "#7c3aed";

// The timeline's lanes, in the order they are drawn.
enum LaneKind : int { Smuggling, Leaks, Milestones, ScenarioEvents, Injects, BotFaults, OtherEvents, Facilitator };
const std::vector<Lane>& lanes();
int event_lane(const GameRecord& g, const RoundRecord& round, const Event& e);

// Rounds 1..n for the game and its parent together (the longer of the two).
RoundAxis round_axis(const GameReportInput& in);
// "R3 (2027Q1)".
std::string round_where(const GameRecord& g, int round);

// The race over rounds: the lead (with its band), the timeline right under
// it, the compute ratio and compute by bloc.
std::string race_section(const GameReportInput& in, const GameReportOptions& options);
// Market shares, one chart per market.
std::string markets_section(const GameReportInput& in);

}  // namespace leadtime::report::game
