#include "report/policies.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "report/html.h"

namespace leadtime::report {

namespace {

using Args = std::vector<double>;
using Read = Args (*)(const Policy&, int key);

double at(int key) { return static_cast<double>(key); }
double flag(bool b) { return b ? 1 : 0; }
std::size_t slot(int key) { return static_cast<std::size_t>(key); }

// Where each action's value sits in a Policy: the inverse of its `apply`.
struct Standing {
  std::string_view action;
  Read read;
};

const std::vector<Standing>& standing_table() {
  static const std::vector<Standing> kTable = {
      {"set_export_promotion",
       [](const Policy& p, int k) {
         return Args{at(k), p.export_promotion_usd_b[slot(k)]};
       }},
      {"set_lab_subsidy", [](const Policy& p, int) { return Args{p.lab_subsidy_usd_b}; }},
      {"set_export_tier",
       [](const Policy& p, int k) {
         return Args{at(k), double(p.export_tier[slot(k)])};
       }},
      {"set_export_licences", [](const Policy& p, int) { return Args{double(p.licensed_firms)}; }},
      {"set_enforcement", [](const Policy& p, int) { return Args{p.enforcement_usd_b}; }},
      {"set_cloud_kyc", [](const Policy& p, int) { return Args{p.cloud_kyc}; }},
      {"set_anti_distillation_law", [](const Policy& p, int) { return Args{flag(p.anti_distillation_law)}; }},
      {"set_threat_intel_sharing", [](const Policy& p, int) { return Args{flag(p.threat_intel_sharing)}; }},
      {"set_fab_investment", [](const Policy& p, int) { return Args{p.fab_investment_usd_b}; }},
      {"set_smuggling", [](const Policy& p, int) { return Args{p.smuggling_usd_b}; }},
      {"set_offshore_rental", [](const Policy& p, int) { return Args{p.offshore_rental_usd_b}; }},
      {"set_foreign_chip_ban", [](const Policy& p, int) { return Args{flag(p.foreign_chip_ban)}; }},
      {"set_cyber_operations",
       [](const Policy& p, int) {
         return Args{p.cyber_usd_b, double(p.cyber_target)};
       }},
      {"set_tool_alignment", [](const Policy& p, int) { return Args{flag(p.tool_alignment)}; }},
      {"set_sovereignty_investment", [](const Policy& p, int) { return Args{p.sovereignty_usd_b}; }},
      {"set_regulation", [](const Policy& p, int) { return Args{p.regulation}; }},
      {"set_chip_control_alignment", [](const Policy& p, int) { return Args{flag(p.chip_control_alignment)}; }},
      {"set_chip_price", [](const Policy& p, int) { return Args{p.chip_price_usd}; }},
      {"set_allocation",
       [](const Policy& p, int k) {
         const double priority = slot(k) < p.allocation_priority.size() ? p.allocation_priority[slot(k)] : 0;
         return Args{at(k), priority};
       }},
      {"set_compliant_chip", [](const Policy& p, int) { return Args{flag(p.compliant_chip)}; }},
      {"set_capacity_investment", [](const Policy& p, int) { return Args{p.capacity_investment_usd_b}; }},
      {"set_lobbying", [](const Policy& p, int) { return Args{p.lobbying_usd_b}; }},
      {"set_chip_budget", [](const Policy& p, int) { return Args{p.chip_spend_share}; }},
      {"set_training_share", [](const Policy& p, int) { return Args{p.training_share}; }},
      {"set_api_defence", [](const Policy& p, int) { return Args{p.api_defence_usd_b}; }},
      {"set_weight_security", [](const Policy& p, int) { return Args{p.weight_security_usd_b}; }},
      {"set_open_weights", [](const Policy& p, int) { return Args{flag(p.open_weights)}; }},
      {"set_model_price", [](const Policy& p, int) { return Args{p.model_price_usd_per_mtok}; }},
      {"set_safety_investment", [](const Policy& p, int) { return Args{p.safety_usd_b}; }},
      {"set_distillation",
       [](const Policy& p, int) {
         return Args{double(p.distill_target), p.distill_intensity};
       }},
      {"set_intelligence", [](const Policy& p, int) { return Args{p.intelligence_usd_b}; }},
  };
  return kTable;
}

Read reader_of(std::string_view action) {
  for (const Standing& s : standing_table()) {
    if (s.action == action) return s.read;
  }
  return nullptr;
}

std::string trimmed(double v, int decimals) {
  std::string s = fixed(v, decimals);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

std::string name_of(const GameRecord& g, const ParamSpec& p, int v) {
  switch (p.type) {
    case ParamType::Actor:
      return v < 0 ? "none" : g.seat_id(v);
    case ParamType::Market:
      return v >= 0 && v < kMarketCount ? kMarketNames[static_cast<std::size_t>(v)] : "?";
    case ParamType::Bloc:
      return v >= 0 && v < kBlocCount ? kBlocNames[static_cast<std::size_t>(v)] : "?";
    default:
      return std::to_string(v);
  }
}

// One argument as people read it, in the unit the catalogue gives it.
std::string value_text(const GameRecord& g, const ParamSpec& p, double v) {
  switch (p.type) {
    case ParamType::Bool:
      return v != 0 ? "on" : "off";
    case ParamType::Actor:
    case ParamType::Market:
    case ParamType::Bloc:
      return name_of(g, p, static_cast<int>(std::lround(v)));
    case ParamType::Int:
      if (p.name == "tier") {
        static constexpr std::array<const char*, 4> kTiers = {"0 ban", "1 downgraded", "2 licensed", "3 open"};
        const long tier = std::lround(v);
        if (tier >= 0 && tier < 4) return kTiers[static_cast<std::size_t>(tier)];
      }
      return std::to_string(std::lround(v));
    case ParamType::Real:
      break;
  }
  const std::string_view unit = p.unit;
  if (unit == "$B per quarter") return "$" + trimmed(v, 2) + "B";
  if (unit.rfind("share", 0) == 0) return trimmed(100 * v, 1) + "%";
  if (unit == "$ per H100e") return "$" + compact(v);
  if (unit == "$ per million tokens") return "$" + trimmed(v, 2) + "/Mtok";
  return trimmed(v, 2);
}

std::string key_text(const GameRecord& g, const ActionSpec& spec, const PolicySlot& s) {
  const int k = key_param(spec);
  if (k < 0) return {};
  const ParamSpec& p = spec.params[static_cast<std::size_t>(k)];
  return std::string(p.name) + "=" + name_of(g, p, s.key);
}

std::string slot_value_text(const GameRecord& g, const ActionSpec& spec, const Args& args) {
  const int k = key_param(spec);
  std::string out;
  for (std::size_t i = 0; i < spec.params.size() && i < args.size(); ++i) {
    if (static_cast<int>(i) == k) continue;
    out += (out.empty() ? "" : " · ") + value_text(g, spec.params[i], args[i]);
  }
  return out;
}

// Whether one of the round's orders set this slot.
bool ordered(const RoundRecord& round, std::size_t seat, const ActionSpec& spec, const PolicySlot& s) {
  if (seat >= round.orders.size()) return false;
  const int k = key_param(spec);
  return std::any_of(round.orders[seat].begin(), round.orders[seat].end(), [&](const Order& o) {
    if (o.action != s.action) return false;
    return k < 0 ||
           (static_cast<std::size_t>(k) < o.args.size() && std::lround(o.args[static_cast<std::size_t>(k)]) == s.key);
  });
}

}  // namespace

int key_param(const ActionSpec& spec) {
  // An action keeps one value per key when its first parameter names a
  // market, a bloc, or (set_allocation) a customer; a target that comes
  // after a value (set_cyber_operations) is part of the value.
  if (spec.params.size() < 2) return -1;
  const ParamType t = spec.params[0].type;
  if (t == ParamType::Market || t == ParamType::Bloc) return 0;
  if (t == ParamType::Actor && spec.name == "set_allocation") return 0;
  return -1;
}

std::vector<double> standing_args(const Policy& policy, const PolicySlot& slot) {
  const auto all = catalogue();
  if (slot.action < 0 || static_cast<std::size_t>(slot.action) >= all.size()) return {};
  const Read read = reader_of(all[static_cast<std::size_t>(slot.action)].name);
  return read == nullptr ? Args{} : read(policy, slot.key);
}

std::vector<PolicySlot> policy_slots(const GameRecord& g, std::size_t seat) {
  std::vector<PolicySlot> out;
  if (seat >= g.seats.size()) return out;
  const Seat& s = g.seats[seat];
  Actor me;
  me.kind = s.kind;
  me.bloc = s.bloc;
  const auto all = catalogue();
  for (std::size_t a = 0; a < all.size(); ++a) {
    const ActionSpec& spec = all[a];
    if (!action_allowed(spec, me) || reader_of(spec.name) == nullptr) continue;
    const int k = key_param(spec);
    const int action = static_cast<int>(a);
    if (k < 0) {
      out.push_back({action, -1});
      continue;
    }
    const ParamSpec& p = spec.params[static_cast<std::size_t>(k)];
    switch (p.type) {
      case ParamType::Market:
        for (int m = 0; m < kMarketCount; ++m) out.push_back({action, m});
        break;
      case ParamType::Bloc:
        // No order names the seat's own bloc as a destination.
        for (int b = 0; b < kBlocCount; ++b) {
          if (b != bloc_index(s.bloc)) out.push_back({action, b});
        }
        break;
      default:
        for (std::size_t i = 0; i < g.seats.size(); ++i) {
          if ((p.actor_kinds & kind_bit(g.seats[i].kind)) != 0) out.push_back({action, static_cast<int>(i)});
        }
    }
  }
  return out;
}

SeatPolicies seat_policies(const GameRecord& g, std::size_t seat) {
  SeatPolicies out;
  if (seat >= g.seats.size()) return out;
  const Policy defaults;
  for (const PolicySlot& s : policy_slots(g, seat)) {
    const ActionSpec& spec = catalogue()[static_cast<std::size_t>(s.action)];
    PolicyRow row;
    row.slot = s;
    row.action = spec.name;
    row.key = key_text(g, spec, s);
    row.help = spec.help;
    const Args default_args = standing_args(defaults, s);
    Args before = standing_args(g.seats[seat].policy_at_start, s);
    bool matters = before != default_args;
    for (std::size_t r = 0; r < g.played.size() && r < g.rounds.size(); ++r) {
      const Policy& in_force = seat < g.played[r].size() ? g.played[r][seat].policy : g.seats[seat].policy_at_start;
      const Args now = standing_args(in_force, s);
      row.values.push_back(slot_value_text(g, spec, now));
      row.changed.push_back(now != before);
      row.ordered.push_back(ordered(g.rounds[r], seat, spec, s));
      matters = matters || now != default_args || row.ordered.back();
      before = now;
    }
    if (matters) {
      out.rows.push_back(std::move(row));
    } else {
      // One entry per action: "set_export_tier target=EU, SEA, ROW".
      const std::string group = row.action + " " + row.key.substr(0, row.key.find('=') + 1);
      if (!row.key.empty() && !out.at_defaults.empty() && out.at_defaults.back().rfind(group, 0) == 0) {
        out.at_defaults.back() += ", " + row.key.substr(row.key.find('=') + 1);
      } else {
        out.at_defaults.push_back(row.key.empty() ? row.action : row.action + " " + row.key);
      }
    }
  }
  return out;
}

}  // namespace leadtime::report
