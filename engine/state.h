#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/quarter.h"
#include "engine/rng.h"

namespace leadtime {

// Regions. SEA (offshore data-centre hubs) and ROW (rest of world) are not
// players: SEA rents compute, ROW is a market.
enum class Bloc : std::uint8_t { US, CN, EU, SEA, ROW };
inline constexpr int kBlocCount = 5;
inline constexpr std::array<const char*, kBlocCount> kBlocNames = {"US", "CN", "EU", "SEA", "ROW"};

// Markets are where AI stacks compete for adoption.
inline constexpr int kMarketCount = 4;
inline constexpr std::array<Bloc, kMarketCount> kMarketBlocs = {Bloc::US, Bloc::CN, Bloc::EU, Bloc::ROW};
inline constexpr std::array<const char*, kMarketCount> kMarketNames = {"US", "CN", "EU", "ROW"};

// An AI stack is a bloc's models plus the services around them.
inline constexpr int kStackCount = 3;
inline constexpr std::array<Bloc, kStackCount> kStackBlocs = {Bloc::US, Bloc::CN, Bloc::EU};
inline constexpr std::array<const char*, kStackCount> kStackNames = {"US", "CN", "EU"};

enum class ActorKind : std::uint8_t { Government, Vendor, Lab };
inline constexpr std::array<const char*, 3> kActorKindNames = {"government", "vendor", "lab"};

constexpr int bloc_index(Bloc b) { return static_cast<int>(b); }
// -1 when the bloc has no market/stack of its own.
int market_index(Bloc b);
int stack_index(Bloc b);

inline constexpr int kNoActor = -1;

// Standing settings of an actor: every order sets one of these and it stays in
// force until changed. One struct for every kind keeps the state flat and
// canonical; fields a kind cannot set stay at their defaults.
struct Policy {
  // Governments.
  std::array<int, kBlocCount> export_tier{3, 3, 3, 3, 3};  // per destination bloc, 0 ban .. 3 open
  int licensed_firms = 0;                                  // tier-2 licences
  double enforcement_usd_b = 0;
  double cloud_kyc = 0;  // 0..1
  bool anti_distillation_law = false;
  bool threat_intel_sharing = false;
  std::array<double, kMarketCount> export_promotion_usd_b{};
  double lab_subsidy_usd_b = 0;
  double fab_investment_usd_b = 0;
  double smuggling_usd_b = 0;
  double offshore_rental_usd_b = 0;
  bool foreign_chip_ban = false;
  double cyber_usd_b = 0;
  int cyber_target = kNoActor;
  bool tool_alignment = false;
  double sovereignty_usd_b = 0;
  double regulation = 0;  // 0..1
  bool chip_control_alignment = false;
  // Vendors.
  double chip_price_usd = 0;             // per H100e
  std::vector<int> allocation_priority;  // per actor index, higher first; empty = all 0
  bool compliant_chip = false;
  double capacity_investment_usd_b = 0;
  double lobbying_usd_b = 0;
  // Labs.
  double chip_spend_share = 0.5;  // share of cash spent on chips each quarter
  double training_share = 0.4;
  double api_defence_usd_b = 0;
  double weight_security_usd_b = 0;
  bool open_weights = false;
  double model_price_usd_per_mtok = 5;
  double safety_usd_b = 0;
  int distill_target = kNoActor;
  double distill_intensity = 0;  // 0..1
  // Everyone.
  double intelligence_usd_b = 0;
};

// What an actor actually paid this round, after budgets scaled its standing
// spending down to the cash it had (all $B).
struct Spending {
  std::array<double, kMarketCount> export_promotion{};
  double lab_subsidy = 0;
  double enforcement = 0;
  double fab_investment = 0;
  double smuggling = 0;
  double offshore_rental = 0;
  double cyber = 0;
  double sovereignty = 0;
  double capacity_investment = 0;
  double lobbying = 0;
  double api_defence = 0;
  double weight_security = 0;
  double safety = 0;
  double distillation = 0;
  double intelligence = 0;
  double chips = 0;  // money set aside for chips; unspent money returns
  double scale = 1;  // share of the standing spending that could be paid
};

struct GovernmentState {
  double budget_usd_b = 0;  // income per quarter
  double cum_fab_investment_usd_b = 0;
  double cum_sovereignty_usd_b = 0;
  double political_capital = 0;
};

struct VendorState {
  double capacity_h100e = 0;   // per quarter
  double capacity_growth = 0;  // per quarter, fraction
  double revenue_usd_b = 0;    // this round
  double cum_revenue_usd_b = 0;
  double sold_h100e = 0;      // this round
  double euv_multiplier = 1;  // set by the EUV breakthrough event
  double output_h100e = 0;    // produced this round
};

struct LabState {
  double compute_h100e = 0;          // installed, owned
  double offshore_h100e = 0;         // rented this quarter
  double capability_oom = 0;         // log10 effective training FLOP of the best model
  double alg_efficiency_oom = 0;     // relative to 2026 algorithms
  double alg_growth_oom = 0;         // per quarter before acceleration
  double api_defence = 0;            // 0..1
  double weight_security = 0;        // 0..1
  double revenue_usd_b = 0;          // this round
  double funding_usd_b = 0;          // outside investment per quarter
  double funding_growth = 0;         // per quarter, fraction
  double bought_h100e = 0;           // chips received this round (legal and smuggled)
  double chip_money_left_usd_b = 0;  // chip money no legal seller took (China's unmet demand)
  double open_weights_oom = 0;       // capability of the best released open model, 0 if none
  double cum_safety_usd_b = 0;
  bool accelerated = false;  // passed the self-improvement milestone
};

struct Actor {
  std::string id;
  std::string name;
  ActorKind kind = ActorKind::Government;
  Bloc bloc = Bloc::US;
  double cash_usd_b = 0;
  Policy policy;
  Spending spent;
  GovernmentState gov;
  VendorState vendor;
  LabState lab;
};

struct Market {
  double size_usd_b = 0;                    // per quarter
  double growth = 0;                        // per quarter, fraction
  std::array<double, kStackCount> share{};  // sums to 1
};

// SEA data-centre hubs: not a player, they buy chips and rent compute.
struct Hubs {
  double compute_h100e = 0;
  double capex_usd_b = 0;         // chip purchases per quarter
  double rent_usd_per_h100e = 0;  // per quarter of use
};

enum class Visibility : std::uint8_t { Public, Private, Facilitator };

struct Event {
  std::string kind;  // e.g. "smuggling_case", "weight_theft", "euv_breakthrough"
  std::string text;
  Visibility visibility = Visibility::Public;
  std::vector<int> audience;  // actor indices that see a Private event
};

// What moved this round; part of the state so views and reports can show it.
struct Flows {
  std::array<double, kBlocCount> legal_h100e{};  // chips legally bought by each bloc's labs and hubs
  double cn_domestic_h100e = 0;
  double smuggled_h100e = 0;
  double seized_h100e = 0;
  double exposed_case_usd_b = 0;  // value of the smuggling case exposed this round, if any
  double offshore_h100e = 0;
  double us_vendor_output_h100e = 0;
  double cn_vendor_output_h100e = 0;
  int thefts = 0;
};

struct Outcomes {
  double lead_months = 0;                // best US lab over best CN lab
  std::vector<double> pair_lead_months;  // row-major lab x lab (actor indices of labs)
  double compute_ratio_us_cn = 0;
  std::array<double, kBlocCount> compute_h100e{};
  std::array<double, kBlocCount> best_capability_oom{};  // 0 for a bloc without labs
  std::array<std::array<double, kStackCount>, kMarketCount> shares{};
  std::array<double, kStackCount> stack_price_usd_per_mtok{};  // cheapest offer, after open-weights discount
  double norm_index = 0;                                       // -1 (CN sets norms) .. 1 (US sets norms)
  double open_weights_oom = 0;                                 // most capable open model anywhere
  int thefts_total = 0;
  double surveillance_exports = 0;  // CN share of ROW
  std::vector<double> scores;       // per actor
};

struct State {
  std::uint64_t seed = 0;  // the match seed; views derive their own noise from it
  int round = 0;           // rounds resolved so far
  Quarter quarter;         // the quarter the next round resolves
  std::vector<Actor> actors;
  std::array<Market, kMarketCount> markets{};
  Hubs hubs;
  Rng rng;
  Flows flows;
  Outcomes outcomes;
  std::vector<Event> events;            // this round's events
  std::vector<std::string> fired_once;  // ids of once-only scenario events that fired, sorted
  int thefts_total = 0;
  double cum_smuggled_h100e = 0;

  [[nodiscard]] int find_actor(std::string_view id) const;  // kNoActor if absent
};

}  // namespace leadtime
