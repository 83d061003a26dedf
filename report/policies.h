#pragma once

// The policies in force, seat by seat and round by round. A standing policy
// is shown as the order that would set it: its action from the catalogue
// (engine/catalogue.h) and, for an action that keeps one value per bloc,
// market or customer, which one ("set_export_tier target=CN"). The
// catalogue says which actions a seat may use; the table here says where
// each action's value sits in a Policy, and a test applies every action
// through the catalogue and reads it back, so the two cannot drift.
#include <string>
#include <vector>

#include "engine/catalogue.h"
#include "report/game_record.h"

namespace leadtime::report {

// One policy: an action of the catalogue and, for an action with a key
// parameter (a destination bloc, a market, a customer lab), its value.
struct PolicySlot {
  int action = -1;  // index in the catalogue
  int key = -1;     // the key parameter's value (bloc, market or actor index); -1 without one
};

// The parameter of an action that picks a slot (0 for set_export_tier's
// target), or -1 when the action keeps one value.
int key_param(const ActionSpec& spec);

// The arguments of the order that would set `slot` to what `policy` holds,
// in the catalogue's parameter order (the key included).
std::vector<double> standing_args(const Policy& policy, const PolicySlot& slot);

// Every slot of every action a seat may use, in the catalogue's order.
std::vector<PolicySlot> policy_slots(const GameRecord& game, std::size_t seat);

// A seat's policy over the rounds.
struct PolicyRow {
  PolicySlot slot;
  std::string action;               // "set_export_tier"
  std::string key;                  // "target=CN", "" without a key
  std::string help;                 // the catalogue's sentence
  std::vector<std::string> values;  // per round: what was in force ("0 ban", "$3B", "on", "us_lab · 50%")
  std::vector<bool> changed;        // per round: differs from the round before (round 1: from the start)
  std::vector<bool> ordered;        // per round: an order of that round set it
};

struct SeatPolicies {
  std::vector<PolicyRow> rows;           // policies that were set or differ from the default in some round
  std::vector<std::string> at_defaults;  // the others, by action: "set_export_tier target=EU, SEA, ROW"
};

SeatPolicies seat_policies(const GameRecord& game, std::size_t seat);

}  // namespace leadtime::report
