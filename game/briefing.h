#pragma once

// What a team reads before the exercise, written from the scenario itself so
// it cannot drift from the game: the seat's role, its starting situation, the
// actions it may order (the engine's catalogue), its objectives and how its
// score is computed (the engine's metrics), and what it can and cannot see
// (the engine's views). The server sends a seat its own on Join, the client
// shows it with `briefing`, and a facilitator's handouts print it.
#include <string>

#include "engine/scenario.h"
#include "protocol/scenario_info.h"

namespace leadtime::game {

// The seat's whole briefing as plain text (Markdown headings and lists, so
// it prints as it reads). `seat` is an actor index of the scenario; another
// number gives an empty string.
std::string seat_briefing(const Scenario& scenario, int seat);

// The seat's objectives and how its score is computed, with each term's
// value at the start of the game: the "Objectives and score" part of the
// briefing.
std::string objectives_text(const Scenario& scenario, int seat);

// When a scenario event may fire, what it changes and who sees it, in words.
std::string event_description(const Scenario& scenario, const ScenarioEvent& event);

// Every seat's briefing and every event's description, in scenario order:
// what protocol::build_scenario_info() needs besides the scenario.
protocol::ScenarioTexts scenario_texts(const Scenario& scenario);

}  // namespace leadtime::game
