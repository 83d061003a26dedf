#include "engine/catalogue.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "engine/fields.h"
#include "engine/orders.h"

namespace leadtime {
namespace {

constexpr unsigned kGov = kind_bit(ActorKind::Government);
constexpr unsigned kVendor = kind_bit(ActorKind::Vendor);
constexpr unsigned kLab = kind_bit(ActorKind::Lab);
constexpr unsigned kAll = kGov | kVendor | kLab;
constexpr int kUS = bloc_index(Bloc::US);
constexpr int kCN = bloc_index(Bloc::CN);
constexpr int kEU = bloc_index(Bloc::EU);

int as_int(double v) { return static_cast<int>(std::lround(v)); }
bool as_bool(double v) { return v != 0; }

ParamSpec usd_b(double max, std::string_view help) {
  return {"usd_b", ParamType::Real, 0, max, "$B per quarter", help};
}
ParamSpec on_off(std::string_view help) { return {"on", ParamType::Bool, 0, 1, "", help}; }
ParamSpec market_param() { return {"market", ParamType::Market, 0, kMarketCount - 1, "", "market: US, CN, EU or ROW"}; }
ParamSpec lab_param(std::string_view name, std::string_view help) {
  return {name, ParamType::Actor, 0, 0, "", help, kLab};
}

std::string foreign_lab_only(const State& state, int actor, int target) {
  const Actor& t = state.actors[static_cast<std::size_t>(target)];
  if (t.bloc == state.actors[static_cast<std::size_t>(actor)].bloc) {
    return "target must be a lab of another bloc, '" + t.id + "' is in your own bloc";
  }
  return {};
}

std::vector<ActionSpec> build_catalogue() {
  std::vector<ActionSpec> c;
  // --- Governments, any bloc.
  c.push_back({"set_export_promotion",
               kGov,
               -1,
               "Promote (US, EU) or subsidise (CN) your bloc's AI stack in one market.",
               {market_param(), usd_b(20, "spending on promotion or export subsidies in that market")},
               [](Policy& p, const Order& o) {
                 p.export_promotion_usd_b[static_cast<std::size_t>(as_int(o.args[0]))] = o.args[1];
               }});
  c.push_back({"set_lab_subsidy",
               kGov,
               -1,
               "Subsidise your bloc's AI labs (split by their compute).",
               {usd_b(100, "subsidy paid to your labs")},
               [](Policy& p, const Order& o) { p.lab_subsidy_usd_b = o.args[0]; }});
  // --- United States.
  c.push_back({"set_export_tier",
               kGov,
               kUS,
               "Chip export tier for a destination: 0 ban, 1 downgraded chips only, 2 licensed high-end chips, 3 open.",
               {{"target", ParamType::Bloc, 0, kBlocCount - 1, "", "destination bloc (CN, EU, SEA, ROW)"},
                {"tier", ParamType::Int, 0, 3, "tier", "0 ban, 1 downgraded only, 2 licensed, 3 open"}},
               [](Policy& p, const Order& o) {
                 p.export_tier[static_cast<std::size_t>(as_int(o.args[0]))] = as_int(o.args[1]);
               },
               [](const State&, int, const Order& o) -> std::string {
                 return as_int(o.args[0]) == kUS ? "target must be a foreign bloc, not US" : "";
               }});
  c.push_back({"set_export_licences",
               kGov,
               kUS,
               "Number of foreign firms licensed to buy high-end chips under tier 2.",
               {{"firms", ParamType::Int, 0, 100, "firms", "licensed firms"}},
               [](Policy& p, const Order& o) { p.licensed_firms = as_int(o.args[0]); }});
  c.push_back({"set_enforcement",
               kGov,
               kUS,
               "Spending on export-control enforcement against chip smuggling.",
               {usd_b(20, "enforcement spending")},
               [](Policy& p, const Order& o) { p.enforcement_usd_b = o.args[0]; }});
  c.push_back({"set_cloud_kyc",
               kGov,
               kUS,
               "Know-your-customer rule for offshore cloud hubs: share of hub capacity closed to Chinese labs.",
               {{"strength", ParamType::Real, 0, 1, "share", "0 no rule .. 1 strict"}},
               [](Policy& p, const Order& o) { p.cloud_kyc = o.args[0]; }});
  c.push_back({"set_anti_distillation_law",
               kGov,
               kUS,
               "Outlaw distillation attacks; raises every US lab's defence.",
               {on_off("law in force")},
               [](Policy& p, const Order& o) { p.anti_distillation_law = as_bool(o.args[0]); }});
  c.push_back({"set_threat_intel_sharing",
               kGov,
               kUS,
               "Labs share threat intelligence on fraudulent accounts; raises every US lab's defence.",
               {on_off("sharing in force")},
               [](Policy& p, const Order& o) { p.threat_intel_sharing = as_bool(o.args[0]); }});
  // --- China.
  c.push_back({"set_fab_investment",
               kGov,
               kCN,
               "Investment in domestic chip fabs; grows the domestic vendor's capacity.",
               {usd_b(100, "fab investment")},
               [](Policy& p, const Order& o) { p.fab_investment_usd_b = o.args[0]; }});
  c.push_back({"set_smuggling",
               kGov,
               kCN,
               "Effort spent buying chips through third countries.",
               {usd_b(20, "smuggling budget")},
               [](Policy& p, const Order& o) { p.smuggling_usd_b = o.args[0]; }});
  c.push_back({"set_offshore_rental",
               kGov,
               kCN,
               "Budget for Chinese labs to rent compute in Southeast Asian hubs.",
               {usd_b(50, "rental budget")},
               [](Policy& p, const Order& o) { p.offshore_rental_usd_b = o.args[0]; }});
  c.push_back({"set_foreign_chip_ban",
               kGov,
               kCN,
               "Ban buying foreign AI chips; stops legal imports.",
               {on_off("ban in force")},
               [](Policy& p, const Order& o) { p.foreign_chip_ban = as_bool(o.args[0]); }});
  c.push_back(
      {"set_cyber_operations",
       kGov,
       kCN,
       "Cyber operations to steal a foreign lab's model weights.",
       {usd_b(10, "cyber budget"), lab_param("target", "lab to target")},
       [](Policy& p, const Order& o) {
         p.cyber_usd_b = o.args[0];
         p.cyber_target = as_int(o.args[1]);
       },
       [](const State& s, int actor, const Order& o) { return foreign_lab_only(s, actor, as_int(o.args[1])); }});
  // --- Europe.
  c.push_back({"set_tool_alignment",
               kGov,
               kEU,
               "Align lithography tool exports with US controls; slows China's fabs.",
               {on_off("aligned")},
               [](Policy& p, const Order& o) { p.tool_alignment = as_bool(o.args[0]); }});
  c.push_back({"set_sovereignty_investment",
               kGov,
               kEU,
               "Invest in European AI sovereignty: compute for EU labs and preference for the EU stack at home.",
               {usd_b(50, "sovereignty investment")},
               [](Policy& p, const Order& o) { p.sovereignty_usd_b = o.args[0]; }});
  c.push_back({"set_regulation",
               kGov,
               kEU,
               "Strictness of AI regulation in the EU market; weighs on foreign stacks.",
               {{"strictness", ParamType::Real, 0, 1, "share", "0 light .. 1 strict"}},
               [](Policy& p, const Order& o) { p.regulation = o.args[0]; }});
  c.push_back({"set_chip_control_alignment",
               kGov,
               kEU,
               "Align EU chip export controls with the US; helps enforcement.",
               {on_off("aligned")},
               [](Policy& p, const Order& o) { p.chip_control_alignment = as_bool(o.args[0]); }});
  // --- Vendors.
  c.push_back({"set_chip_price",
               kVendor,
               -1,
               "List price of your chips per H100-equivalent.",
               {{"usd_per_h100e", ParamType::Real, 1000, 100000, "$ per H100e", "list price"}},
               [](Policy& p, const Order& o) { p.chip_price_usd = o.args[0]; }});
  c.push_back({"set_allocation",
               kVendor,
               -1,
               "Priority of a customer lab when supply is short (higher first).",
               {lab_param("customer", "customer lab"), {"priority", ParamType::Int, 0, 9, "rank", "0 last .. 9 first"}},
               [](Policy& p, const Order& o) {
                 const auto customer = static_cast<std::size_t>(as_int(o.args[0]));
                 if (p.allocation_priority.size() <= customer) p.allocation_priority.resize(customer + 1, 0);
                 p.allocation_priority[customer] = as_int(o.args[1]);
               }});
  c.push_back({"set_compliant_chip",
               kVendor,
               kUS,
               "Offer a downgraded compliant chip to tier-1 destinations.",
               {on_off("offered")},
               [](Policy& p, const Order& o) { p.compliant_chip = as_bool(o.args[0]); }});
  c.push_back({"set_capacity_investment",
               kVendor,
               -1,
               "Investment in production capacity; raises growth.",
               {usd_b(100, "capacity investment")},
               [](Policy& p, const Order& o) { p.capacity_investment_usd_b = o.args[0]; }});
  c.push_back({"set_lobbying",
               kVendor,
               -1,
               "Lobbying that lowers the political cost of loosening export controls.",
               {usd_b(5, "lobbying spend")},
               [](Policy& p, const Order& o) { p.lobbying_usd_b = o.args[0]; }});
  // --- Labs.
  c.push_back({"set_chip_budget",
               kLab,
               -1,
               "Share of the cash left after other spending that buys chips each quarter (revenue funds compute).",
               {{"share", ParamType::Real, 0, 1, "share of cash", "chip purchases"}},
               [](Policy& p, const Order& o) { p.chip_spend_share = o.args[0]; }});
  c.push_back({"set_training_share",
               kLab,
               -1,
               "Share of compute used for training rather than serving customers.",
               {{"share", ParamType::Real, 0.05, 0.95, "share", "training share"}},
               [](Policy& p, const Order& o) { p.training_share = o.args[0]; }});
  c.push_back({"set_api_defence",
               kLab,
               -1,
               "Investment in API defences against distillation (account fraud detection).",
               {usd_b(10, "API defence investment")},
               [](Policy& p, const Order& o) { p.api_defence_usd_b = o.args[0]; }});
  c.push_back({"set_weight_security",
               kLab,
               -1,
               "Investment in securing model weights against theft.",
               {usd_b(10, "weight security investment")},
               [](Policy& p, const Order& o) { p.weight_security_usd_b = o.args[0]; }});
  c.push_back({"set_open_weights",
               kLab,
               -1,
               "Release your models' weights openly (a floor for every lab, cheaper stack).",
               {on_off("releasing")},
               [](Policy& p, const Order& o) { p.open_weights = as_bool(o.args[0]); }});
  c.push_back({"set_model_price",
               kLab,
               -1,
               "Price of your models' API.",
               {{"usd_per_mtok", ParamType::Real, 0.1, 100, "$ per million tokens", "API price"}},
               [](Policy& p, const Order& o) { p.model_price_usd_per_mtok = o.args[0]; }});
  c.push_back({"set_safety_investment",
               kLab,
               -1,
               "Investment in safety research.",
               {usd_b(20, "safety investment")},
               [](Policy& p, const Order& o) { p.safety_usd_b = o.args[0]; }});
  c.push_back(
      {"set_distillation",
       kLab,
       -1,
       "Distillation campaign: harvest a foreign lab's outputs through many accounts to train your model.",
       {lab_param("target", "lab to distil from"),
        {"intensity", ParamType::Real, 0, 1, "share", "0 stopped .. 1 full campaign"}},
       [](Policy& p, const Order& o) {
         p.distill_target = as_int(o.args[0]);
         p.distill_intensity = o.args[1];
       },
       [](const State& s, int actor, const Order& o) { return foreign_lab_only(s, actor, as_int(o.args[0])); }});
  // --- Everyone.
  c.push_back({"set_intelligence",
               kAll,
               -1,
               "Intelligence spending; sharpens your estimates of other actors.",
               {usd_b(5, "intelligence spending")},
               [](Policy& p, const Order& o) { p.intelligence_usd_b = o.args[0]; }});
  return c;
}

std::string format_number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

}  // namespace

std::span<const ActionSpec> catalogue() {
  static const std::vector<ActionSpec> kCatalogue = build_catalogue();
  return kCatalogue;
}

int action_index(std::string_view name) {
  const auto all = catalogue();
  const auto it = std::find_if(all.begin(), all.end(), [&](const ActionSpec& a) { return a.name == name; });
  return it == all.end() ? -1 : static_cast<int>(it - all.begin());
}

const ActionSpec* find_action(std::string_view name) {
  const int i = action_index(name);
  return i < 0 ? nullptr : &catalogue()[static_cast<std::size_t>(i)];
}

bool action_allowed(const ActionSpec& spec, const Actor& actor) {
  if ((spec.kinds & kind_bit(actor.kind)) == 0) return false;
  return spec.bloc < 0 || spec.bloc == bloc_index(actor.bloc);
}

std::string describe_allowed(const State& state, const ParamSpec& param) {
  switch (param.type) {
    case ParamType::Int:
      return "an integer from " + format_number(param.min) + " to " + format_number(param.max);
    case ParamType::Real:
      return "a number from " + format_number(param.min) + " to " + format_number(param.max);
    case ParamType::Bool:
      return "true or false";
    case ParamType::Market:
      return "one of US, CN, EU, ROW";
    case ParamType::Bloc:
      return "one of US, CN, EU, SEA, ROW";
    case ParamType::Actor: {
      std::string ids;
      for (const Actor& a : state.actors) {
        if ((param.actor_kinds & kind_bit(a.kind)) == 0) continue;
        ids += ids.empty() ? a.id : ", " + a.id;
      }
      return "one of " + ids;
    }
  }
  return {};
}

}  // namespace leadtime
