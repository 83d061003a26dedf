#include "engine/coefficients.h"

namespace leadtime {
namespace {

using C = Coefficients;
constexpr double kBig = 1e12;

constexpr CoefficientField kFields[] = {
    {"months_per_oom", &C::months_per_oom, 1, 120, "months the frontier needs to gain one OOM of effective compute"},
    {"flop_log10_per_h100e", &C::flop_log10_per_h100e, 10, 30, "log10 FLOP one H100e adds to a frontier run per quarter"},
    {"depreciation", &C::depreciation, 0, 0.5, "share of installed compute retired per quarter"},
    {"downgraded_price_factor", &C::downgraded_price_factor, 0.1, 10, "price per H100e of downgraded chips, relative to list"},
    {"downgraded_budget_share", &C::downgraded_budget_share, 0, 1, "most of a buyer's chip money spent on downgraded chips (labs want full-performance fleets)"},
    {"licensed_h100e_per_chip", &C::licensed_h100e_per_chip, 0, 2, "H100e per tier-2 licensed chip"},
    {"licence_chips_per_firm", &C::licence_chips_per_firm, 0, 1e7, "chips per quarter one tier-2 licence allows"},
    {"cn_base_growth", &C::cn_base_growth, -0.5, 1, "CN vendor capacity growth per quarter with no investment"},
    {"cn_invest_growth", &C::cn_invest_growth, 0, 1, "growth per quarter per e-fold of cumulative fab investment"},
    {"cn_invest_scale_usd_b", &C::cn_invest_scale_usd_b, 0.01, kBig, "cumulative fab investment of one e-fold"},
    {"tool_alignment_drag", &C::tool_alignment_drag, 0, 1, "growth per quarter lost while the EU aligns tool exports"},
    {"euv_growth_bonus", &C::euv_growth_bonus, 0, 1, "extra CN capacity growth per quarter per unit of EUV multiplier above 1"},
    {"capacity_invest_growth", &C::capacity_invest_growth, 0, 1, "vendor growth per quarter at saturating capacity investment"},
    {"capacity_invest_half_usd_b", &C::capacity_invest_half_usd_b, 0.01, kBig, "capacity investment giving half that growth"},
    {"smuggling_markup", &C::smuggling_markup, 1, 20, "price of a smuggled H100e relative to list"},
    {"enforcement_half_usd_b", &C::enforcement_half_usd_b, 0.01, kBig, "enforcement spending that interdicts half"},
    {"eu_alignment_enforcement_usd_b", &C::eu_alignment_enforcement_usd_b, 0, kBig, "enforcement equivalent of EU chip-control alignment"},
    {"exposure_per_usd_b", &C::exposure_per_usd_b, 0, 10, "case exposure hazard per $B smuggled"},
    {"exposure_enforcement_ref_usd_b", &C::exposure_enforcement_ref_usd_b, 0.01, kBig, "enforcement that doubles the exposure hazard"},
    {"case_max_usd_b", &C::case_max_usd_b, 0, kBig, "largest value of one exposed case"},
    {"case_seized_share", &C::case_seized_share, 0, 1, "share of the quarter's smuggled chips seized when a case is exposed"},
    {"case_fine_usd_b", &C::case_fine_usd_b, 0, kBig, "cost to CN of an exposed case"},
    {"case_political_gain", &C::case_political_gain, 0, kBig, "US political capital from an exposed case"},
    {"offshore_sea_share_max", &C::offshore_sea_share_max, 0, 1, "share of SEA hub compute CN labs can rent with no KYC rule"},
    {"talent_drift_oom", &C::talent_drift_oom, -1, 1, "capability drift per quarter from talent"},
    {"talent_noise_oom", &C::talent_noise_oom, 0, 1, "sd of algorithmic progress per quarter"},
    {"accel_threshold_oom", &C::accel_threshold_oom, 0, 100, "capability past which AI accelerates research"},
    {"accel_multiplier", &C::accel_multiplier, 1, 100, "algorithmic progress multiplier past the milestone"},
    {"distill_k", &C::distill_k, 0, 1, "share of the gap an undefended distillation campaign closes per quarter"},
    {"distill_margin_oom", &C::distill_margin_oom, 0, 10, "closest a student gets to its teacher"},
    {"distill_base_defence", &C::distill_base_defence, 0.001, 100, "defence of a lab that invests nothing"},
    {"distill_api_defence_scale", &C::distill_api_defence_scale, 0, 100, "defence per unit of API defence level"},
    {"distill_law_defence", &C::distill_law_defence, 0, 100, "defence added by an anti-distillation law"},
    {"distill_intel_defence", &C::distill_intel_defence, 0, 100, "defence added by threat-intelligence sharing"},
    {"distill_cost_usd_b", &C::distill_cost_usd_b, 0, kBig, "cost of a full-intensity campaign per quarter"},
    {"distill_detect_p", &C::distill_detect_p, 0, 1, "chance per quarter a campaign is publicly detected, per unit of defence level"},
    {"defence_half_usd_b", &C::defence_half_usd_b, 0.01, kBig, "investment per quarter that targets half of full defence"},
    {"defence_adjust", &C::defence_adjust, 0, 1, "share of the distance to the target defence closed per quarter"},
    {"theft_base_p", &C::theft_base_p, 0, 1, "theft chance of a saturating cyber operation on an unprotected lab"},
    {"cyber_half_usd_b", &C::cyber_half_usd_b, 0.01, kBig, "cyber budget giving half the saturating chance"},
    {"theft_discovery_p", &C::theft_discovery_p, 0, 1, "chance a successful theft becomes public"},
    {"open_lag_oom", &C::open_lag_oom, 0, 10, "released open model's distance below its lab's capability"},
    {"open_price_factor", &C::open_price_factor, 0.01, 1, "stack price multiplier when its bloc releases open weights"},
    {"adopt_capability", &C::adopt_capability, 0, 100, "attractiveness per OOM of the best exportable model"},
    {"adopt_price", &C::adopt_price, 0, 100, "attractiveness lost per e-fold of price"},
    {"adopt_promotion", &C::adopt_promotion, 0, 100, "attractiveness per e-fold of (1 + promotion $B)"},
    {"adopt_network", &C::adopt_network, 0, 100, "attractiveness per unit of last share"},
    {"adopt_inertia", &C::adopt_inertia, 0, 1, "share of a market that can move per quarter"},
    {"adopt_sovereignty", &C::adopt_sovereignty, 0, 100, "EU-stack preference in the EU market per e-fold of sovereignty money"},
    {"sovereignty_ref_usd_b", &C::sovereignty_ref_usd_b, 0.01, kBig, "cumulative sovereignty money of one e-fold"},
    {"sovereignty_compute_share", &C::sovereignty_compute_share, 0, 1, "share of sovereignty money that buys EU lab chips"},
    {"adopt_regulation", &C::adopt_regulation, 0, 100, "penalty on foreign stacks in the EU market at full regulation"},
    {"lab_margin", &C::lab_margin, 0, 1, "labs' margin on market revenue"},
    {"political_cost_loosening", &C::political_cost_loosening, 0, kBig, "US political capital lost per export-tier step opened"},
    {"lobbying_half_usd_b", &C::lobbying_half_usd_b, 0.01, kBig, "lobbying that halves that cost"},
    {"view_noise", &C::view_noise, 0, 5, "log-normal sd of estimates of others with no intelligence spending"},
    {"intel_half_usd_b", &C::intel_half_usd_b, 0.01, kBig, "intelligence spending that halves that noise"},
};

}  // namespace

std::span<const CoefficientField> coefficient_fields() { return kFields; }

}  // namespace leadtime
