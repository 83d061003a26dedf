#pragma once

// Playing a seat without a person: each round, once the seat's view for an
// open round is in, a decider chooses the orders, the client submits them and
// says the seat is ready, until the game ends. Two deciders: a Lua bot run
// here in the same sandbox as on the server (--bot), and an external program
// spoken to in JSON lines (--agent). A decider that fails leaves the seat on
// its standing orders for that round and the failure is reported; the seat
// is still marked ready, so a game without a deadline goes on.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "client-cli/agent_process.h"
#include "client-cli/agent_protocol.h"
#include "client-cli/session.h"
#include "engine/lua/bot.h"

namespace leadtime::cli {

class Decider {
 public:
  virtual ~Decider() = default;
  // The decision for the model's current view; a string is a fault. A fault
  // flagged fatal ends the client (a bot file that does not load).
  virtual std::variant<AgentReply, std::string> decide(const ClientModel& model, std::chrono::milliseconds budget) = 0;
  [[nodiscard]] virtual bool fatal() const { return false; }
  // Told how the last orders went, for the next decision.
  virtual void feedback(const SubmitResult& /*result*/) {}
  virtual void fault(const std::string& /*why*/) {}
  [[nodiscard]] virtual std::string name() const = 0;
};

class LuaDecider final : public Decider {
 public:
  explicit LuaDecider(std::string path) : path_(std::move(path)) {}
  std::variant<AgentReply, std::string> decide(const ClientModel& model, std::chrono::milliseconds budget) override;
  [[nodiscard]] bool fatal() const override { return fatal_; }
  [[nodiscard]] std::string name() const override { return "bot " + path_; }

 private:
  std::string path_;
  std::optional<lua::Bot> bot_;
  int last_round_ = -1;
  bool fatal_ = false;
};

class AgentDecider final : public Decider {
 public:
  explicit AgentDecider(std::string command) : process_(std::move(command)) {}
  std::variant<AgentReply, std::string> decide(const ClientModel& model, std::chrono::milliseconds budget) override;
  void feedback(const SubmitResult& result) override { feedback_.last_submission = result; }
  void fault(const std::string& why) override { feedback_.faults.push_back(why); }
  [[nodiscard]] std::string name() const override { return "agent '" + process_.command() + "'"; }

 private:
  AgentProcess process_;
  AgentFeedback feedback_;
  std::size_t press_seen_ = 0;
};

struct AutoplayOptions {
  // Longest a decision may take; less when the deadline is nearer.
  std::chrono::seconds decision_timeout{60};
};

// Plays until the game is over or the connection is gone for good; returns
// the process exit code (0 when the game ended).
int autoplay(Session& session, Decider& decider, Sink& sink, AutoplayOptions options);

}  // namespace leadtime::cli
