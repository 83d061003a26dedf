// leadtime-bench-load: many games played over loopback against a leadtime
// server run in this process, then the same connections against a bare echo
// server with the same framing and threading, and the two side by side
// (issues #4 and #21); once flat out (capacity) and once paced (latency
// below capacity, pacing.h); over TCP and over the web listener's WebSocket
// (--transport), each beside an echo server over the same transport; for
// each number of games and of server threads asked for. The clients run in
// a child process, this binary again with --clients-only
// (clients_process.h). Run by hand from the repository root (it loads
// scenarios/2028.lua):
//   build/load/bench/load/leadtime-bench-load --games 100,1000
// Server logs go to stderr at --log-level (warn by default, so that logging
// is not what is measured).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <vector>
#include "protocol/asio.h"

#include "bench/load/clients_process.h"
#include "bench/load/echo_server.h"
#include "bench/load/figures.h"
#include "bench/load/game_load.h"
#include "bench/load/phase.h"
#include "engine/lua/scenario_loader.h"
#include "server/net/server.h"
#include "server/web/web_listener.h"

namespace {

namespace bench = leadtime::bench;
namespace net = leadtime::server::net;
using asio::ip::tcp;

constexpr const char* kLoopback = "127.0.0.1";

int players_per_game(const bench::GamePlan& plan) {
  return 1 + plan.observers + static_cast<int>(plan.seat_ids.size());
}

// One end of every connection lives in each process (the server's here, the
// clients' in the child): a descriptor per connection, plus room for the
// listeners, the store, the scenario files and the logs.
void raise_descriptor_limit(int connections) {
  constexpr rlim_t kSpare = 256;
  const rlim_t wanted = static_cast<rlim_t>(connections) + kSpare;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= wanted) return;
  limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur < wanted) {
    spdlog::warn("open files limited to {}, {} wanted: some connections will fail", limit.rlim_cur, wanted);
  }
}

void route_logs_to_stderr(const std::string& level) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("leadtime"));
  spdlog::set_level(spdlog::level::from_str(level));
}

