// leadtime-bench-soak: many concurrent games of well-behaved and abusive
// clients against the real leadtime-server binary for a bounded time, then
// whether any acknowledged order was lost (after SIGTERM, and after SIGKILL
// and a restart), whether memory stayed flat, and whether any game stalled
// (issue #8). Run by hand:
//   build/soak-rel/bench/soak/leadtime-bench-soak --seconds 120
// It exits non-zero if an acknowledged change was lost, a game stalled, or
// the server died; it asserts nothing about time.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "bench/soak/report.h"
#include "bench/soak/run.h"

#ifndef LEADTIME_SOAK_SERVER
#define LEADTIME_SOAK_SERVER ""
#endif
#ifndef LEADTIME_SOAK_SOURCE_DIR
#define LEADTIME_SOAK_SOURCE_DIR "."
#endif

namespace {

namespace soak = leadtime::bench::soak;
namespace fs = std::filesystem;

// The server built beside this program (build/X/bench/soak -> build/X/server),
// else the one CMake named at build time.
std::string default_server() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path beside = self.parent_path().parent_path().parent_path() / "server" / "leadtime-server";
    if (fs::exists(beside, ec)) return beside.string();
  }
  return LEADTIME_SOAK_SERVER;
}

// Both ends of every connection are on this machine; the burst alone holds
// over a thousand.
void raise_descriptor_limit(const soak::SoakOptions& o) {
  const auto wanted = static_cast<rlim_t>(2 * (o.games * 12 + o.abusers + o.burst_connections) + 512);
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= wanted) return;
  limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur < wanted) {
    std::cerr << "soak: open files limited to " << limit.rlim_cur << ", " << wanted << " wanted\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Leadtime soak run: concurrent games of well-behaved and abusive clients against leadtime-server"};
  soak::SoakOptions o;
  soak::RunPaths paths;
  paths.server_binary = default_server();
  paths.source_dir = LEADTIME_SOAK_SOURCE_DIR;
  bool as_json = false;
  app.add_option("--seconds", o.seconds, "length of the main phase")->check(CLI::Range(1, 24 * 3600));
  app.add_option("--crash-seconds", o.crash_seconds,
                 "after a restart, seconds of play before SIGKILL (0: no crash and recovery phases)")
      ->check(CLI::Range(0, 3600));
  app.add_option("--recovered-seconds", o.recovered_seconds, "seconds of play after the restart that follows SIGKILL")
      ->check(CLI::Range(1, 3600));
  app.add_option("--games", o.games, "games played at once (a finished game is replaced by a new one)")
      ->check(CLI::Range(1, 900));
  app.add_option("--bots", o.bots_per_game, "bot seats per game, the rest played by clients")->check(CLI::Range(0, 8));
  app.add_option("--observers", o.observers, "observer connections per game")->check(CLI::Range(0, 10));
  app.add_option("--deadline", o.deadline_s, "seconds per orders phase")->check(CLI::Range(1, 600));
  app.add_option("--abusers", o.abusers, "abusive connections at once (0: none)")->check(CLI::Range(0, 2000));
  app.add_option("--burst", o.burst_connections,
                 "connections opened at once from 127.0.0.3 in each abusive phase, to meet the per-address cap (0: "
                 "none)")
      ->check(CLI::Range(0, 6000));
  app.add_option("--calm-share", o.calm_share, "share of the main phase before the abusers start")
      ->check(CLI::Range(0.0, 0.9));
  app.add_option("--server-threads", o.server_threads, "the server's --threads")->check(CLI::Range(1u, 64u));
  app.add_option("--seed", o.seed, "seed of the clients' choices and the games");
  app.add_option("--server", paths.server_binary, "the leadtime-server binary")->check(CLI::ExistingFile);
  app.add_option("--source-dir", paths.source_dir, "the repository (scenarios/, scripts/bots/)")
      ->check(CLI::ExistingDirectory);
  app.add_option("--work-dir", paths.work_dir,
                 "folder for the database, key and server log (default: a new one in "
                 "the temporary folder, removed after a clean run)");
  app.add_flag("--keep", paths.keep_work_dir, "keep the work folder after a clean run");
  app.add_option("--server-fd-limit", paths.server_fd_limit,
                 "RLIMIT_NOFILE for the server (0: inherited); to see how it meets descriptor exhaustion")
      ->check(CLI::Range(0, 1 << 20));
  app.add_flag("--guess-from-players-address", o.guess_from_players_address,
               "token guessers connect from 127.0.0.1 like the players (one NAT) instead of 127.0.0.2");
  app.add_option("--server-arg", o.server_args,
                 "an argument for leadtime-server (repeat; e.g. --server-arg=--idle-timeout-ms=20000)")
      ->allow_extra_args(false);
  app.add_flag("--json", as_json, "print one JSON document instead of the text report");
  CLI11_PARSE(app, argc, argv);
  if (paths.server_binary.empty() || !fs::exists(paths.server_binary)) {
    std::cerr << "soak: no leadtime-server binary; give --server PATH\n";
    return 2;
  }
  paths.server_binary = fs::absolute(paths.server_binary).string();
  paths.source_dir = fs::absolute(paths.source_dir).string();
  paths.scenario = (fs::path(paths.source_dir) / "scenarios" / "2028.lua").string();
  raise_descriptor_limit(o);

  std::string command;
  for (int i = 0; i < argc; ++i) command += (i > 0 ? " " : "") + std::string(argv[i]);
  const soak::SoakResult result = soak::run_soak(o, paths);
  if (as_json) {
    std::cout << soak::report_json(result, command).dump(2) << "\n";
  } else {
    soak::print_report(result, command, std::cout);
  }
  if (!result.setup_errors.empty()) return 2;
  return result.passed() ? 0 : 1;
}
