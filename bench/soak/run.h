#pragma once

// The soak run's phases against the real server binary:
//   1. play: the main phase, `seconds` long; abuse starts after a calm share
//      (the latency baseline); ends with the clients leaving and SIGTERM.
//   2. crash: the server restarted on the same database, the clients rejoin
//      with their tokens and play on under abuse, and the server is killed
//      with SIGKILL in the middle of it.
//   3. recovered: restarted once more (recovery after SIGKILL), the clients
//      rejoin and play on; ends with SIGTERM.
// After each stop the clients' acknowledgements are checked against the
// database.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bench/soak/abuse.h"
#include "bench/soak/ledger.h"
#include "bench/soak/server_process.h"
#include "bench/soak/soak.h"

namespace leadtime::bench::soak {

struct StallFigures {
  int games = 0;  // games that ran during the phase
  int finished = 0;
  int rounds = 0;
  double max_gap_s = 0;
  double limit_s = 0;                // three deadlines
  std::vector<std::string> stalled;  // "g12: 14.2 s without a round"
};

struct PhaseResult {
  std::string name;
  double planned_s = 0;
  double played_s = 0;
  bool abusive = false;
  std::string ending;  // how the server was stopped: "SIGTERM", "SIGKILL"
  ServerExit exit;
  std::string load_before;
  std::string load_after;
  std::vector<std::string> server_failures;  // died by itself, did not stop cleanly, did not restart
  bool clients_hung = false;                 // the clients were still busy well after the phase's end
  int peak_client_connections = 0;
  ClientFigures clients;
  AbuseFigures abuse;
  MemoryFigures memory;
  StallFigures stalls;
  std::optional<JournalCheck> check;
  int recovered_games = -1;  // from the server's log at start; -1: not a restart
  // The server's descriptors when it came up, and once every client had
  // left (-1: not measured): sessions the server failed to close stay here.
  int fds_at_start = -1;
  int fds_after_clients = -1;
  double fds_settle_s = 0;
  std::map<std::string, int> lingering_sockets;  // the server's sockets then, by peer and state
};

struct RunPaths {
  std::string server_binary;
  std::string source_dir;  // the repository: scenarios/ and scripts/bots/
  std::string scenario;
  std::string work_dir;  // empty: a fresh one under the temporary folder
  bool keep_work_dir = false;
  int server_fd_limit = 0;  // RLIMIT_NOFILE for the server; 0: inherited
};

struct SoakResult {
  SoakOptions options;
  RunPaths paths;
  std::string work_dir;
  std::string server_log;
  std::int64_t db_bytes = 0;  // the database file at the end (its WAL aside)
  std::vector<PhaseResult> phases;
  std::vector<std::string> setup_errors;
  std::vector<ProcessSample> samples;
  int log_errors = 0;  // lines logged at error level or above
  int log_warnings = 0;
  int log_accept_failures = 0;  // "accept: ..." warnings (descriptors exhausted, say)
  std::vector<std::string> log_error_examples;

  [[nodiscard]] int lost_orders() const;
  [[nodiscard]] int lost_total() const;
  [[nodiscard]] int stalled() const;
  [[nodiscard]] int server_failures() const;
  [[nodiscard]] int games_lost() const;
  [[nodiscard]] bool passed() const;
};

SoakResult run_soak(const SoakOptions& options, const RunPaths& paths);

}  // namespace leadtime::bench::soak
