#include "client-cli/agent_protocol.h"

#include "client-cli/render_json.h"

namespace leadtime::cli {

nlohmann::json agent_view(const ClientModel& model, const std::vector<PressItem>& press, const AgentFeedback& feedback,
                          std::int64_t seconds_to_answer) {
  json line = typed("view", view_json(*model.view, model.actors));
  line["protocol"] = kAgentProtocolVersion;
  line["game_id"] = model.game_id;
  line["rounds"] = model.total_rounds();
  line["seconds_to_answer"] = seconds_to_answer;
  json actions = json::array();
  if (const Actor* self = model.self()) {
    for (const ActionSpec& a : catalogue()) {
      if (action_allowed(a, *self)) actions.push_back(action_json(a));
    }
  }
  line["actions"] = actions;
  json messages = json::array();
  for (const PressItem& p : press) messages.push_back(press_json(p));
  line["press"] = messages;
  line["last_submission"] = feedback.last_submission ? submit_json(*feedback.last_submission) : json(nullptr);
  line["faults"] = feedback.faults;
  return line;
}

namespace {

std::variant<AgentPress, std::string> read_press(const json& j) {
  if (!j.is_object()) return "each press item must be an object {\"to\": [...], \"text\": \"...\"}, got " + j.dump();
  AgentPress p;
  const auto text = j.find("text");
  if (text == j.end() || !text->is_string()) return "a press item needs \"text\" (a string), got " + j.dump();
  p.text = text->get<std::string>();
  if (const auto to = j.find("to"); to != j.end()) {
    if (to->is_string()) {
      if (to->get<std::string>() != "all") p.to.push_back(to->get<std::string>());
    } else if (to->is_array()) {
      for (const json& id : *to) {
        if (!id.is_string()) return "\"to\" must list seat ids (strings), got " + to->dump();
        p.to.push_back(id.get<std::string>());
      }
    } else if (!to->is_null()) {
      return "\"to\" must be a seat id, a list of them or \"all\", got " + to->dump();
    }
  }
  return p;
}

std::optional<std::string> read_orders(const json& list, AgentReply& reply) {
  if (!list.is_array()) return "\"orders\" must be a list of orders, got " + list.dump();
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto order = order_from_json(list[i]);
    if (auto* why = std::get_if<std::string>(&order)) return "order " + std::to_string(i + 1) + ": " + *why;
    reply.orders.push_back(std::get<OrderDraft>(std::move(order)));
  }
  return std::nullopt;
}

}  // namespace

std::variant<AgentReply, std::string> parse_agent_reply(std::string_view line) {
  json j;
  try {
    j = json::parse(line);
  } catch (const json::parse_error& e) {
    // The parser's message names the byte where it stopped.
    std::string shown(line.substr(0, 80));
    return "bad JSON (" + std::string(e.what()) + ") in: " + shown + (line.size() > 80 ? "..." : "");
  }
  AgentReply reply;
  if (j.is_null()) {
    reply.keep_standing = true;
    return reply;
  }
  if (j.is_array()) {
    if (auto why = read_orders(j, reply)) return *why;
    return reply;
  }
  if (!j.is_object()) return "expected an object {\"orders\": [...]} or a list of orders, got " + j.dump();
  reply.keep_standing = !j.contains("orders");
  for (const auto& [key, value] : j.items()) {
    if (key == "orders") {
      if (auto why = read_orders(value, reply)) return *why;
    } else if (key == "press") {
      if (!value.is_array()) return "\"press\" must be a list, got " + value.dump();
      for (const json& item : value) {
        auto p = read_press(item);
        if (auto* why = std::get_if<std::string>(&p)) return *why;
        reply.press.push_back(std::get<AgentPress>(std::move(p)));
      }
    } else if (key == "ready") {
      if (!value.is_boolean()) return "\"ready\" must be true or false, got " + value.dump();
      reply.ready = value.get<bool>();
    } else {
      return "unknown key \"" + key + "\"; an answer may have \"orders\", \"press\" and \"ready\"";
    }
  }
  return reply;
}

}  // namespace leadtime::cli
