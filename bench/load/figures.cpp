#include "bench/load/figures.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace leadtime::bench {

namespace {

// Issue #21's goals: every connection held; the paced order round trip's
// p99 under 10 ms at 1,000 connections and under 50 ms at 10,000; flat out
// at least 0.7 of the bare echo's messages/s.
constexpr int kSmallConnections = 1000;
constexpr double kSmallOrderP99Ms = 10.0;
constexpr double kLargeOrderP99Ms = 50.0;
constexpr double kGoalEchoRatio = 0.7;

double p99_goal_ms(int connections) { return connections <= kSmallConnections ? kSmallOrderP99Ms : kLargeOrderP99Ms; }

// How many of the server's threads were busy on average while playing.
double threads_busy(const RunFigures& f) { return f.play_s > 0 ? f.server_cpu_s / f.play_s : 0; }

double at_rank(const std::vector<std::int64_t>& sorted, double quantile) {
  const auto n = static_cast<double>(sorted.size());
  const auto rank = static_cast<std::size_t>(std::max(1.0, std::ceil(quantile * n)));
  return static_cast<double>(sorted[rank - 1]) / 1e6;
}

void row(const char* label, const std::string& server, const std::string& echo, const std::string& ratio = "") {
  fmt::print("  {:<30}{:>16}{:>16}{:>14}\n", label, server, echo, ratio);
}

std::string number(double value, int decimals) { return fmt::format("{:.{}f}", value, decimals); }

std::string held(const RunFigures& f) { return fmt::format("{}/{}", f.open_after_play, f.connections); }

std::string verdict(bool met) { return met ? "met" : "NOT met"; }

bool held_all(const RunFigures& f) {
  return f.connections > 0 && f.peak_open == f.connections && f.open_after_play == f.connections && f.failures == 0;
}

void print_goals(const TransportFigures& t, unsigned server_threads) {
  const Comparison& flat_out = t.flat_out;
  const RunFigures& flat = t.flat_out.server;
  const RunFigures& calm = t.paced.server;
  const double p99_goal = p99_goal_ms(flat.connections);
  fmt::print("\nGoals (issue #21), {}:\n", t.transport);
  fmt::print("  {:<44}{} (peak {} and {} open; {} and {} of {} still open after play)\n",
             fmt::format("{} concurrent connections held:", flat.connections),
             verdict(held_all(flat) && held_all(calm)), flat.peak_open, calm.peak_open, flat.open_after_play,
             calm.open_after_play, flat.connections);
  fmt::print("  {:<44}{} (paced p99 {:.2f} ms over {} orders; flat out {:.2f} ms)\n",
             fmt::format("order round trip p99 under {:.0f} ms:", p99_goal),
             verdict(calm.round_trip.samples > 0 && calm.round_trip.p99_ms < p99_goal), calm.round_trip.p99_ms,
             calm.round_trip.samples, flat.round_trip.p99_ms);
  fmt::print("  {:<44}{} (flat out server/echo {:.2f})\n",
             fmt::format("throughput at least {:.1f} of the echo:", kGoalEchoRatio),
             verdict(flat_out.ratio() >= kGoalEchoRatio), flat_out.ratio());
  fmt::print("  {:<44}{:.2f} of {} flat out, {:.2f} paced\n", "server threads busy on average:", threads_busy(flat),
             server_threads, threads_busy(calm));
}

// What each game round costs in frames the clients receive: the server's
// replies and its fan-out of pushes.
void print_fan_out(const RunFigures& server) {
  if (server.rounds_resolved == 0) return;
  fmt::print("  frames received per game round:");
  for (const auto& [name, count] : server.received_by_type) {
    fmt::print(" {} {:.1f};", name, static_cast<double>(count) / server.rounds_resolved);
  }
  fmt::print("\n");
}

void print_failures(const char* who, const RunFigures& f) {
  if (f.timed_out) fmt::print("  {}: a phase hit its time limit; the figures cover only what finished\n", who);
  if (f.failures > 0) fmt::print("  {}: {} clients failed, the first with: {}\n", who, f.failures, f.first_failure);
}

// The throughput ratio only means something flat out: paced, both sides
// carry whatever the pauses let through.
void print_comparison(const std::string& title, const Comparison& c, bool show_ratio) {
  const RunFigures& server = c.server;
  const RunFigures& echo = c.echo;
  fmt::print("\n{}\n", title);
  row("", "leadtime server", "bare echo", "server/echo");
  row("connections held", held(server), held(echo));
  row("peak open connections", std::to_string(server.peak_open), std::to_string(echo.peak_open));
  row("setup (connect, join) s", number(server.setup_s, 3), number(echo.setup_s, 3));
  row("play wall time s", number(server.play_s, 3), number(echo.play_s, 3));
  row("frames sent+received", std::to_string(server.frames), std::to_string(echo.frames));
  row("messages/s", number(server.messages_per_s(), 0), number(echo.messages_per_s(), 0),
      show_ratio ? number(c.ratio(), 2) : "");
  row("server threads' CPU s", number(server.server_cpu_s, 3), number(echo.server_cpu_s, 3));
  row("server process CPU s (+store)", number(server.server_process_cpu_s, 3), number(echo.server_process_cpu_s, 3));
  row("clients' process CPU s", number(server.clients_cpu_s, 3), number(echo.clients_cpu_s, 3));
  row("messages per server CPU s", number(server.messages_per_server_cpu_s(), 0),
      number(echo.messages_per_server_cpu_s(), 0), show_ratio ? number(c.cpu_ratio(), 2) : "");
  row("order round trips", std::to_string(server.round_trip.samples), std::to_string(echo.round_trip.samples));
  row("round trip p50 ms", number(server.round_trip.p50_ms, 3), number(echo.round_trip.p50_ms, 3));
  row("round trip p99 ms", number(server.round_trip.p99_ms, 3), number(echo.round_trip.p99_ms, 3));
  row("round trip max ms", number(server.round_trip.max_ms, 3), number(echo.round_trip.max_ms, 3));
  row("rounds resolved", std::to_string(server.rounds_resolved), "-");
  row("rounds/s", number(server.play_s > 0 ? server.rounds_resolved / server.play_s : 0, 1), "-");
  // What a game round costs the server, whatever the pace: comparable
  // across runs on a machine the clients share.
  row("server process CPU us per round",
      number(server.rounds_resolved > 0 ? 1e6 * server.server_process_cpu_s / server.rounds_resolved : 0, 0), "-");
  row("orders rejected", std::to_string(server.rejected_orders), "-");
  row("clients failed", std::to_string(server.failures), std::to_string(echo.failures));
  print_fan_out(server);
  print_failures("server", server);
  print_failures("echo", echo);
}

// The README's figures: the game server over each transport, with its echo
// baseline over the same transport.
void print_side_by_side(const std::vector<TransportFigures>& transports) {
  fmt::print("\nTransports side by side (game server; echo baseline over the same transport)\n  {:<40}", "");
  for (const TransportFigures& t : transports) fmt::print("{:>24}", t.transport);
  fmt::print("\n");
  auto line = [&transports](const char* label, auto&& figure) {
    fmt::print("  {:<40}", label);
    for (const TransportFigures& t : transports) fmt::print("{:>24}", figure(t));
    fmt::print("\n");
  };
  line("connections held, flat out / paced",
       [](const TransportFigures& t) { return fmt::format("{} / {}", held(t.flat_out.server), held(t.paced.server)); });
  line("messages/s, flat out", [](const TransportFigures& t) { return number(t.flat_out.server.messages_per_s(), 0); });
  line("messages per server CPU s, flat out",
       [](const TransportFigures& t) { return number(t.flat_out.server.messages_per_server_cpu_s(), 0); });
  line("order round trip p50 ms, paced",
       [](const TransportFigures& t) { return number(t.paced.server.round_trip.p50_ms, 3); });
  line("order round trip p99 ms, paced",
       [](const TransportFigures& t) { return number(t.paced.server.round_trip.p99_ms, 3); });
  line("echo messages/s, flat out",
       [](const TransportFigures& t) { return number(t.flat_out.echo.messages_per_s(), 0); });
  line("echo round trip p50 / p99 ms, paced", [](const TransportFigures& t) {
    return fmt::format("{:.3f} / {:.3f}", t.paced.echo.round_trip.p50_ms, t.paced.echo.round_trip.p99_ms);
  });
  line("server/echo messages/s, flat out", [](const TransportFigures& t) { return number(t.flat_out.ratio(), 2); });
}

// The summary's columns: the size, then flat out, then paced.
constexpr const char* kSummaryFormat =
    "  {:>6}{:>7}{:>8}{:>10} |{:>13}{:>9}{:>9}{:>6}{:>6} |{:>13}{:>9}{:>9}{:>9}{:>6}\n";

void print_summary_line(const SizeFigures& size, const TransportFigures& t) {
  const RunFigures& flat = t.flat_out.server;
  const RunFigures& calm = t.paced.server;
  fmt::print(fmt::runtime(kSummaryFormat), size.games, flat.connections, size.server_threads,
             t.transport == "TCP" ? "TCP" : "WS", held(flat), number(flat.messages_per_s(), 0),
             number(t.flat_out.echo.messages_per_s(), 0), number(t.flat_out.ratio(), 2), number(threads_busy(flat), 2),
             held(calm), number(calm.round_trip.p50_ms, 2), number(calm.round_trip.p99_ms, 2),
             number(t.paced.echo.round_trip.p99_ms, 2), number(threads_busy(calm), 2));
}

}  // namespace

