#pragma once

// The figures one load run produces (against the game server or the echo
// baseline) and the table that sets them side by side.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace leadtime::bench {

struct LatencySummary {
  std::size_t samples = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

// Nearest-rank percentiles of round trips given in nanoseconds.
LatencySummary summarise(std::vector<std::int64_t> round_trips_ns);

struct RunFigures {
  int connections = 0;      // links the run opened
  int peak_open = 0;        // most open at once
  int open_after_play = 0;  // still open when the last player finished
  double setup_s = 0;       // connecting, handshakes, creating and joining games
  double play_s = 0;
  double server_cpu_s = 0;  // CPU time of the server's threads while playing
  // The same for the server's whole process: its threads with the store's
  // writer and the bot pool.
  double server_process_cpu_s = 0;
  double clients_cpu_s = 0;  // the clients' process meanwhile (they share the machine)
  std::uint64_t frames = 0;  // sent and received by the clients while playing
  LatencySummary round_trip;
  int rounds_resolved = 0;                                // game rounds every member saw the result of
  std::map<std::string, std::uint64_t> received_by_type;  // frames clients received, by message
  int rejected_orders = 0;
  int failures = 0;
  std::string first_failure;
  bool timed_out = false;

  [[nodiscard]] double messages_per_s() const { return play_s > 0 ? static_cast<double>(frames) / play_s : 0; }
  [[nodiscard]] double messages_per_server_cpu_s() const {
    return server_cpu_s > 0 ? static_cast<double>(frames) / server_cpu_s : 0;
  }
};

struct RunDescription {
  int games = 0;
  int seats = 0;
  int observers = 0;
  int rounds = 0;
  int echo_rounds = 0;
  int think_ms = 0;  // mean pause of the paced load
  unsigned server_threads = 0;
  unsigned client_threads = 0;
  std::string log_level;
  bool quick_ack = false;
  bool store = true;
  int status_interval_ms = 0;  // the server's shortest time between status lines
};

// The game server and the echo baseline under one load.
struct Comparison {
  RunFigures server;
  RunFigures echo;
  [[nodiscard]] double ratio() const {
    return echo.messages_per_s() > 0 ? server.messages_per_s() / echo.messages_per_s() : 0;
  }
  // The same per CPU second of the server's threads, which a busy machine
  // disturbs far less than wall time.
  [[nodiscard]] double cpu_ratio() const {
    const double echo_rate = echo.messages_per_server_cpu_s();
    return echo_rate > 0 ? server.messages_per_server_cpu_s() / echo_rate : 0;
  }
};

// Both loads over one transport.
struct TransportFigures {
  std::string transport;  // its name, as printed
  Comparison flat_out;
  Comparison paced;
};

// Every transport at one size: games at once and server threads.
struct SizeFigures {
  int games = 0;
  unsigned server_threads = 0;
  std::vector<TransportFigures> transports;
};

// For each transport both loads' figures side by side, then each goal of
// issue #21 with the figure it rests on: throughput from the flat-out load,
// latency from the paced one; with more than one transport, their headline
// figures side by side at the end. It reports; it asserts nothing about time.
void print_report(const RunDescription& run, const std::vector<TransportFigures>& transports);

// One line per size and transport: the headline figures of every size run.
void print_summary(const std::vector<SizeFigures>& sizes);

}  // namespace leadtime::bench
