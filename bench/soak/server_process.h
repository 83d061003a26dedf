#pragma once

// The real leadtime-server binary as a child process: started on a free
// port with its own database and key, stopped with SIGTERM or killed with
// SIGKILL, and watched (resident memory, descriptors, threads, CPU) once a
// second from /proc while it runs.
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace leadtime::bench::soak {

struct ServerConfig {
  std::string binary;
  std::string work_dir;  // the server's working directory; the log, port file, key and database live here
  std::string db_path;
  std::string key_file;
  std::string scenario;    // absolute path
  std::string source_dir;  // scenario and bot paths are relative to it
  unsigned threads = 2;
  int fd_limit = 0;  // RLIMIT_NOFILE for the server; 0: inherited
  std::vector<std::string> extra_args;
};

// How the process ended.
struct ServerExit {
  bool exited = false;  // false: still running
  int code = 0;         // when it exited by itself
  int signal = 0;       // when a signal ended it
  [[nodiscard]] std::string describe() const;
};

class ServerProcess {
 public:
  explicit ServerProcess(ServerConfig config);
  ~ServerProcess();  // kills a server still running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts the server and waits for its port file; throws std::runtime_error
  // (naming the log file) if it does not come up in time.
  std::uint16_t start(std::chrono::seconds limit);
  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] std::string log_path() const;
  // Whether the process has ended, without reaping it.
  [[nodiscard]] bool has_exited() const;
  // SIGTERM, then waits up to `grace` before SIGKILL.
  ServerExit terminate(std::chrono::seconds grace);
  ServerExit kill_now();
  // How many times the log says `needle` (e.g. "not recovered").
  [[nodiscard]] int log_count(const std::string& needle) const;

 private:
  ServerExit reap(bool block);

  ServerConfig config_;
  pid_t pid_ = -1;
  int starts_ = 0;
};

struct ProcessSample {
  double t_s = 0;  // since the run started
  int phase = 0;
  std::int64_t rss_kib = 0;
  int fds = 0;
  int threads = 0;
  double cpu_s = 0;  // user + system, this server process
};

// Samples a process once a second on its own thread.
class Probe {
 public:
  explicit Probe(std::chrono::steady_clock::time_point run_start) : run_start_(run_start) {}
  ~Probe() { stop(); }
  Probe(const Probe&) = delete;
  Probe& operator=(const Probe&) = delete;

  void watch(pid_t pid, int phase);
  void stop();
  // One sample now (also taken once a second while watching).
  std::optional<ProcessSample> sample_now(pid_t pid, int phase) const;
  [[nodiscard]] std::vector<ProcessSample> samples() const;

 private:
  std::chrono::steady_clock::time_point run_start_;
  mutable std::mutex mutex_;
  std::vector<ProcessSample> samples_;
  std::atomic<bool> running_{false};
  std::thread thread_;
};

struct MemoryFigures {
  std::int64_t start_kib = 0;
  std::int64_t peak_kib = 0;
  std::int64_t end_kib = 0;
  double second_half_slope_kib_per_min = 0;  // least squares over the second half's samples
  int peak_fds = 0;
  int end_fds = 0;
  int peak_threads = 0;
  double cpu_s = 0;
  int samples = 0;
};

// The process's TCP sockets by peer address and state ("127.0.0.2
// CLOSE_WAIT" -> 12), from /proc/<pid>/fd and /proc/net/tcp; the listening
// socket is left out.
std::map<std::string, int> socket_peers(pid_t pid);

MemoryFigures memory_figures(const std::vector<ProcessSample>& samples, int phase);

// "1.23 0.98 0.75" from /proc/loadavg.
std::string load_average();

}  // namespace leadtime::bench::soak
