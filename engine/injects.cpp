#include "engine/injects.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/fields.h"

namespace leadtime {
namespace {

constexpr unsigned kLab = kind_bit(ActorKind::Lab);
constexpr unsigned kVendor = kind_bit(ActorKind::Vendor);

const Actor& actor_at(const State& state, double index) {
  return state.actors[static_cast<std::size_t>(std::lround(index))];
}

std::string thousands(double h100e) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0fk", h100e / 1e3);
  return text;
}

// The chips are taken from the bloc's labs in equal parts; its government
// pays the fine, and every other government that funds enforcement gains
// political capital, as when the engine exposes a case itself.
ScenarioEvent smuggling_case(const State& state, const Coefficients& coef, const std::vector<double>& args) {
  const auto bloc = static_cast<std::size_t>(std::lround(args[0]));
  const double chips = args[1];
  ScenarioEvent e;
  e.id = "smuggling_case";
  e.once = false;
  e.text = "Smuggling case exposed: " + thousands(chips) + " H100e of diverted AI servers bound for " +
           kBlocNames[bloc] + " seized";
  std::vector<const Actor*> labs;
  for (const Actor& a : state.actors) {
    if (a.kind == ActorKind::Lab && bloc_index(a.bloc) == static_cast<int>(bloc)) labs.push_back(&a);
  }
  for (const Actor* lab : labs) {
    e.effects.push_back({lab->id, "compute_h100e", EffectOp::Add, -chips / static_cast<double>(labs.size())});
  }
  for (const Actor& a : state.actors) {
    if (a.kind != ActorKind::Government) continue;
    if (bloc_index(a.bloc) == static_cast<int>(bloc)) {
      e.effects.push_back({a.id, "cash_usd_b", EffectOp::Add, -coef.case_fine_usd_b});
    } else if (a.spent.enforcement > 0) {
      e.effects.push_back({a.id, "political_capital", EffectOp::Add, coef.case_political_gain});
    }
  }
  return e;
}

// Public, so the world's count of thefts includes it.
ScenarioEvent model_theft(const State& state, const Coefficients&, const std::vector<double>& args) {
  const Actor& thief = actor_at(state, args[0]);
  const Actor& victim = actor_at(state, args[1]);
  const double gap = std::max(0.0, victim.lab.capability_oom - thief.lab.capability_oom);
  const double gained = gap * args[2];
  char closed[32];
  std::snprintf(closed, sizeof closed, "%.2f", gained);
  ScenarioEvent e;
  e.id = "weight_theft";
  e.once = false;
  e.text = "Model weights stolen: " + thief.name + " obtains " + victim.name + "'s frontier model, gaining " + closed +
           " OOM of capability";
  e.effects.push_back({thief.id, "capability_oom", EffectOp::Add, gained});
  return e;
}

std::string different_labs(const State&, const std::vector<double>& args) {
  return std::lround(args[0]) == std::lround(args[1]) ? "the thief and the victim are the same lab" : "";
}

ScenarioEvent supply_shock(const State& state, const Coefficients&, const std::vector<double>& args) {
  const Actor& vendor = actor_at(state, args[0]);
  const double share = args[1];
  char lost[16];
  std::snprintf(lost, sizeof lost, "%.0f%%", share * 100);
  ScenarioEvent e;
  e.id = "supply_shock";
  e.once = false;
  e.text = "Chip supply shock: " + vendor.name + " loses " + lost + " of its chip output";
  e.effects.push_back({vendor.id, "capacity_h100e", EffectOp::Mul, 1 - share});
  return e;
}

const std::vector<InjectSpec>& specs() {
  static const std::vector<InjectSpec> table = {
      {"smuggling_case",
       "A smuggling case is exposed: the chips are seized from the bloc's labs, its government is fined, "
       "governments funding enforcement gain political capital",
       {{"bound_for", ParamType::Bloc, 0, 0, "", "the bloc the chips were bound for"},
        {"chips", ParamType::Real, 1e3, 1e7, "H100e", "chips seized"}},
       smuggling_case},
      {"model_theft",
       "A lab's frontier model weights are stolen: the thief closes part of the capability gap (public)",
       {{"thief", ParamType::Actor, 0, 0, "", "the lab that obtains the weights", kLab},
        {"victim", ParamType::Actor, 0, 0, "", "the lab whose weights are stolen", kLab},
        {"share", ParamType::Real, 0, 1, "of the gap", "share of the capability gap the thief closes"}},
       model_theft,
       different_labs},
      {"supply_shock",
       "A chip supply shock (an earthquake, a blockade, a fab fire): a vendor loses part of its chip output",
       {{"vendor", ParamType::Actor, 0, 0, "", "the vendor hit", kVendor},
        {"share", ParamType::Real, 0.01, 0.9, "of output", "share of chip output lost"}},
       supply_shock},
  };
  return table;
}

}  // namespace

std::span<const InjectSpec> inject_catalogue() { return specs(); }

ActionSpec as_action(const InjectSpec& inject) {
  return {inject.id, 0, -1, inject.help, inject.params, nullptr, nullptr};
}

const InjectSpec* find_inject(std::string_view id) {
  for (const InjectSpec& s : specs()) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

std::string inject_ids() {
  std::string ids;
  for (const InjectSpec& s : specs()) ids += (ids.empty() ? "" : ", ") + std::string(s.id);
  return ids;
}

std::variant<ScenarioEvent, std::string> build_inject(const State& state, const Coefficients& coef,
                                                      const std::string& id, const NamedArgs& args) {
  const InjectSpec* spec = find_inject(id);
  if (spec == nullptr) return "unknown event '" + id + "'; the engine's injects: " + inject_ids();
  auto values = convert_args(state, spec->params, args, id);
  if (auto* error = std::get_if<ArgError>(&values)) return error->message;
  const auto& numbers = std::get<std::vector<double>>(values);
  if (spec->check) {
    if (std::string problem = spec->check(state, numbers); !problem.empty()) return id + ": " + problem;
  }
  return spec->build(state, coef, numbers);
}

}  // namespace leadtime
