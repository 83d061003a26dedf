#pragma once

// The real leadtime-server binary as a child process on a free port, and a
// temporary folder, for the tests that kill, restart or configure it by its
// flags (LEADTIME_SERVER_BIN is set by tests/server/CMakeLists.txt).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/temp_dir.h"

extern char** environ;

namespace net_testing {

using leadtime::testing::TempDir;

class ServerProcess {
 public:
  // How to start it, beyond its flags.
  struct Launch {
    std::vector<std::string> prefix;  // a command it runs under, e.g. {"prlimit", "--nofile=64:64"}
    std::filesystem::path log;        // its output goes here instead of the test's
  };

  // Starts the server with its database in `dir` (unless `args` says
  // --no-db), an open lobby and `args` added; `env` entries ("NAME=value")
  // are added to the environment.
  ServerProcess(const std::filesystem::path& dir, const std::vector<std::string>& args = {},
                const std::vector<std::string>& env = {}, const Launch& launch = {})
      : port_file_(dir / "port") {
    std::filesystem::remove(port_file_);
    std::vector<std::string> all = launch.prefix;
    for (const std::string& a :
         {std::string(LEADTIME_SERVER_BIN), std::string("--listen"), std::string("127.0.0.1:0"), std::string("--db"),
          (dir / "games.db").string(), std::string("--open-lobby"), std::string("--port-file"), port_file_.string()}) {
      all.push_back(a);
    }
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> vars = env;
    for (char** e = environ; *e != nullptr; ++e) vars.emplace_back(*e);
    std::vector<char*> envp;
    for (auto& v : vars) envp.push_back(v.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    const std::string log = launch.log.string();
    if (!log.empty()) {
      ::posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::posix_spawn_file_actions_adddup2(&actions, 1, 2);
    }
    const int spawned = ::posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    ::posix_spawn_file_actions_destroy(&actions);
    REQUIRE(spawned == 0);
    for (int i = 0; i < 600 && port_ == 0; ++i) {
      std::ifstream in(port_file_);
      int port = 0;
      if (in >> port) port_ = static_cast<std::uint16_t>(port);
      if (port_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE_MESSAGE(port_ != 0, "the server did not start");
  }
  // Killed outright: a test that fails half-way must not wait for a
  // server whose bots are held (LEADTIME_TESTING_HOLD_BOTS_MS).
  ~ServerProcess() { kill(SIGKILL); }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  void kill(int signal) {
    if (pid_ <= 0) return;
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] pid_t pid() const { return pid_; }

 private:
  std::filesystem::path port_file_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace net_testing
