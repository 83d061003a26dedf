#include "client-cli/render_scenario.h"

#include <algorithm>
#include <sstream>

#include "client-cli/order_text.h"
#include "client-cli/render_json.h"
#include "client-cli/render_text.h"
#include "engine/text.h"

namespace leadtime::cli {

using json = nlohmann::json;

namespace {

const char* visibility_word(Visibility v) {
  switch (v) {
    case Visibility::Public:
      return "public";
    case Visibility::Private:
      return "private";
    case Visibility::Facilitator:
      return "facilitator";
  }
  return "public";
}

const SeatInfo* summary_of(const ClientModel& model, const std::string& seat) {
  if (!model.game) return nullptr;
  for (const SeatInfo& s : model.game->seats) {
    if (s.seat == seat) return &s;
  }
  return nullptr;
}

const SeatOrdersInfo* find_orders(const std::vector<SeatOrdersInfo>& list, const std::string& seat) {
  const auto it = std::find_if(list.begin(), list.end(), [&](const SeatOrdersInfo& s) { return s.seat == seat; });
  return it == list.end() ? nullptr : &*it;
}

int actor_index(const ClientModel& model, const std::string& seat) {
  if (!model.facilitator) return -1;
  const auto& actors = model.facilitator->actors;
  for (std::size_t i = 0; i < actors.size(); ++i) {
    if (actors[i].id == seat) return static_cast<int>(i);
  }
  return -1;
}

const std::vector<protocol::ObjectiveDetails>* objectives_of(const ClientModel& model, const std::string& seat) {
  if (model.scenario) {
    for (const auto& s : model.scenario->seats) {
      if (s.id == seat && !s.objectives.empty()) return &s.objectives;
    }
  }
  if (seat == model.seat && !model.objectives.empty()) return &model.objectives;
  return nullptr;
}

std::string played_by(const SeatInfo* info) {
  if (info == nullptr) return "";
  if (info->bot)
    return "played by the bot " + (info->bot_path.empty() ? std::string("of the scenario") : info->bot_path);
  return "played by people (" + std::to_string(info->connected) + " online)";
}

void order_lines(std::ostringstream& out, const std::vector<OrderDraft>& orders) {
  for (const OrderDraft& o : orders) out << "    " << format_order(o) << "\n";
}

json orders_list(const std::vector<OrderDraft>& orders) {
  json list = json::array();
  for (const OrderDraft& o : orders) list.push_back(order_json(o));
  return list;
}

std::string state_lines(const Actor& a) {
  std::ostringstream out;
  out << "  cash " << money(a.cash_usd_b);
  switch (a.kind) {
    case ActorKind::Government:
      out << " · budget " << money(a.gov.budget_usd_b) << " a quarter · political capital "
          << format_number(a.gov.political_capital, 3);
      break;
    case ActorKind::Vendor:
      out << " · capacity " << compute(a.vendor.capacity_h100e) << " a quarter · sold " << compute(a.vendor.sold_h100e)
          << " · revenue " << money(a.vendor.revenue_usd_b);
      break;
    case ActorKind::Lab:
      out << " · compute " << compute(a.lab.compute_h100e) << " · capability " << format_number(a.lab.capability_oom, 4)
          << " OOM · revenue " << money(a.lab.revenue_usd_b);
      break;
  }
  out << "\n";
  return out.str();
}

}  // namespace

std::string score_formula(const std::vector<protocol::ObjectiveDetails>& objectives) {
  std::vector<std::string> terms;
  for (const auto& o : objectives) terms.push_back(format_number(o.weight) + " x " + o.metric);
  return join(terms, " + ");
}

std::string objectives_lines(const std::vector<protocol::ObjectiveDetails>& objectives) {
  std::ostringstream out;
  std::size_t width = 0;
  for (const auto& o : objectives) width = std::max(width, format_number(o.weight).size() + 3 + o.metric.size());
  bool negative = false;
  for (const auto& o : objectives) {
    std::string term = format_number(o.weight) + " x " + o.metric;
    term.resize(width, ' ');
    out << "  " << term << "  " << o.help << "\n";
    negative = negative || o.weight < 0;
  }
  if (negative) out << "  (a negative weight rewards less of that metric)\n";
  return out.str();
}

json objectives_json(const std::vector<protocol::ObjectiveDetails>& objectives) {
  json list = json::array();
  for (const auto& o : objectives) list.push_back({{"metric", o.metric}, {"weight", o.weight}, {"help", o.help}});
  return list;
}

std::string scenario_events_text(const protocol::ScenarioDetails& scenario) {
  if (scenario.events.empty()) return "The scenario \"" + scenario.name + "\" has no events you may see.";
  std::ostringstream out;
  out << "Events of the scenario \"" << scenario.name << "\" (the facilitator injects them by id):";
  for (const auto& e : scenario.events) {
    out << "\n  " << e.id << ": " << e.title;
    if (!e.description.empty()) out << "\n      " << e.description;
  }
  return out.str();
}

std::string engine_injects_text(const State* state) {
  std::ostringstream out;
  out << "The engine's injects, with parameters (e.g. 'inject supply_shock vendor=cn_vendor share=0.3'):";
  for (const InjectSpec& s : inject_catalogue()) {
    const ActionSpec as = as_action(s);
    out << "\n  " << usage(as) << ": " << s.help;
    for (const ParamSpec& p : s.params)
      out << "\n      " << p.name << ": " << p.help << " (" << param_range(p, state) << ")";
  }
  return out.str();
}

json engine_injects_json(const State* state) {
  json list = json::array();
  for (const InjectSpec& s : inject_catalogue()) {
    json params = json::array();
    for (const ParamSpec& p : s.params) {
      params.push_back({{"name", p.name},
                        {"type", kParamTypeNames[static_cast<std::size_t>(p.type)]},
                        {"allowed", param_range(p, state)},
                        {"help", p.help}});
    }
    list.push_back({{"id", s.id}, {"help", s.help}, {"params", params}});
  }
  return list;
}

json scenario_events_json(const protocol::ScenarioDetails& scenario) {
  json list = json::array();
  for (const auto& e : scenario.events) {
    list.push_back({{"id", e.id},
                    {"title", e.title},
                    {"description", e.description},
                    {"visibility", visibility_word(e.visibility)},
                    {"audience", e.audience},
                    {"probability", e.probability},
                    {"once", e.once}});
  }
  return {{"scenario", scenario.name}, {"events", list}};
}

std::string seat_orders_text(const ClientModel& model, const std::string& seat) {
  std::ostringstream out;
  const SeatInfo* info = summary_of(model, seat);
  out << seat << (info != nullptr ? ", " + played_by(info) : std::string()) << "\n";
  if (!model.facilitator) return out.str() + "  (no view from the server yet)\n";
  const FacilitatorInfo& f = *model.facilitator;
  if (f.round == 0) {
    out << "  No round resolved yet.\n";
  } else if (const SeatOrdersInfo* played = find_orders(f.orders, seat)) {
    out << "  Round " << f.round << " (resolved), "
        << (played->bot              ? std::string("by its bot")
            : played->member.empty() ? "by people"
                                     : "sent by " + played->member)
        << ":\n";
    if (played->orders.empty()) out << "    no orders: its standing policies stayed\n";
    order_lines(out, played->orders);
  } else {
    out << "  Round " << f.round << ": the server sent no orders for it\n";
  }
  out << "  Round " << f.round + 1 << " (open):\n";
  if (const SeatOrdersInfo* now = find_orders(f.submitted, seat)) {
    out << "    sent by " << (now->member.empty() ? std::string("people") : now->member) << ":\n";
    if (now->orders.empty()) out << "    no orders: its standing policies stay\n";
    order_lines(out, now->orders);
  } else if (info != nullptr && info->bot) {
    out << "    a bot: it decides when the round resolves\n";
  } else if (info != nullptr && info->submitted) {
    out << "    orders are in (this server shows them once the round resolves)\n";
  } else {
    out << "    none yet\n";
  }
  return out.str();
}

json seat_orders_json(const ClientModel& model, const std::string& seat) {
  json out = {{"seat", seat}, {"last_round", nullptr}, {"this_round", nullptr}};
  if (!model.facilitator) return out;
  const FacilitatorInfo& f = *model.facilitator;
  if (const SeatOrdersInfo* played = find_orders(f.orders, seat); played != nullptr && f.round > 0) {
    out["last_round"] = {
        {"round", f.round}, {"bot", played->bot}, {"member", played->member}, {"orders", orders_list(played->orders)}};
  }
  const SeatInfo* info = summary_of(model, seat);
  json now = {{"round", f.round + 1},
              {"submitted", info != nullptr && info->submitted},
              {"bot", info != nullptr && info->bot},
              {"orders", nullptr}};
  if (const SeatOrdersInfo* sent = find_orders(f.submitted, seat)) {
    now["submitted"] = true;
    now["member"] = sent->member;
    now["orders"] = orders_list(sent->orders);
  }
  out["this_round"] = now;
  return out;
}

std::string seat_text(const ClientModel& model, const std::string& seat) {
  std::ostringstream out;
  const int index = actor_index(model, seat);
  const SeatInfo* info = summary_of(model, seat);
  if (index < 0) return "Seat " + seat + ": the server has not sent its state yet.";
  const FacilitatorInfo& f = *model.facilitator;
  const Actor& a = f.actors[static_cast<std::size_t>(index)];
  out << "Seat " << a.id << " (" << a.name << ", " << kActorKindNames[static_cast<std::size_t>(a.kind)] << ", "
      << kBlocNames[static_cast<std::size_t>(a.bloc)] << ")";
  if (info != nullptr) {
    out << " · " << played_by(info) << " · " << (info->submitted ? "orders in" : "no orders in") << " · "
        << (info->ready ? "ready" : "not ready");
  }
  out << "\n";
  if (static_cast<std::size_t>(index) < f.scores.size()) {
    out << "Score " << format_number(f.scores[static_cast<std::size_t>(index)], 4);
    if (const auto* objectives = objectives_of(model, seat)) out << " = " << score_formula(*objectives);
    out << "\n";
  }
  out << state_lines(a);
  State names;
  names.actors = f.actors;
  out << "Policies in force: " << policy_text(a, names) << "\n";
  out << "Orders: " << seat_orders_text(model, seat);
  return out.str();
}

json seat_json(const ClientModel& model, const std::string& seat) {
  json out = {{"seat", seat}};
  const int index = actor_index(model, seat);
  if (index >= 0) {
    const FacilitatorInfo& f = *model.facilitator;
    State names;
    names.actors = f.actors;
    out["actor"] = actor_json(f.actors[static_cast<std::size_t>(index)], names);
    if (static_cast<std::size_t>(index) < f.scores.size()) out["score"] = f.scores[static_cast<std::size_t>(index)];
  }
  if (const SeatInfo* info = summary_of(model, seat)) {
    out["bot"] = info->bot;
    out["bot_path"] = info->bot_path;
    out["connected"] = info->connected;
    out["submitted"] = info->submitted;
    out["ready"] = info->ready;
  }
  if (const auto* objectives = objectives_of(model, seat)) out["objectives"] = objectives_json(*objectives);
  out["orders"] = seat_orders_json(model, seat);
  return out;
}

}  // namespace leadtime::cli
