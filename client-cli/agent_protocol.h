#pragma once

// The --agent protocol, socket- and process-free: the JSON line an agent
// reads each round and the JSON line it answers with (client-cli/README.md,
// "Agents"). The view line is the --json view plus what an agent needs to
// act alone: the actions it may order, the press since the last view and
// the server's verdict on its last orders.
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "client-cli/model.h"

namespace leadtime::cli {

inline constexpr int kAgentProtocolVersion = 1;

struct AgentPress {
  std::vector<std::string> to;  // empty: public
  std::string text;
};

// What the agent decided for one round.
struct AgentReply {
  bool keep_standing = false;  // no "orders": the standing orders stay
  std::vector<OrderDraft> orders;
  std::vector<AgentPress> press;
  bool ready = true;
};

struct AgentFeedback {
  std::optional<SubmitResult> last_submission;
  std::vector<std::string> faults;  // what went wrong with the last reply
};

// One line (no newline) for the agent's stdin. `press` is what arrived since
// the last view line.
nlohmann::json agent_view(const ClientModel& model, const std::vector<PressItem>& press, const AgentFeedback& feedback,
                          std::int64_t seconds_to_answer);

// The agent's answer, or what is wrong with it (bad JSON with its position,
// an unknown key, an order that is not an object...).
std::variant<AgentReply, std::string> parse_agent_reply(std::string_view line);

}  // namespace leadtime::cli
