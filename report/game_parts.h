#pragma once

// Internal to the game report: what its chart section (game_charts.cpp) and
// its page (game_page.cpp) share.
#include <array>
#include <string>
#include <vector>

#include "engine/visibility.h"
#include "report/chart.h"
#include "report/game_report.h"

namespace leadtime::report::after_action {

// Colours from Okabe and Ito's palette ("Color Universal Design", 2002),
// which people with any common colour-vision deficiency tell apart, and
// greys. One colour per bloc, used for its stack, its compute and its seats.
inline constexpr const char* kBlue = "#0072B2";
inline constexpr const char* kVermilion = "#D55E00";
inline constexpr const char* kBluishGreen = "#009E73";
inline constexpr const char* kReddishPurple = "#CC79A7";
inline constexpr const char* kOrange = "#E69F00";
inline constexpr const char* kSkyBlue = "#56B4E9";
inline constexpr const char* kSlate = "#3E4C59";
inline constexpr const char* kGrey = "#7B8794";
inline constexpr std::array<const char*, kBlocCount> kBlocColors = {kBlue, kVermilion, kBluishGreen, kReddishPurple,
                                                                    kGrey};
// A lone line of this game, and its parent's beside it: blue solid against
// orange dashed (and fainter), named in every legend.
inline constexpr const char* kGameColor = kBlue;
inline constexpr const char* kParentColor = kOrange;
inline constexpr double kParentOpacity = 0.8;

// The timeline's lanes, in the order they are drawn.
enum LaneKind : int { Smuggling, Leaks, Milestones, ScenarioEvents, Injects, BotFaults, OtherEvents, Facilitator };
const std::vector<Lane>& lanes();
int event_lane(const GameRecord& g, const RoundRecord& round, const Event& e);

// Rounds 1..n for the game and its parent together (the longer of the two).
RoundAxis round_axis(const GameReportInput& in);
// "R3 (2027Q1)".
std::string round_where(const GameRecord& g, int round);

// "this game, g2" and "parent g1" beside a parent; "" for a lone game.
std::string game_label(const GameReportInput& in, bool parent);
// A line key for the branch and its parent (solid and dashed swatches), or
// "" for a lone game.
std::string branch_key(const GameReportInput& in);

// The race over rounds: the lead (with its band), the timeline right under
// it, the compute ratio and compute by bloc. The lead chart's round columns
// are the targets of "#round-N" links.
std::string race_section(const GameReportInput& in, const GameReportOptions& options);
// Market shares, one chart per market.
std::string markets_section(const GameReportInput& in);
// Each seat's score over the rounds, one small chart per seat.
std::string score_charts(const GameReportInput& in);

// The key moments at the top of the page, each linked to its round.
std::string key_moments_section(const GameReportInput& in, const GameReportOptions& options);

}  // namespace leadtime::report::after_action
