#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/state.h"

namespace leadtime {

enum class ParamType : std::uint8_t { Int, Real, Bool, Actor, Market, Bloc };
inline constexpr std::array<const char*, 6> kParamTypeNames = {"integer", "number", "boolean",
                                                               "actor",   "market", "bloc"};

struct ParamSpec {
  std::string_view name;
  ParamType type;
  double min = 0;  // numeric range; ignored for Bool/Actor/Market/Bloc
  double max = 0;
  std::string_view unit;
  std::string_view help;
  unsigned actor_kinds = 0;  // for Actor params: which kinds may be named (bit per ActorKind)
};

struct Order;

// One action a seat can order. `apply` writes the order into the actor's
// standing policy; `check` adds rules a range cannot express (an empty string
// means the order is fine).
struct ActionSpec {
  std::string_view name;
  unsigned kinds;  // bit per ActorKind that may use it
  int bloc;        // -1: any bloc, else only actors of this bloc
  std::string_view help;
  std::vector<ParamSpec> params;
  void (*apply)(Policy&, const Order&);
  std::string (*check)(const State&, int actor, const Order&) = nullptr;
};

// The catalogue, in a fixed order: the index of an action is stable within a
// build and used in orders and hashes.
std::span<const ActionSpec> catalogue();
const ActionSpec* find_action(std::string_view name);
int action_index(std::string_view name);  // -1 if unknown
bool action_allowed(const ActionSpec& spec, const Actor& actor);

// Human-readable description of a parameter's allowed values, e.g.
// "an integer from 0 to 3" or "one of US, CN, EU, ROW".
std::string describe_allowed(const State& state, const ParamSpec& param);

}  // namespace leadtime