LatencySummary summarise(std::vector<std::int64_t> round_trips_ns) {
  LatencySummary s;
  s.samples = round_trips_ns.size();
  if (round_trips_ns.empty()) return s;
  std::sort(round_trips_ns.begin(), round_trips_ns.end());
  s.p50_ms = at_rank(round_trips_ns, 0.50);
  s.p99_ms = at_rank(round_trips_ns, 0.99);
  s.max_ms = static_cast<double>(round_trips_ns.back()) / 1e6;
  return s;
}

void print_report(const RunDescription& run, const std::vector<TransportFigures>& transports) {
  fmt::print("Leadtime load: {} games x {} seats (+1 facilitator, +{} observer each), {} rounds; echo {} rounds\n",
             run.games, run.seats, run.observers, run.rounds, run.echo_rounds);
  fmt::print("server store: {}\n",
             run.store ? "SQLite in a temporary file (WAL, synchronous=FULL; results shown after commit)"
                       : "none (--store none)");
  fmt::print("server threads {}, client threads {}, server log level {}, status lines at most every {} ms{}\n",
             run.server_threads, run.client_threads, run.log_level, run.status_interval_ms,
             run.quick_ack ? ", clients acknowledge at once (diagnosis)" : "");
  for (const TransportFigures& t : transports) {
    fmt::print("\n=== {} ===\n", t.transport);
    print_comparison(t.transport + ", flat out: each client sends its next request as soon as the last is answered",
                     t.flat_out, true);
    print_comparison(fmt::format("{}, paced: each client pauses 0-{} ms (mean {}) before each request", t.transport,
                                 2 * run.think_ms, run.think_ms),
                     t.paced, false);
    print_goals(t, run.server_threads);
  }
  if (transports.size() > 1) print_side_by_side(transports);
  std::fflush(stdout);
}

void print_summary(const std::vector<SizeFigures>& sizes) {
  fmt::print(
      "\nSummary: the game server flat out (messages/s beside the bare echo's) and paced (order round trip ms);\n"
      "busy: server threads busy on average\n");
  fmt::print(fmt::runtime(kSummaryFormat), "games", "conns", "threads", "transport", "held", "msg/s", "echo", "ratio",
             "busy", "held", "p50", "p99", "echo p99", "busy");
  for (const SizeFigures& size : sizes) {
    for (const TransportFigures& t : size.transports) print_summary_line(size, t);
  }
  std::fflush(stdout);
}

}  // namespace leadtime::bench
