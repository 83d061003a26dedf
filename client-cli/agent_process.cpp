#include "client-cli/agent_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

extern char** environ;

namespace leadtime::cli {

namespace {

constexpr std::size_t kMaxLine = 1 << 20;  // an answer longer than a MiB is a runaway

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

AgentProcess::~AgentProcess() {
  if (pid_ > 0) stop();
  close_fd(to_agent_);
  close_fd(from_agent_);
}

std::optional<std::string> AgentProcess::start() {
  int in[2];
  int out[2];
  if (::pipe2(in, O_CLOEXEC) != 0) return std::string("cannot make a pipe: ") + std::strerror(errno);
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    return std::string("cannot make a pipe: ") + std::strerror(errno);
  }
  // posix_spawn rather than fork: the client has a network thread, and only
  // spawn is safe to use from a threaded process without care.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Its own process group, so stopping it stops whatever it started, and
  // Ctrl-C at the terminal reaches the client, which decides.
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGINT);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  std::string command = command_;
  std::vector<char*> argv = {const_cast<char*>("sh"), const_cast<char*>("-c"), command.data(), nullptr};
  const int rc = ::posix_spawn(&pid_, "/bin/sh", &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(in[0]);
  ::close(out[1]);
  if (rc != 0) {
    pid_ = -1;
    ::close(in[1]);
    ::close(out[0]);
    return "cannot start '" + command_ + "': " + std::strerror(rc);
  }
  to_agent_ = in[1];
  from_agent_ = out[0];
  buffer_.clear();
  return std::nullopt;
}

std::optional<std::string> AgentProcess::write_line(const std::string& line) {
  if (pid_ <= 0) return std::string("the agent is not running");
  std::string data = line + "\n";
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(to_agent_, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::string("the agent stopped reading its input (") + std::strerror(errno) + ")";
    done += static_cast<std::size_t>(n);
  }
  return std::nullopt;
}

AgentProcess::Read AgentProcess::read_line(std::chrono::milliseconds timeout) {
  Read r;
  if (pid_ <= 0) {
    r.why = "the agent is not running";
    return r;
  }
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
      r.ok = true;
      r.line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      if (!r.line.empty() && r.line.back() == '\r') r.line.pop_back();
      return r;
    }
    if (buffer_.size() > kMaxLine) {
      r.why = "the agent wrote a line longer than 1 MiB";
      return r;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(give_up - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      char secs[32];
      std::snprintf(secs, sizeof secs, "%.1f", static_cast<double>(timeout.count()) / 1000);
      r.why = std::string("the agent did not answer within ") + secs + " s";
      return r;
    }
    pollfd p{from_agent_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    char chunk[4096];
    const ssize_t n = ::read(from_agent_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      r.why = "the agent " + stop();
      return r;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

std::string AgentProcess::reap_description(int status) const {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status))
    return std::string("was killed by signal ") + std::to_string(WTERMSIG(status)) + " (" +
           strsignal(WTERMSIG(status)) + ")";
  return "ended";
}

std::string AgentProcess::stop() {
  if (pid_ <= 0) return "is not running";
  close_fd(to_agent_);
  close_fd(from_agent_);
  int status = 0;
  // Already gone (it closed its output)? Then say how it ended.
  pid_t done = ::waitpid(pid_, &status, WNOHANG);
  for (int i = 0; done == 0 && i < 20; ++i) {
    // Give a program that is exiting on its own a moment before killing it.
    ::usleep(5000);
    done = ::waitpid(pid_, &status, WNOHANG);
  }
  std::string how;
  if (done == pid_) {
    how = reap_description(status);
    ::kill(-pid_, SIGKILL);  // anything it left behind in its group
  } else {
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    how = "was stopped";
  }
  pid_ = -1;
  buffer_.clear();
  return how;
}

}  // namespace leadtime::cli
