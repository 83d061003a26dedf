#include "engine/fields.h"

#include <algorithm>

namespace leadtime {
namespace {

constexpr unsigned kGov = kind_bit(ActorKind::Government);
constexpr unsigned kVendor = kind_bit(ActorKind::Vendor);
constexpr unsigned kLab = kind_bit(ActorKind::Lab);
constexpr unsigned kAll = kGov | kVendor | kLab;
constexpr double kBig = 1e12;

const ActorField kActorFields[] = {
    {"cash_usd_b", kAll, -kBig, kBig, "cash in hand, $B", [](Actor& a) -> double& { return a.cash_usd_b; }},
    {"budget_usd_b", kGov, 0, kBig, "government income per quarter, $B",
     [](Actor& a) -> double& { return a.gov.budget_usd_b; }},
    {"political_capital", kGov, -kBig, kBig, "political capital (score units)",
     [](Actor& a) -> double& { return a.gov.political_capital; }},
    {"cum_fab_investment_usd_b", kGov, 0, kBig, "cumulative fab investment, $B",
     [](Actor& a) -> double& { return a.gov.cum_fab_investment_usd_b; }},
    {"capacity_h100e", kVendor, 0, kBig, "chip output per quarter, H100e",
     [](Actor& a) -> double& { return a.vendor.capacity_h100e; }},
    {"capacity_growth", kVendor, -1, 10, "capacity growth per quarter, fraction",
     [](Actor& a) -> double& { return a.vendor.capacity_growth; }},
    {"euv_multiplier", kVendor, 0, 100, "EUV breakthrough multiplier on domestic capacity growth",
     [](Actor& a) -> double& { return a.vendor.euv_multiplier; }},
    {"compute_h100e", kLab, 0, kBig, "installed compute, H100e",
     [](Actor& a) -> double& { return a.lab.compute_h100e; }},
    {"capability_oom", kLab, 0, 100, "capability of the best model, OOM (log10 effective FLOP)",
     [](Actor& a) -> double& { return a.lab.capability_oom; }},
    {"alg_efficiency_oom", kLab, -10, 10, "algorithmic efficiency, OOM",
     [](Actor& a) -> double& { return a.lab.alg_efficiency_oom; }},
    {"alg_growth_oom", kLab, -1, 2, "algorithmic progress per quarter, OOM",
     [](Actor& a) -> double& { return a.lab.alg_growth_oom; }},
    {"api_defence", kLab, 0, 1, "API defence against distillation, 0..1",
     [](Actor& a) -> double& { return a.lab.api_defence; }},
    {"weight_security", kLab, 0, 1, "weight security against theft, 0..1",
     [](Actor& a) -> double& { return a.lab.weight_security; }},
    {"funding_usd_b", kLab, 0, kBig, "outside investment per quarter, $B",
     [](Actor& a) -> double& { return a.lab.funding_usd_b; }},
    {"funding_growth", kLab, -1, 10, "growth of outside investment per quarter, fraction",
     [](Actor& a) -> double& { return a.lab.funding_growth; }},
};

const MarketField kMarketFields[] = {
    {"size_usd_b", 0, kBig, "market size per quarter, $B", [](Market& m) -> double& { return m.size_usd_b; }},
    {"growth", -1, 10, "market growth per quarter, fraction", [](Market& m) -> double& { return m.growth; }},
};

const HubField kHubFields[] = {
    {"compute_h100e", 0, kBig, "SEA hub compute, H100e", [](Hubs& h) -> double& { return h.compute_h100e; }},
    {"capex_usd_b", 0, kBig, "SEA hub chip purchases per quarter, $B",
     [](Hubs& h) -> double& { return h.capex_usd_b; }},
    {"rent_usd_per_h100e", 0, kBig, "SEA rent per H100e per quarter, $",
     [](Hubs& h) -> double& { return h.rent_usd_per_h100e; }},
};

template <typename Table>
auto find_in(const Table& table, std::string_view name) -> decltype(&table[0]) {
  const auto it = std::find_if(std::begin(table), std::end(table), [&](const auto& f) { return f.name == name; });
  return it == std::end(table) ? nullptr : &*it;
}

}  // namespace

std::span<const ActorField> actor_fields() { return kActorFields; }
std::span<const MarketField> market_fields() { return kMarketFields; }
std::span<const HubField> hub_fields() { return kHubFields; }

const ActorField* find_actor_field(std::string_view name) { return find_in(kActorFields, name); }
const MarketField* find_market_field(std::string_view name) { return find_in(kMarketFields, name); }
const HubField* find_hub_field(std::string_view name) { return find_in(kHubFields, name); }

}  // namespace leadtime
