#pragma once

// What a sweep records of each run. An outcome is a per-round quantity read
// from the round records (lead_months, share_ROW_CN, smuggled_h100e, ...)
// taken at the end of the match, or reduced over its rounds with a prefix:
// min_lead_months, max_..., mean_.... The per-round series of the same
// quantities fill the optional rounds table.

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/match.h"

namespace leadtime::sweep {

enum class Reduce : std::uint8_t { Final, Min, Max, Mean };

struct Outcome {
  std::string name;  // the column: "min_lead_months"
  std::string base;  // the per-round quantity: "lead_months"
  Reduce reduce = Reduce::Final;
  std::function<double(const RoundRecord&)> per_round;
};

// A quantity outcomes are built from, with its help text (docs/sweeps.md
// lists them with `leadtime-batch outcomes`).
struct Quantity {
  std::string name;
  std::string help;
  std::function<double(const RoundRecord&)> per_round;
};

std::span<const Quantity> quantities();

std::variant<Outcome, std::string> resolve_outcome(std::string_view name);

// The outcomes a spec that names none records.
std::vector<std::string> default_outcomes();

// The outcome over a whole match's rounds (which are never empty: every
// scenario has at least one round).
double outcome_value(const Outcome& outcome, const std::vector<RoundRecord>& rounds);

}  // namespace leadtime::sweep
