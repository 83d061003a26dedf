#include "tests/client/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace leadtime::test {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

Child::Child(std::vector<std::string> argv, const std::string& out_file, const std::string& err_file,
             const std::map<std::string, std::string>& env, const std::string& in_file)
    : out_file_(out_file), err_file_(err_file) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, in_file.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  // The parent's environment with `env` on top.
  std::map<std::string, std::string> merged;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string kv(*e);
    const auto eq = kv.find('=');
    if (eq != std::string::npos) merged[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& [k, v] : env) merged[k] = v;
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : merged) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  const int rc = ::posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
}

Child::~Child() { terminate(); }

bool Child::running() {
  if (reaped_) return false;
  const pid_t done = ::waitpid(pid_, &status_, WNOHANG);
  if (done == pid_) reaped_ = true;
  return !reaped_;
}

Finished Child::wait(std::chrono::seconds limit) {
  const auto give_up = Clock::now() + limit;
  while (running() && Clock::now() < give_up) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  Finished f;
  if (running()) {
    terminate();
    f.exit_code = -1;
  } else {
    f.exit_code = WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
  }
  f.out = out();
  f.err = err();
  return f;
}

void Child::terminate() {
  if (!running()) return;
  ::kill(pid_, SIGTERM);
  const auto give_up = Clock::now() + std::chrono::seconds(10);
  while (running() && Clock::now() < give_up) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  if (running()) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status_, 0);
    reaped_ = true;
  }
}

Finished run(std::vector<std::string> argv, const TempDir& dir, std::chrono::seconds limit,
             const std::map<std::string, std::string>& env, const std::string& stdin_text) {
  static int counter = 0;
  const std::string base = dir.file("run" + std::to_string(++counter));
  std::string in = "/dev/null";
  if (!stdin_text.empty()) {
    in = base + ".in";
    write_text(in, stdin_text);
  }
  Child child(std::move(argv), base + ".out", base + ".err", env, in);
  return child.wait(limit);
}

bool eventually(const std::function<bool()>& done, std::chrono::seconds limit) {
  const auto give_up = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() >= give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

ServerProcess::ServerProcess(const TempDir& dir, const std::vector<std::string>& extra)
    : key_file_(dir.file("facilitator.key")) {
  const std::string port_file = dir.file("port");
  // Everything the server writes stays in `dir`: its key, its port and its
  // game database. LEADTIME_TEST_SERVER runs the client's tests against
  // another server build.
  const char* other = std::getenv("LEADTIME_TEST_SERVER");
  const std::string binary = other != nullptr && *other != '\0' ? other : LEADTIME_SERVER_BIN;
  auto argv = std::vector<std::string>{binary,
                                       "--listen",
                                       "127.0.0.1:0",
                                       "--port-file",
                                       port_file,
                                       "--facilitator-key-file",
                                       key_file_,
                                       "--db",
                                       dir.file("leadtime.db"),
                                       "--scenario-root",
                                       LEADTIME_SOURCE_DIR,
                                       "--bot-root",
                                       LEADTIME_SOURCE_DIR};
  argv.insert(argv.end(), extra.begin(), extra.end());
  child_ = std::make_unique<Child>(argv, dir.file("server.out"), dir.file("server.err"),
                                   std::map<std::string, std::string>{});
  const bool up = eventually([&] { return fs::exists(port_file) || !child_->running(); }, std::chrono::seconds(60));
  if (!up || !fs::exists(port_file)) throw std::runtime_error("leadtime-server did not start: " + log());
  port_ = std::stoi(read_text(port_file));
}

ServerProcess::~ServerProcess() { child_->terminate(); }

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object()) out.push_back(std::move(j));
  }
  return out;
}

nlohmann::json first_of(const std::vector<nlohmann::json>& lines, const std::string& type) {
  for (const auto& j : lines) {
    if (j.value("type", "") == type) return j;
  }
  return nlohmann::json::object();
}

nlohmann::json last_of(const std::vector<nlohmann::json>& lines, const std::string& type) {
  nlohmann::json last = nlohmann::json::object();
  for (const auto& j : lines) {
    if (j.value("type", "") == type) last = j;
  }
  return last;
}

std::size_t count_of(const std::vector<nlohmann::json>& lines, const std::string& type) {
  std::size_t n = 0;
  for (const auto& j : lines) n += j.value("type", "") == type ? 1 : 0;
  return n;
}

}  // namespace leadtime::test