// A fresh SQLite file for one server, removed with its folder afterwards;
// "" (no store) when not wanted.
class TempStore {
 public:
  explicit TempStore(bool wanted) {
    if (!wanted) return;
    std::string pattern = (std::filesystem::temp_directory_path() / "leadtime-load-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot make a temporary folder for the store");
    dir_ = pattern;
  }
  ~TempStore() {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  TempStore(const TempStore&) = delete;
  TempStore& operator=(const TempStore&) = delete;
  [[nodiscard]] std::string path() const { return dir_.empty() ? std::string() : (dir_ / "load.db").string(); }

 private:
  std::filesystem::path dir_;
};

// Gives the servers' last handlers (closing sessions) a moment before their
// io_context stops.
void settle() { std::this_thread::sleep_for(std::chrono::milliseconds(100)); }

// What the clients' process needs beside the load's options.
struct ClientsCommand {
  std::string scenario_path;
  std::string log_level;
};

bench::RunFigures play_clients_against(const bench::LoadOptions& options, const ClientsCommand& command,
                                       bench::ClientsTarget target, std::uint16_t port,
                                       const bench::IoThreads& threads) {
  return bench::run_clients_process(
      bench::clients_arguments(options, command.scenario_path, command.log_level, target, port),
      [&threads] { return threads.cpu_seconds(); });
}

bench::RunFigures measure_server(const bench::LoadOptions& options, const bench::GamePlan& plan,
                                 const ClientsCommand& command) {
  asio::io_context io;
  net::ServerOptions server_options;
  server_options.host = kLoopback;
  server_options.port = 0;
  server_options.scenario = command.scenario_path;
  server_options.facilitator_key = options.facilitator_key;
  // Every client of the benchmark comes from 127.0.0.1, so the caps on
  // connections (per address above all, a guard against one host hogging
  // the server) are raised to the run's size. The rate limits stay: a client
  // sends at most 3 + 2 x rounds requests, inside the server's burst.
  const auto connections = static_cast<std::size_t>(options.games * players_per_game(plan));
  server_options.max_connections = std::max(server_options.max_connections, connections);
  server_options.max_connections_per_address = std::max(server_options.max_connections_per_address, connections);
  // One address creates every game, so it is as well every game's facilitator.
  const auto games = static_cast<std::size_t>(options.games);
  server_options.max_games = std::max(server_options.max_games, games);
  server_options.max_games_per_facilitator = std::max(server_options.max_games_per_facilitator, games);
  // WebSocket clients come to the web listener (no Origin header, which it
  // accepts); its pages are never asked for.
  const bool web = options.transport == bench::Transport::WebSocket;
  server_options.web_enabled = web;
  server_options.web_host = kLoopback;
  server_options.web_port = 0;
  if (options.status_interval) server_options.status_interval = *options.status_interval;
  const TempStore db(options.store);
  server_options.db_path = db.path();
  net::Server server(io, server_options);
  leadtime::server::web::attach_web_listener(server);
  server.start();
  const std::uint16_t port = web ? server.web_port() : server.port();
  bench::RunFigures figures;
  {
    const bench::IoThreads threads(io, options.server_threads);
    figures = play_clients_against(options, command, bench::ClientsTarget::GameServer, port, threads);
    server.stop();
    settle();
  }
  return figures;
}

bench::RunFigures measure_echo(const bench::LoadOptions& options, const ClientsCommand& command) {
  asio::io_context io;
  bench::EchoServer echo(io, kLoopback, options.transport);
  echo.start();
  bench::RunFigures figures;
  {
    const bench::IoThreads threads(io, options.server_threads);
    figures = play_clients_against(options, command, bench::ClientsTarget::Echo, echo.port(), threads);
    echo.stop();
    settle();
  }
  return figures;
}

// A fresh server of each kind per load, so no load inherits the other's games.
bench::Comparison compare(const bench::LoadOptions& options, const bench::GamePlan& plan,
                          const ClientsCommand& command) {
  bench::Comparison c;
  c.server = measure_server(options, plan, command);
  c.echo = measure_echo(options, command);
  return c;
}

bench::RunDescription describe(const bench::LoadOptions& options, const bench::GamePlan& plan, int think_ms,
                               const std::string& log_level) {
  bench::RunDescription run;
  run.games = options.games;
  run.seats = static_cast<int>(plan.seat_ids.size());
  run.observers = plan.observers;
  run.rounds = plan.rounds;
  run.echo_rounds = options.echo_rounds > 0 ? options.echo_rounds : plan.rounds;
  run.server_threads = options.server_threads;
  run.client_threads = options.client_threads;
  run.think_ms = think_ms;
  run.log_level = log_level;
  run.quick_ack = options.quick_ack;
  run.store = options.store;
  run.status_interval_ms =
      static_cast<int>(options.status_interval.value_or(net::ServerOptions{}.status_interval).count());
  return run;
}

bool any_failed(const bench::Comparison& c) { return c.server.failures > 0 || c.echo.failures > 0; }

// Both loads over one transport, flat out then paced.
bench::TransportFigures measure_transport(bench::LoadOptions options, bench::Transport transport, int think_ms,
                                          const bench::GamePlan& plan, const ClientsCommand& command) {
  options.transport = transport;
  bench::TransportFigures t;
  t.transport = std::string(bench::transport_name(transport));
  options.think = std::chrono::milliseconds(0);
  t.flat_out = compare(options, plan, command);
  options.think = std::chrono::milliseconds(think_ms);
  t.paced = compare(options, plan, command);
  return t;
}

// Every size asked for (threads x games), each over every transport; the
// report of each as it finishes, then the headline figures of all.
int run_measurements(bench::LoadOptions options, const std::vector<int>& games_list,
                     const std::vector<unsigned>& threads_list, const std::vector<bench::Transport>& transports,
                     int think_ms, const ClientsCommand& command, const bench::GamePlan& plan) {
  std::vector<bench::SizeFigures> sizes;
  bool failed = false;
  for (const unsigned threads : threads_list) {
    for (const int games : games_list) {
      options.games = games;
      options.server_threads = threads;
      bench::SizeFigures size{games, threads, {}};
      for (const bench::Transport t : transports) {
        size.transports.push_back(measure_transport(options, t, think_ms, plan, command));
        failed = failed || any_failed(size.transports.back().flat_out) || any_failed(size.transports.back().paced);
      }
      bench::print_report(describe(options, plan, think_ms, command.log_level), size.transports);
      sizes.push_back(std::move(size));
    }
  }
  if (sizes.size() > 1) bench::print_summary(sizes);
  return failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Leadtime load benchmark: games over loopback against an in-process server, beside a bare echo server"};
  bench::LoadOptions options;
  ClientsCommand command{"scenarios/2028.lua", "warn"};
  std::string transport = "both";
  std::vector<int> games_list = {100, 1000};
  std::vector<unsigned> threads_list = {options.server_threads};
  int phase_limit_s = static_cast<int>(options.phase_limit.count());
  // Mean pause of the paced load. A round then lasts about 3.2 x think (the
  // slowest of eight seats pausing twice), so 100 games ask one server thread
  // for roughly a third of its time; at 100 ms they ask for nearly all of it.
  int think_ms = 250;
  app.add_option("--games", games_list,
                 "games played at once, each of every scenario seat; a list (100,1000) runs each")
      ->delimiter(',')
      ->check(CLI::Range(1, 2000));
  app.add_option("--observers", options.observers, "observer connections per game, beside the facilitator")
      ->check(CLI::Range(0, 100));
  app.add_option("--rounds", options.rounds, "rounds played per game (0: all the scenario's)")
      ->check(CLI::Range(0, 200));
  app.add_option("--echo-rounds", options.echo_rounds, "orders+ready pairs per echo client (0: as --rounds)")
      ->check(CLI::Range(0, 100000));
  app.add_option("--server-threads", threads_list, "threads running each server's io_context; a list (1,2) runs each")
      ->delimiter(',')
      ->check(CLI::Range(1u, 64u));
  app.add_option("--client-threads", options.client_threads, "threads running the clients' io_context")
      ->check(CLI::Range(1u, 64u));
  app.add_option("--think-ms", think_ms, "mean pause before each request in the paced load (0: flat out again)")
      ->check(CLI::Range(0, 10000));
  app.add_option("--transport", transport, "tcp, ws (the web listener's WebSocket) or both, side by side")
      ->check(CLI::IsMember({"tcp", "ws", "both"}));
  app.add_flag("--quick-ack", options.quick_ack,
               "diagnosis: clients acknowledge every read at once (hides the server's Nagle stalls)");
  app.add_option("--phase-limit", phase_limit_s, "seconds after which a phase is stopped (closes every client)")
      ->check(CLI::Range(1, 590));
  app.add_option("--scenario", command.scenario_path, "scenario the server plays (run from the repository root)");
  app.add_option("--facilitator-key", options.facilitator_key, "key sent in CreateGame (empty: open creation)");
  int status_interval_ms = -1;
  app.add_option("--status-interval-ms", status_interval_ms,
                 "the server's shortest time between two status lines of a game (default: the server's)")
      ->check(CLI::Range(0, 60'000));
  std::string store = "sqlite";
  app.add_option("--store", store, "sqlite (a temporary database, as servers run) or none")
      ->check(CLI::IsMember({"sqlite", "none"}));
  app.add_option("--log-level", command.log_level, "server log level, to stderr: trace, debug, info, warn, error, off");
  // The child's role (clients_process.h): not for people to type.
  std::string clients_only;
  std::uint16_t port = 0;
  app.add_option("--clients-only", clients_only, "internal: play only the clients, against --port (server or echo)")
      ->check(CLI::IsMember({"server", "echo"}));
  app.add_option("--port", port, "internal: the port --clients-only connects to on 127.0.0.1");
  CLI11_PARSE(app, argc, argv);
  options.phase_limit = std::chrono::seconds(phase_limit_s);
  options.store = store == "sqlite";
  if (status_interval_ms >= 0) options.status_interval = std::chrono::milliseconds(status_interval_ms);
  options.think = std::chrono::milliseconds(think_ms);
  options.transport = transport == "ws" ? bench::Transport::WebSocket : bench::Transport::Tcp;

  route_logs_to_stderr(command.log_level);
  auto loaded = leadtime::load_scenario_file(command.scenario_path);
  if (!loaded.scenario) {
    spdlog::error("{} (run from the repository root)", loaded.error);
    return 2;
  }
  const bench::GamePlan plan = bench::make_plan(*loaded.scenario, options);
  raise_descriptor_limit(*std::max_element(games_list.begin(), games_list.end()) * players_per_game(plan));

  try {
    if (!clients_only.empty()) {
      options.games = games_list.front();
      const auto target = clients_only == "echo" ? bench::ClientsTarget::Echo : bench::ClientsTarget::GameServer;
      return bench::play_clients(options, plan, target, port);
    }
    std::vector<bench::Transport> transports;
    if (transport != "ws") transports.push_back(bench::Transport::Tcp);
    if (transport != "tcp") transports.push_back(bench::Transport::WebSocket);
    return run_measurements(options, games_list, threads_list, transports, think_ms, command, plan);
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
}
