#include "bench/soak/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cstring>
#include <filesystem>

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace leadtime::bench::soak {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string ServerExit::describe() const {
  if (!exited) return "still running";
  if (signal != 0) return std::string("killed by signal ") + std::to_string(signal) + " (" + ::strsignal(signal) + ")";
  return "exit code " + std::to_string(code);
}

ServerProcess::ServerProcess(ServerConfig config) : config_(std::move(config)) {}

ServerProcess::~ServerProcess() {
  if (pid_ > 0 && !has_exited()) kill_now();
}

std::string ServerProcess::log_path() const { return (fs::path(config_.work_dir) / "server.log").string(); }

std::uint16_t ServerProcess::start(std::chrono::seconds limit) {
  const fs::path port_file = fs::path(config_.work_dir) / "port";
  fs::remove(port_file);
  std::vector<std::string> args = {config_.binary,
                                   "--listen",
                                   "127.0.0.1:0",
                                   "--port-file",
                                   port_file.string(),
                                   "--db",
                                   config_.db_path,
                                   "--facilitator-key-file",
                                   config_.key_file,
                                   "--scenario",
                                   config_.scenario,
                                   "--scenario-root",
                                   config_.source_dir,
                                   "--bot-root",
                                   config_.source_dir,
                                   "--threads",
                                   std::to_string(config_.threads)};
  args.insert(args.end(), config_.extra_args.begin(), config_.extra_args.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string log = log_path();
  // Everything the child needs is prepared before fork: after it, only
  // async-signal-safe calls.
  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error(log + ": " + std::strerror(errno));
  const std::string marker = "--- soak: server start " + std::to_string(++starts_) + " ---\n";
  (void)!::write(log_fd, marker.data(), marker.size());
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(log_fd);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (child == 0) {
    if (::chdir(config_.work_dir.c_str()) != 0) ::_exit(126);
    if (config_.fd_limit > 0) {
      const rlimit limit{static_cast<rlim_t>(config_.fd_limit), static_cast<rlim_t>(config_.fd_limit)};
      ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(log_fd);
  pid_ = child;
  const auto give_up = Clock::now() + limit;
  while (Clock::now() < give_up) {
    if (has_exited()) {
      const ServerExit ended = reap(true);
      throw std::runtime_error("the server ended at start (" + ended.describe() + "); see " + log);
    }
    std::ifstream in(port_file);
    int port = 0;
    if (in >> port && port > 0 && port < 65536) return static_cast<std::uint16_t>(port);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill_now();
  throw std::runtime_error("the server did not listen within " + std::to_string(limit.count()) + " s; see " + log);
}

bool ServerProcess::has_exited() const {
  if (pid_ <= 0) return true;
  siginfo_t info{};
  // WNOWAIT: look without reaping, so stop() still gets the status.
  if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return true;
  return info.si_pid == pid_;
}

ServerExit ServerProcess::reap(bool block) {
  ServerExit out;
  if (pid_ <= 0) return out;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  if (r != pid_) return out;
  out.exited = true;
  if (WIFEXITED(status)) out.code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) out.signal = WTERMSIG(status);
  pid_ = -1;
  return out;
}

ServerExit ServerProcess::terminate(std::chrono::seconds grace) {
  if (pid_ <= 0) return {};
  ::kill(pid_, SIGTERM);
  const auto give_up = Clock::now() + grace;
  while (Clock::now() < give_up) {
    if (has_exited()) return reap(true);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ServerExit killed = kill_now();
  killed.code = -1;  // marks "did not stop on SIGTERM"
  return killed;
}

ServerExit ServerProcess::kill_now() {
  if (pid_ <= 0) return {};
  ::kill(pid_, SIGKILL);
  return reap(true);
}

int ServerProcess::log_count(const std::string& needle) const {
  std::ifstream in(log_path());
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    if (line.find(needle) != std::string::npos) ++n;
  }
  return n;
}

// --- Probe --------------------------------------------------------------------

namespace {

std::int64_t status_field(const std::string& status, const std::string& name) {
  const auto at = status.find("\n" + name + ":");
  if (at == std::string::npos) return -1;
  std::istringstream in(status.substr(at + name.size() + 2));
  std::int64_t value = -1;
  in >> value;
  return value;
}

double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The command name may hold spaces: fields count from the last ')'.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
    if (i == 15) break;
  }
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

}  // namespace

std::optional<ProcessSample> Probe::sample_now(pid_t pid, int phase) const {
  if (pid <= 0) return std::nullopt;
  const std::string dir = "/proc/" + std::to_string(pid);
  std::ifstream in(dir + "/status");
  if (!in) return std::nullopt;
  std::string status(1, '\n');
  status.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  ProcessSample s;
  s.t_s = std::chrono::duration<double>(Clock::now() - run_start_).count();
  s.phase = phase;
  s.rss_kib = status_field(status, "VmRSS");
  s.threads = static_cast<int>(status_field(status, "Threads"));
  if (s.rss_kib < 0) return std::nullopt;  // a zombie has no memory left to show
  std::error_code ec;
  for (fs::directory_iterator it(dir + "/fd", ec), end; !ec && it != end; it.increment(ec)) ++s.fds;
  s.cpu_s = cpu_seconds(pid);
  return s;
}

void Probe::watch(pid_t pid, int phase) {
  stop();
  running_ = true;
  thread_ = std::thread([this, pid, phase] {
    auto next = Clock::now();
    while (running_) {
      if (auto s = sample_now(pid, phase)) {
        const std::lock_guard lock(mutex_);
        samples_.push_back(*s);
      }
      next += std::chrono::seconds(1);
      while (running_ && Clock::now() < next) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
}

void Probe::stop() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
}

std::vector<ProcessSample> Probe::samples() const {
  const std::lock_guard lock(mutex_);
  return samples_;
}

std::map<std::string, int> socket_peers(pid_t pid) {
  std::set<std::string> inodes;
  std::error_code ec;
  for (fs::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", ec), end; !ec && it != end; it.increment(ec)) {
    const std::string target = fs::read_symlink(it->path(), ec).string();
    if (target.starts_with("socket:[")) inodes.insert(target.substr(8, target.size() - 9));
  }
  static const std::map<std::string, std::string> kStates = {
      {"01", "ESTABLISHED"}, {"02", "SYN_SENT"}, {"03", "SYN_RECV"},   {"04", "FIN_WAIT1"}, {"05", "FIN_WAIT2"},
      {"06", "TIME_WAIT"},   {"07", "CLOSE"},    {"08", "CLOSE_WAIT"}, {"09", "LAST_ACK"},  {"0B", "CLOSING"}};
  std::map<std::string, int> out;
  std::ifstream in("/proc/" + std::to_string(pid) + "/net/tcp");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
    fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode;
    if (!inodes.contains(inode) || state == "0A") continue;
    // "0100007F:1F90": the IPv4 address in host (little-endian) order.
    const unsigned long ip = std::stoul(remote.substr(0, 8), nullptr, 16);
    const std::string address = fmt::format("{}.{}.{}.{}", ip & 0xff, (ip >> 8) & 0xff, (ip >> 16) & 0xff, ip >> 24);
    const auto name = kStates.find(state);
    ++out[address + " " + (name != kStates.end() ? name->second : state)];
  }
  return out;
}

MemoryFigures memory_figures(const std::vector<ProcessSample>& all, int phase) {
  std::vector<ProcessSample> samples;
  for (const ProcessSample& s : all) {
    if (s.phase == phase) samples.push_back(s);
  }
  MemoryFigures f;
  f.samples = static_cast<int>(samples.size());
  if (samples.empty()) return f;
  f.start_kib = samples.front().rss_kib;
  f.end_kib = samples.back().rss_kib;
  for (const ProcessSample& s : samples) {
    f.peak_kib = std::max(f.peak_kib, s.rss_kib);
    f.peak_fds = std::max(f.peak_fds, s.fds);
    f.peak_threads = std::max(f.peak_threads, s.threads);
  }
  f.end_fds = samples.back().fds;
  f.cpu_s = samples.back().cpu_s - samples.front().cpu_s;
  // Least-squares slope of the second half: what the first half's warm-up
  // (games created, caches filled) does not explain.
  const std::size_t from = samples.size() / 2;
  const auto n = static_cast<double>(samples.size() - from);
  if (n >= 2) {
    double st = 0, sr = 0, stt = 0, str = 0;
    for (std::size_t i = from; i < samples.size(); ++i) {
      const double t = samples[i].t_s / 60.0;
      const auto r = static_cast<double>(samples[i].rss_kib);
      st += t;
      sr += r;
      stt += t * t;
      str += t * r;
    }
    const double denominator = n * stt - st * st;
    if (denominator > 0) f.second_half_slope_kib_per_min = (n * str - st * sr) / denominator;
  }
  return f;
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

}  // namespace leadtime::bench::soak
