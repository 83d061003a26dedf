#pragma once

// The JSON forms of everything the client shows. One format for --json and
// for the --agent protocol (client-cli/README.md documents both): orders are
// flat objects like Lua bots write them, {"action": "set_export_tier",
// "target": "CN", "tier": 1}; actors are named by id; per-market and per-bloc
// numbers are objects keyed by name.
#include <nlohmann/json.hpp>

#include <string>
#include <variant>

#include "client-cli/draft.h"
#include "client-cli/model_types.h"
#include "engine/catalogue.h"
#include "engine/views.h"
#include "protocol/catalogue_info.h"

namespace leadtime::cli {

using nlohmann::json;

json order_json(const OrderDraft& order);
// An order from JSON: {"action": ..., PARAM: VALUE, ...}, or with the
// parameters under "args". The string is what was wrong.
std::variant<OrderDraft, std::string> order_from_json(const json& j);

json indicators_json(const PublicIndicators& indicators);
json events_json(const std::vector<Event>& events);
// `names` turns actor indices (policy targets) into ids.
json policy_json(const Policy& policy, const State& names);
json actor_json(const Actor& actor, const State& names);
json estimate_json(const Estimate& estimate);
json view_json(const View& view, const State& names);
json round_json(const RoundInfo& round);
json press_json(const PressItem& press);
json game_json(const GameInfo& game, SteadyTime now);
json facilitator_json(const FacilitatorInfo& view);
json game_end_json(const GameEndInfo& end);
json submit_json(const SubmitResult& result);
json draft_json(const Draft& draft);
json param_json(const ParamSpec& param);
json action_json(const ActionSpec& action);
// An action as the wire's Catalogue has it: action_json's keys and who may
// use it (kinds, bloc, the scenario's seats), each parameter's default,
// choices and allowed values.
json catalogue_json(const protocol::ActionDetails& action);

// `json` with "type" set first, for JSON lines.
json typed(std::string type, json body = json::object());

}  // namespace leadtime::cli
