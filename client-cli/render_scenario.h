#pragma once

// Text and JSON for what the scenario says (objectives, the event table,
// briefings) and for the facilitator's look at one seat: its orders, last
// round's and this round's, and its state and policies. Pure functions of
// the model, as render_text.h.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "client-cli/model.h"
#include "protocol/scenario_info.h"

namespace leadtime::cli {

// "1 x lead_months + 20 x own_global_share": how a score adds up.
std::string score_formula(const std::vector<protocol::ObjectiveDetails>& objectives);
// Each objective on a line with what its metric measures.
std::string objectives_lines(const std::vector<protocol::ObjectiveDetails>& objectives);
nlohmann::json objectives_json(const std::vector<protocol::ObjectiveDetails>& objectives);

// The scenario's event table: id, title, and what each does.
std::string scenario_events_text(const protocol::ScenarioDetails& scenario);
nlohmann::json scenario_events_json(const protocol::ScenarioDetails& scenario);
// The engine's injects (engine/injects.h), each with its parameters and
// their allowed values (actor ids from `state` when there is one).
std::string engine_injects_text(const State* state);
nlohmann::json engine_injects_json(const State* state);

// A seat's orders as the facilitator sees them: the last resolved round's
// (bots' included) and the open round's so far, with who sent them.
std::string seat_orders_text(const ClientModel& model, const std::string& seat);
nlohmann::json seat_orders_json(const ClientModel& model, const std::string& seat);
// One seat in full: who plays it, its exact state, the policies in force,
// its orders and its score and objectives.
std::string seat_text(const ClientModel& model, const std::string& seat);
nlohmann::json seat_json(const ClientModel& model, const std::string& seat);

}  // namespace leadtime::cli
