#pragma once

#include <span>
#include <string_view>

#include "engine/state.h"

namespace leadtime {

// Named numeric fields of the state that scenarios initialise and events
// change, each defined once with its range. `kinds` says which actor kinds
// carry the field (bit per ActorKind); market and hub fields have their own
// tables.
struct ActorField {
  std::string_view name;
  unsigned kinds;  // bit (1 << ActorKind)
  double min;
  double max;
  std::string_view help;
  double& (*ref)(Actor&);
};

struct MarketField {
  std::string_view name;
  double min;
  double max;
  std::string_view help;
  double& (*ref)(Market&);
};

struct HubField {
  std::string_view name;
  double min;
  double max;
  std::string_view help;
  double& (*ref)(Hubs&);
};

inline constexpr unsigned kind_bit(ActorKind k) { return 1U << static_cast<unsigned>(k); }

std::span<const ActorField> actor_fields();
std::span<const MarketField> market_fields();
std::span<const HubField> hub_fields();

const ActorField* find_actor_field(std::string_view name);
const MarketField* find_market_field(std::string_view name);
const HubField* find_hub_field(std::string_view name);

}  // namespace leadtime
