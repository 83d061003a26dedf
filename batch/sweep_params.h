#pragma once

// The named parameters a sweep varies and an experiments table sets, one
// naming scheme for both:
//
//   distill_k                   a scenario coefficient (coefficient_fields())
//   cn_vendor.capacity_growth   a starting field of an actor, a market (US, CN,
//   ROW.size_usd_b              EU, ROW) or the SEA hubs, as event effects name
//   SEA.rent_usd_per_h100e      them (fields.h)
//   bot.us                      which bot plays seat us (a path, or "none")
//   bot.us.enforcement_usd_b    a parameter the bot at seat us reads with
//                               param("enforcement_usd_b", default)
//
// Parameters are resolved against the scenario once, before anything runs, so
// a misspelt name fails with the spec's or the table's name for it.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/coefficients.h"
#include "engine/fields.h"
#include "engine/lua/bot.h"
#include "engine/scenario.h"

namespace leadtime::sweep {

enum class TargetKind : std::uint8_t { Coefficient, ActorField, MarketField, HubField, BotParam, BotChoice };

// What one named parameter sets in a run.
struct ParamTarget {
  std::string name;
  TargetKind kind = TargetKind::Coefficient;
  const CoefficientField* coefficient = nullptr;
  const ActorField* actor_field = nullptr;
  const MarketField* market_field = nullptr;
  const HubField* hub_field = nullptr;
  int index = -1;         // the actor (fields, bot seats) or the market
  std::string bot_param;  // BotParam: the name the bot passes to param()
  double min = 0;         // allowed values of a numeric target
  double max = 0;
};

// A number, or a bot path for a BotChoice ("none" plays the seat without a bot).
using ParamValue = std::variant<double, std::string>;

std::variant<ParamTarget, std::string> resolve_parameter(std::string_view name, const Scenario& scenario);

// Why `value` does not fit the target (a number out of range, text where a
// number belongs), or nothing when it fits.
std::optional<std::string> check_value(const ParamTarget& target, const ParamValue& value);

// How a value reads in messages, tables and CSV: numbers round-trip exactly.
std::string value_text(const ParamValue& value);
std::string number_text(double v);

// What one run plays: the scenario with its overrides, a bot path per seat
// ("" for none) and the parameters each seat's bot receives.
struct RunSetup {
  std::shared_ptr<const Scenario> scenario;
  std::vector<std::string> bots;
  lua::BotLimits limits;
};

// The base scenario and bots with values[i] applied to targets[i]. Values
// were checked when the sweep or table was read, so nothing fails here; the
// base scenario is shared, not copied, when no value changes it.
RunSetup make_setup(const std::shared_ptr<const Scenario>& base, const std::vector<std::string>& base_bots,
                    std::span<const ParamTarget> targets, std::span<const ParamValue> values);

// Loads every bot a seat may get with the parameters it will be given, so an
// unknown bot, a bot that refuses its seat, or a parameter the bot does not
// declare fails before anything runs. `paths` are the seat's possible bots.
std::optional<std::string> check_seat_bots(const Scenario& scenario, int seat, const std::vector<std::string>& paths,
                                           const lua::BotParams& params);

}  // namespace leadtime::sweep
