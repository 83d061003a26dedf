#pragma once

#include <array>
#include <span>
#include <string_view>

#include "engine/state.h"

namespace leadtime {

// Every tunable number of the model. Defaults are neutral placeholders; the
// scenario file sets the calibrated values and cites their sources.
struct Coefficients {
  // Units and clock.
  double months_per_oom = 12;
  double flop_log10_per_h100e = 20;  // frontier-run FLOP one H100e contributes a quarter
  double depreciation = 0.05;        // per quarter
  // Legal chip flows.
  double downgraded_price_factor = 1.5;   // price per H100e of tier-1 chips, relative
  double downgraded_budget_share = 0.35;  // most of a buyer's chip money that goes on downgraded chips
  double licensed_h100e_per_chip = 0.7;
  double licence_chips_per_firm = 25000;  // per quarter
  // Chinese domestic chips.
  double cn_base_growth = 0;
  double cn_invest_growth = 0;
  double cn_invest_scale_usd_b = 50;
  double tool_alignment_drag = 0;
  double euv_growth_bonus = 0;  // added growth per quarter while the EUV multiplier is above 1
  double capacity_invest_growth = 0;
  double capacity_invest_half_usd_b = 10;
  // Smuggling.
  double smuggling_markup = 2;  // smuggled chip price / list price
  double enforcement_half_usd_b = 2;
  double eu_alignment_enforcement_usd_b = 1;  // EU chip-control alignment counts as this much enforcement
  double exposure_per_usd_b = 0.1;            // exposure hazard per $B smuggled
  double exposure_enforcement_ref_usd_b = 2;
  double case_max_usd_b = 3;
  double case_seized_share = 0.3;
  double case_fine_usd_b = 0.5;
  double case_political_gain = 1;
  // Offshore.
  double offshore_sea_share_max = 1;  // share of hub capacity CN may rent with no KYC rule
  // Training and research.
  double talent_drift_oom = 0;
  double talent_noise_oom = 0;
  double accel_threshold_oom = 28;
  double accel_multiplier = 2;
  // Distillation.
  double distill_k = 0.5;
  double distill_margin_oom = 0.1;
  double distill_base_defence = 0.1;
  double distill_api_defence_scale = 2;
  double distill_law_defence = 1;
  double distill_intel_defence = 1;
  double distill_cost_usd_b = 0.5;  // per unit of intensity per quarter
  double distill_detect_p = 0.2;
  // Defences (investment moves the level toward inv / (inv + half)).
  double defence_half_usd_b = 1;
  double defence_adjust = 0.5;
  // Weight theft.
  double theft_base_p = 0.3;
  double cyber_half_usd_b = 1;
  double theft_discovery_p = 0.5;
  // Open weights.
  double open_lag_oom = 0.3;
  double open_price_factor = 0.5;
  // Adoption.
  double adopt_capability = 3;  // per OOM
  double adopt_price = 1;       // per e-fold of price
  double adopt_promotion = 0.5;
  double adopt_network = 2;
  double adopt_inertia = 0.25;
  double adopt_sovereignty = 0.5;
  double sovereignty_ref_usd_b = 5;
  double sovereignty_compute_share = 0.5;  // of EU sovereignty money spent on EU lab chips
  double adopt_regulation = 1;             // penalty on foreign stacks in the EU market at full strictness
  std::array<std::array<double, kStackCount>, kMarketCount> local_preference{};
  // Money.
  double lab_margin = 0.3;
  double political_cost_loosening = 1;  // per tier step opened, reduced by lobbying
  double lobbying_half_usd_b = 0.5;
  // Views.
  double view_noise = 0.3;  // log-normal sd of estimates with no intelligence
  double intel_half_usd_b = 0.5;
};

// Named access for the scenario loader and documentation: one row per scalar
// coefficient with its allowed range and meaning.
struct CoefficientField {
  std::string_view name;
  double Coefficients::*member;
  double min;
  double max;
  std::string_view help;
};

std::span<const CoefficientField> coefficient_fields();

}  // namespace leadtime
