#pragma once

// Text for people: the status screen with its inline charts, notices for
// pushes, the draft and the inbox (render_tables.h has the facilitator's
// tables). Pure functions of the model, so tests can read the screen
// without a terminal.
#include <string>
#include <vector>

#include "client-cli/draft.h"
#include "client-cli/model.h"
#include "client-cli/model_types.h"

namespace leadtime::cli {

// Eight-level block chart of a series ("▁▃▅█"), scaled to its own range.
std::string sparkline(const std::vector<double>& values);

std::string money(double usd_b);          // "$12.3B"
std::string compute(double h100e);        // "1.2M H100e"
std::string percent(double share);        // "42%"
std::string clock(std::int64_t seconds);  // "4:05", "1:02:03"

// "Round 3 of 10 (2027Q1)", the round being played; or that the game is over.
std::string round_headline(const ClientModel& model);
// The whole status screen for the model's role.
std::string status_screen(const ClientModel& model, SteadyTime now);
// The seat's standing policy, fields that differ from the default.
std::string policy_text(const Actor& self, const State& names);
// One line for the prompt: "us r3 2027Q1 4:05".
std::string prompt_text(const ClientModel& model, SteadyTime now);

// `command_hints`: a person types the commands, so the notice may suggest one.
std::string round_notice(const RoundInfo& round, const std::string& seat, bool command_hints);
std::string press_line(const PressItem& press, const std::string& my_seat);
// What a person should hear about a new summary, "" when nothing worth it.
// What a seat's team is told when the facilitator hands its seat to a bot
// or gives it back ("" when neither happened).
std::string seat_hand_over_notice(const GameInfo* before, const GameInfo& after, const std::string& seat);
std::string game_change_notice(const GameInfo* before, const GameInfo& after, Role role, SteadyTime now);
std::string game_end_text(const GameEndInfo& end);

std::string draft_text(const Draft& draft, int round);
std::string submit_text(const Draft& draft, const SubmitResult& result);
std::string inbox_text(const std::vector<const PressItem*>& items, const std::string& my_seat);

}  // namespace leadtime::cli
