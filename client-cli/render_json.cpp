#include "client-cli/render_json.h"

#include <algorithm>

#include "engine/visibility.h"

namespace leadtime::cli {

namespace {

template <typename T, std::size_t N, typename Names>
json by_name(const std::array<T, N>& values, const Names& names) {
  json out = json::object();
  for (std::size_t i = 0; i < N && i < names.size(); ++i) out[names[i]] = values[i];
  return out;
}

json actor_ref(const State& names, int index) {
  if (index < 0 || static_cast<std::size_t>(index) >= names.actors.size()) return nullptr;
  return names.actors[static_cast<std::size_t>(index)].id;
}

json spending_json(const Spending& s) {
  return {{"export_promotion", by_name(s.export_promotion, kMarketNames)},
          {"lab_subsidy", s.lab_subsidy},
          {"enforcement", s.enforcement},
          {"fab_investment", s.fab_investment},
          {"smuggling", s.smuggling},
          {"offshore_rental", s.offshore_rental},
          {"cyber", s.cyber},
          {"sovereignty", s.sovereignty},
          {"capacity_investment", s.capacity_investment},
          {"lobbying", s.lobbying},
          {"api_defence", s.api_defence},
          {"weight_security", s.weight_security},
          {"safety", s.safety},
          {"distillation", s.distillation},
          {"intelligence", s.intelligence},
          {"chips", s.chips},
          {"scale", s.scale}};
}

}  // namespace

json typed(std::string type, json body) {
  json out = json::object();
  out["type"] = std::move(type);
  for (auto& [key, value] : body.items()) out[key] = value;
  return out;
}

json order_json(const OrderDraft& order) {
  json out = json::object();
  out["action"] = order.action;
  for (const auto& [name, value] : order.args) {
    if (const auto* d = std::get_if<double>(&value)) {
      out[name] = *d;
    } else if (const auto* b = std::get_if<bool>(&value)) {
      out[name] = *b;
    } else {
      out[name] = std::get<std::string>(value);
    }
  }
  return out;
}

std::variant<OrderDraft, std::string> order_from_json(const json& j) {
  if (!j.is_object()) return "an order must be an object like {\"action\": \"set_export_tier\", ...}, got " + j.dump();
  const auto action = j.find("action");
  if (action == j.end() || !action->is_string()) return "an order needs \"action\" (a string), got " + j.dump();
  OrderDraft draft{action->get<std::string>(), {}};
  const auto args_it = j.find("args");
  const json& args = args_it != j.end() && args_it->is_object() ? *args_it : j;
  for (const auto& [name, value] : args.items()) {
    if (&args == &j && (name == "action" || name == "args")) continue;
    if (value.is_boolean()) {
      draft.args.emplace_back(name, ArgValue{value.get<bool>()});
    } else if (value.is_number()) {
      draft.args.emplace_back(name, ArgValue{value.get<double>()});
    } else if (value.is_string()) {
      draft.args.emplace_back(name, ArgValue{value.get<std::string>()});
    } else {
      return draft.action + ": '" + name + "' must be a number, true/false or a string, got " + value.dump();
    }
  }
  // JSON objects have no order; show arguments in the catalogue's.
  if (const ActionSpec* spec = find_action(draft.action)) {
    auto rank = [&](const std::string& name) {
      for (std::size_t i = 0; i < spec->params.size(); ++i) {
        if (spec->params[i].name == name) return i;
      }
      return spec->params.size();
    };
    std::stable_sort(draft.args.begin(), draft.args.end(),
                     [&](const auto& a, const auto& b) { return rank(a.first) < rank(b.first); });
  }
  return draft;
}

json indicators_json(const PublicIndicators& ind) {
  json markets = json::object();
  for (std::size_t m = 0; m < kMarketCount; ++m) {
    markets[kMarketNames[m]] = {{"size_usd_b", ind.market_size_usd_b[m]},
                                {"shares", by_name(ind.shares[m], kStackNames)}};
  }
  return {{"lead_months", ind.lead_months},
          {"compute_ratio_us_cn", ind.compute_ratio_us_cn},
          {"markets", markets},
          {"norm_index", ind.norm_index},
          {"surveillance_exports", ind.surveillance_exports},
          {"thefts_public", ind.thefts_public},
          {"seized_h100e", ind.seized_h100e}};
}

json events_json(const std::vector<Event>& events) {
  json out = json::array();
  for (const Event& e : events) {
    out.push_back({{"kind", e.kind}, {"text", e.text}, {"visibility", visibility_name(e.visibility)}});
  }
  return out;
}

json policy_json(const Policy& p, const State& names) {
  json allocation = json::object();
  for (std::size_t i = 0; i < p.allocation_priority.size(); ++i) {
    const json id = actor_ref(names, static_cast<int>(i));
    allocation[id.is_string() ? id.get<std::string>() : std::to_string(i)] = p.allocation_priority[i];
  }
  return {{"export_tier", by_name(p.export_tier, kBlocNames)},
          {"licensed_firms", p.licensed_firms},
          {"enforcement_usd_b", p.enforcement_usd_b},
          {"cloud_kyc", p.cloud_kyc},
          {"anti_distillation_law", p.anti_distillation_law},
          {"threat_intel_sharing", p.threat_intel_sharing},
          {"export_promotion_usd_b", by_name(p.export_promotion_usd_b, kMarketNames)},
          {"lab_subsidy_usd_b", p.lab_subsidy_usd_b},
          {"fab_investment_usd_b", p.fab_investment_usd_b},
          {"smuggling_usd_b", p.smuggling_usd_b},
          {"offshore_rental_usd_b", p.offshore_rental_usd_b},
          {"foreign_chip_ban", p.foreign_chip_ban},
          {"cyber_usd_b", p.cyber_usd_b},
          {"cyber_target", actor_ref(names, p.cyber_target)},
          {"tool_alignment", p.tool_alignment},
          {"sovereignty_usd_b", p.sovereignty_usd_b},
          {"regulation", p.regulation},
          {"chip_control_alignment", p.chip_control_alignment},
          {"chip_price_usd", p.chip_price_usd},
          {"allocation_priority", allocation},
          {"compliant_chip", p.compliant_chip},
          {"capacity_investment_usd_b", p.capacity_investment_usd_b},
          {"lobbying_usd_b", p.lobbying_usd_b},
          {"chip_spend_share", p.chip_spend_share},
          {"training_share", p.training_share},
          {"api_defence_usd_b", p.api_defence_usd_b},
          {"weight_security_usd_b", p.weight_security_usd_b},
          {"open_weights", p.open_weights},
          {"model_price_usd_per_mtok", p.model_price_usd_per_mtok},
          {"safety_usd_b", p.safety_usd_b},
          {"distill_target", actor_ref(names, p.distill_target)},
          {"distill_intensity", p.distill_intensity},
          {"intelligence_usd_b", p.intelligence_usd_b}};
}

json actor_json(const Actor& a, const State& names) {
  json out = {{"id", a.id},
              {"name", a.name},
              {"kind", kActorKindNames[static_cast<std::size_t>(a.kind)]},
              {"bloc", kBlocNames[static_cast<std::size_t>(a.bloc)]},
              {"cash_usd_b", a.cash_usd_b},
              {"policy", policy_json(a.policy, names)},
              {"spent", spending_json(a.spent)}};
  switch (a.kind) {
    case ActorKind::Government:
      out["government"] = {{"budget_usd_b", a.gov.budget_usd_b},
                           {"cum_fab_investment_usd_b", a.gov.cum_fab_investment_usd_b},
                           {"cum_sovereignty_usd_b", a.gov.cum_sovereignty_usd_b},
                           {"political_capital", a.gov.political_capital}};
      break;
    case ActorKind::Vendor:
      out["vendor"] = {{"capacity_h100e", a.vendor.capacity_h100e}, {"capacity_growth", a.vendor.capacity_growth},
                       {"revenue_usd_b", a.vendor.revenue_usd_b},   {"cum_revenue_usd_b", a.vendor.cum_revenue_usd_b},
                       {"sold_h100e", a.vendor.sold_h100e},         {"euv_multiplier", a.vendor.euv_multiplier},
                       {"output_h100e", a.vendor.output_h100e}};
      break;
    case ActorKind::Lab:
      out["lab"] = {{"compute_h100e", a.lab.compute_h100e},
                    {"offshore_h100e", a.lab.offshore_h100e},
                    {"capability_oom", a.lab.capability_oom},
                    {"alg_efficiency_oom", a.lab.alg_efficiency_oom},
                    {"alg_growth_oom", a.lab.alg_growth_oom},
                    {"api_defence", a.lab.api_defence},
                    {"weight_security", a.lab.weight_security},
                    {"revenue_usd_b", a.lab.revenue_usd_b},
                    {"funding_usd_b", a.lab.funding_usd_b},
                    {"funding_growth", a.lab.funding_growth},
                    {"bought_h100e", a.lab.bought_h100e},
                    {"chip_money_left_usd_b", a.lab.chip_money_left_usd_b},
                    {"open_weights_oom", a.lab.open_weights_oom},
                    {"cum_safety_usd_b", a.lab.cum_safety_usd_b},
                    {"accelerated", a.lab.accelerated}};
      break;
  }
  return out;
}

json estimate_json(const Estimate& e) {
  return {{"actor", e.actor},
          {"id", e.id},
          {"kind", kActorKindNames[static_cast<std::size_t>(e.kind)]},
          {"bloc", kBlocNames[static_cast<std::size_t>(e.bloc)]},
          {"cash_usd_b", e.cash_usd_b},
          {"compute_h100e", e.compute_h100e},
          {"capability_oom", e.capability_oom},
          {"capacity_h100e", e.capacity_h100e},
          {"noise_sd", e.noise_sd}};
}

json view_json(const View& v, const State& names) {
  json others = json::array();
  for (const Estimate& e : v.others) others.push_back(estimate_json(e));
  return {{"round", v.round},
          {"quarter", v.quarter.str()},
          {"seat", v.self ? json(v.self->id) : json(nullptr)},
          {"score", v.own_score},
          {"self", v.self ? actor_json(*v.self, names) : json(nullptr)},
          {"others", others},
          {"indicators", indicators_json(v.indicators)},
          {"events", events_json(v.events)}};
}

json round_json(const RoundInfo& r) {
  return {{"round", r.round},
          {"quarter", r.quarter},
          {"hash", r.hash},
          {"indicators", indicators_json(r.indicators)},
          {"events", events_json(r.events)}};
}

json press_json(const PressItem& p) {
  return {{"seq", p.seq}, {"from", p.from.empty() ? json(nullptr) : json(p.from)}, {"to", p.to}, {"text", p.text}};
}

json game_json(const GameInfo& g, SteadyTime now) {
  json seats = json::array();
  for (const SeatInfo& s : g.seats) {
    seats.push_back({{"seat", s.seat},
                     {"bot", s.bot},
                     {"bot_path", s.bot_path},
                     {"connected", s.connected},
                     {"submitted", s.submitted},
                     {"ready", s.ready}});
  }
  return {{"game_id", g.game_id},
          {"scenario", g.scenario},
          {"round", g.round},
          {"rounds", g.rounds},
          {"phase", g.phase},
          {"quarter", g.quarter},
          {"seconds_left", g.has_deadline() ? json(g.seconds_left_at(now)) : json(nullptr)},
          {"seed", g.seed},
          {"open_seats", g.open_seats},
          {"seats", seats}};
}

json facilitator_json(const FacilitatorInfo& f) {
  State names;
  names.actors = f.actors;
  json actors = json::array();
  for (const Actor& a : f.actors) actors.push_back(actor_json(a, names));
  json orders = json::array();
  for (const SeatOrdersInfo& so : f.orders) {
    json list = json::array();
    for (const OrderDraft& o : so.orders) list.push_back(order_json(o));
    orders.push_back({{"seat", so.seat}, {"bot", so.bot}, {"member", so.member}, {"orders", list}});
  }
  json scores = json::object();
  for (std::size_t i = 0; i < f.scores.size() && i < f.actors.size(); ++i) scores[f.actors[i].id] = f.scores[i];
  return {{"round", f.round},
          {"quarter", f.quarter},
          {"actors", actors},
          {"indicators", indicators_json(f.indicators)},
          {"events", events_json(f.events)},
          {"orders", orders},
          {"scores", scores}};
}

json game_end_json(const GameEndInfo& e) {
  json scores = json::object();
  for (const SeatScore& s : e.scores) scores[s.seat] = s.score;
  return {{"reason", e.reason}, {"scores", scores}};
}

json submit_json(const SubmitResult& r) {
  json rejected = json::array();
  for (const auto& x : r.rejected) {
    rejected.push_back({{"index", x.index}, {"action", x.action}, {"param", x.param}, {"message", x.message}});
  }
  return {{"accepted", r.accepted}, {"rejected", rejected}};
}

json draft_json(const Draft& d) {
  json orders = json::array();
  for (const DraftEntry& e : d.entries()) {
    const char* status = e.status == DraftStatus::New         ? "new"
                         : e.status == DraftStatus::Submitted ? "submitted"
                                                              : "rejected";
    json item = {{"order", order_json(e.order)}, {"status", status}};
    if (!e.error.empty()) item["error"] = e.error;
    orders.push_back(std::move(item));
  }
  return {{"orders", orders}, {"changed_since_submit", d.dirty()}};
}

json param_json(const ParamSpec& p) {
  json out = {{"name", p.name}, {"type", kParamTypeNames[static_cast<std::size_t>(p.type)]}, {"help", p.help}};
  if (p.type == ParamType::Int || p.type == ParamType::Real) {
    out["min"] = p.min;
    out["max"] = p.max;
    out["unit"] = p.unit;
  }
  return out;
}

json action_json(const ActionSpec& a) {
  json params = json::array();
  for (const ParamSpec& p : a.params) params.push_back(param_json(p));
  return {{"action", a.name}, {"help", a.help}, {"params", params}};
}

}  // namespace leadtime::cli
