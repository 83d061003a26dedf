#pragma once

// An external program the client talks to by JSON lines: started with
// /bin/sh -c COMMAND in its own process group, fed on stdin, read on stdout
// with a time limit; its stderr is the user's. Nothing here knows the game.
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>

namespace leadtime::cli {

class AgentProcess {
 public:
  explicit AgentProcess(std::string command) : command_(std::move(command)) {}
  ~AgentProcess();
  AgentProcess(const AgentProcess&) = delete;
  AgentProcess& operator=(const AgentProcess&) = delete;

  // Starts the program; the error says why it could not be.
  std::optional<std::string> start();
  [[nodiscard]] bool running() const { return pid_ > 0; }

  // Writes one line (a newline is added); the error says the agent is gone.
  std::optional<std::string> write_line(const std::string& line);

  struct Read {
    bool ok = false;
    std::string line;  // when ok
    std::string why;   // when not: timed out, exited (how), line too long
  };
  // The next line within `timeout`.
  Read read_line(std::chrono::milliseconds timeout);

  // Kills the whole process group and reaps it; says how it ended.
  std::string stop();

  [[nodiscard]] const std::string& command() const { return command_; }

 private:
  std::string reap_description(int status) const;

  std::string command_;
  pid_t pid_ = -1;
  int to_agent_ = -1;
  int from_agent_ = -1;
  std::string buffer_;
};

}  // namespace leadtime::cli
