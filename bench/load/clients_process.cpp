#include "bench/load/clients_process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "bench/load/echo_load.h"
#include "bench/load/figures_text.h"

extern char** environ;

namespace leadtime::bench {

namespace {

constexpr const char* kCpuMark = "cpu-mark";

// The child's stdout, read line by line; closed (and the child reaped) by
// the caller.
struct Child {
  pid_t pid = -1;
  std::FILE* out = nullptr;
};

Child spawn(const std::vector<std::string>& arguments) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  // Not the server's sockets: a child holding the listener would keep it
  // open past the server's stop.
  ::posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
  std::vector<char*> argv;
  std::string self = "/proc/self/exe";
  argv.push_back(self.data());
  std::vector<std::string> copies = arguments;
  for (std::string& a : copies) argv.push_back(a.data());
  argv.push_back(nullptr);
  Child child;
  const int error = ::posix_spawn(&child.pid, self.c_str(), &actions, nullptr, argv.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (error != 0) {
    ::close(pipe_fds[0]);
    throw std::runtime_error(std::string("cannot start the clients' process: ") + std::strerror(error));
  }
  child.out = ::fdopen(pipe_fds[0], "r");
  return child;
}

// Waits for the child; "" when it exited with 0.
std::string reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status) == 0 ? std::string() : "exit status " + std::to_string(WEXITSTATUS(status));
  }
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "ended oddly";
}

std::string read_line(std::FILE* in, bool& done) {
  std::string line;
  for (int c = std::fgetc(in); c != EOF; c = std::fgetc(in)) {
    if (c == '\n') return line;
    line.push_back(static_cast<char>(c));
  }
  done = true;
  return line;
}

// In the parent, the server's process: its threads (the event loop's, the
// store's writer, the bot pool) and the main one, which only waits on the
// child. In the child, the clients'.
double process_cpu_seconds() { return cpu_clock_seconds(CLOCK_PROCESS_CPUTIME_ID); }

}  // namespace

std::vector<std::string> clients_arguments(const LoadOptions& options, const std::string& scenario_path,
                                           const std::string& log_level, ClientsTarget target, std::uint16_t port) {
  std::vector<std::string> a = {
      "--clients-only",   target == ClientsTarget::Echo ? "echo" : "server",
      "--port",           std::to_string(port),
      "--games",          std::to_string(options.games),
      "--observers",      std::to_string(options.observers),
      "--rounds",         std::to_string(options.rounds),
      "--echo-rounds",    std::to_string(options.echo_rounds),
      "--client-threads", std::to_string(options.client_threads),
      "--think-ms",       std::to_string(options.think.count()),
      "--transport",      options.transport == Transport::WebSocket ? "ws" : "tcp",
      "--phase-limit",    std::to_string(options.phase_limit.count()),
      "--scenario",       scenario_path,
      "--log-level",      log_level,
  };
  if (!options.facilitator_key.empty()) {
    a.emplace_back("--facilitator-key");
    a.push_back(options.facilitator_key);
  }
  if (options.quick_ack) a.emplace_back("--quick-ack");
  return a;
}

RunFigures run_clients_process(const std::vector<std::string>& arguments, const CpuClock& server_cpu) {
  const Child child = spawn(arguments);
  RunFigures f;
  std::vector<double> marks;
  std::vector<double> process_marks;
  bool done = false;
  bool reported = false;
  while (!done) {
    const std::string line = read_line(child.out, done);
    if (line == kCpuMark) {
      marks.push_back(server_cpu());
      process_marks.push_back(process_cpu_seconds());
    } else if (line.starts_with(kFigureLine)) {
      reported = read_figure(line.substr(std::strlen(kFigureLine)), f) || reported;
    }
  }
  std::fclose(child.out);
  const std::string ended = reap(child.pid);
  // The play phase is the last whose marks came, when it ran at all.
  if (f.play_s > 0 && marks.size() >= 2) {
    f.server_cpu_s = marks.back() - marks[marks.size() - 2];
    f.server_process_cpu_s = process_marks.back() - process_marks[process_marks.size() - 2];
  }
  if (!reported) {
    ++f.failures;
    f.first_failure = "the clients' process reported nothing (" + (ended.empty() ? "exit status 0" : ended) + ")";
  } else if (!ended.empty() && f.failures == 0) {
    ++f.failures;
    f.first_failure = "the clients' process failed: " + ended;
  }
  return f;
}

int play_clients(const LoadOptions& options, const GamePlan& plan, ClientsTarget target, std::uint16_t port) {
  const asio::ip::tcp::endpoint to(asio::ip::make_address("127.0.0.1"), port);
  // The server's CPU clock is in the parent: each reading becomes a mark it
  // takes when the line arrives. This process reads its own at each mark.
  std::vector<double> own_marks;
  const CpuClock mark = [&own_marks] {
    std::fputs(kCpuMark, stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
    own_marks.push_back(process_cpu_seconds());
    return 0.0;
  };
  RunFigures f =
      target == ClientsTarget::Echo ? run_echo_load(options, plan, to, mark) : run_game_load(options, plan, to, mark);
  if (f.play_s > 0 && own_marks.size() >= 2) f.clients_cpu_s = own_marks.back() - own_marks[own_marks.size() - 2];
  write_figures(stdout, f);
  return f.failures > 0 ? 1 : 0;
}

}  // namespace leadtime::bench
