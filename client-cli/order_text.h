#pragma once

// Orders as people type them, read through the engine's action catalogue
// (the single list of actions, parameters, ranges and units):
//
//   set_export_tier CN 1                 values in the catalogue's order
//   set_export_tier target=CN tier=1     or by name, in any order
//
// This file only reads the shape of an order (which action, which
// parameter, a number where a number belongs); whether a value is allowed is
// the engine's validate_orders() to say, run by the caller on the seat's
// view.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/catalogue.h"
#include "engine/injects.h"
#include "engine/orders.h"
#include "engine/state.h"

namespace leadtime::cli {

// The values typed after an action, each matched to its parameter: a named
// value (`tier=1`) to that parameter, the unnamed ones to the parameters not
// named, in catalogue order. The one place that rule is written: orders,
// `edit` and completion all read their words through it.
struct TypedValues {
  // Per parameter of the action, in catalogue order: the text given for it.
  std::vector<std::optional<std::string>> values;
  // Unnamed values left over once every parameter not named has one.
  std::vector<std::string> extra;

  // The first parameter with no value yet (the one the next unnamed value
  // fills), or nullptr when every one has a value.
  [[nodiscard]] const ParamSpec* next(const ActionSpec& action) const;
};

// The values of `words` (the words after the action's name), or what is
// wrong: a name the action has no parameter for, or a name given twice.
std::variant<TypedValues, std::string> match_values(const ActionSpec& action, std::span<const std::string> words);

// "set_export_tier takes 2 values (target, tier); '2' is one too many. Usage: ..."
std::string too_many_values(const ActionSpec& action, std::string_view extra);

// The draft an order line gives, or a sentence saying what was expected.
std::variant<OrderDraft, std::string> parse_order(std::span<const std::string> words);
// The same for the words after an action's name (values named or in
// parameter order), as orders and the engine's injects are written.
std::variant<OrderDraft, std::string> parse_arguments(const ActionSpec& action, std::span<const std::string> words);

// One argument value for `param` as typed, or what was expected. An on/off
// parameter takes exactly the words the engine does (bool_word in
// engine/text.h).
std::variant<ArgValue, std::string> parse_value(const ActionSpec& action, const ParamSpec& param,
                                                std::string_view text);

// Every action's name, or only those `self` may order (self null: all).
std::vector<std::string> action_names(const Actor* self);
// "unknown action 'sel_price'; did you mean set_chip_price or set_model_price?"
std::string unknown_action(std::string_view name, const Actor* self);

// The allowed values of a parameter in a few words: "0..3 tier",
// "US, CN, EU, SEA or ROW", "on or off", "a lab: us_lab, cn_lab, eu_lab".
// `state` names the actors an actor parameter may take (null: their kinds).
std::string param_range(const ParamSpec& param, const State* state);
// "set_export_tier TARGET TIER"
std::string usage(const ActionSpec& action);
// Who may order it: "US government", "vendors", "everyone".
std::string who_may(const ActionSpec& action);
// An order that would pass, as an example.
std::string example(const ActionSpec& action, const State* state, const Actor* self);
// `help ACTION`: what it does, who may order it, each parameter with its
// type, range, unit and meaning, and an example.
std::string action_help(const ActionSpec& action, const State* state, const Actor* self);
// `help actions`: one line per action `self` may order (all when null).
std::string actions_overview(const Actor* self);

}  // namespace leadtime::cli
