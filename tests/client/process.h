#pragma once

// Child processes for the client's end-to-end tests: the real server and the
// real leadtime-cli, each run with bounded waits (a hang fails the test
// instead of stalling it) and killed when the test ends.
#include <nlohmann/json.hpp>

#include <sys/types.h>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace leadtime::test {

using leadtime::testing::TempDir;

std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& text);

struct Finished {
  int exit_code = -1;  // -1: did not finish in time (it was killed)
  std::string out;
  std::string err;
};

// A child with stdout and stderr in files (so a chatty child never blocks on
// a full pipe); stdin from a file or /dev/null.
class Child {
 public:
  Child(std::vector<std::string> argv, const std::string& out_file, const std::string& err_file,
        const std::map<std::string, std::string>& env = {}, const std::string& in_file = "/dev/null");
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Waits for the exit; kills it and reports -1 past the limit.
  Finished wait(std::chrono::seconds limit);
  // Whether it is still running.
  bool running();
  void terminate();  // SIGTERM, then SIGKILL if it lingers
  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] std::string out() const { return read_text(out_file_); }
  [[nodiscard]] std::string err() const { return read_text(err_file_); }

 private:
  pid_t pid_ = -1;
  int status_ = 0;
  bool reaped_ = false;
  std::string out_file_;
  std::string err_file_;
};

// Runs to the end (bounded) and returns what it printed.
Finished run(std::vector<std::string> argv, const TempDir& dir, std::chrono::seconds limit,
             const std::map<std::string, std::string>& env = {}, const std::string& stdin_text = "");

// leadtime-server on a free loopback port with its own facilitator key;
// `extra` flags go after the usual ones (e.g. --tls-cert and --tls-key).
class ServerProcess {
 public:
  explicit ServerProcess(const TempDir& dir, const std::vector<std::string>& extra = {});
  ~ServerProcess();
  [[nodiscard]] std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] const std::string& key_file() const { return key_file_; }
  [[nodiscard]] std::string log() const { return child_->out() + child_->err(); }

 private:
  std::unique_ptr<Child> child_;
  std::string key_file_;
  int port_ = 0;
};

// Polls `done` every 50 ms for up to `limit`; true once it holds.
bool eventually(const std::function<bool()>& done, std::chrono::seconds limit);

// Every line of `text` that parses as a JSON object.
std::vector<nlohmann::json> json_lines(const std::string& text);
// The first JSON line with "type" equal to `type` (null object if none).
nlohmann::json first_of(const std::vector<nlohmann::json>& lines, const std::string& type);
nlohmann::json last_of(const std::vector<nlohmann::json>& lines, const std::string& type);
std::size_t count_of(const std::vector<nlohmann::json>& lines, const std::string& type);

}  // namespace leadtime::test
