// leadtime-bench-store: durable acknowledgements per second through the
// store's group commit against one commit per entry, and the time to open a
// database of many games and list the unfinished ones (issue #5). Run by
// hand on a Release build; figures and how they were taken are in README.md.
//   build/store-rel/bench/store/leadtime-bench-store --dir /tmp
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "bench/store/acks.h"
#include "bench/store/recovery.h"

namespace {

namespace bs = leadtime::bench::store;

// A fresh directory for the run's databases, removed at the end.
class RunDir {
 public:
  RunDir(const std::string& parent, bool keep) : keep_(keep) {
    std::string pattern = parent + "/leadtime-bench-store-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a directory in " + parent);
    path_ = pattern;
  }
  ~RunDir() {
    if (keep_) {
      std::printf("\nkept %s\n", path_.c_str());
      return;
    }
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  RunDir(const RunDir&) = delete;
  RunDir& operator=(const RunDir&) = delete;
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
  bool keep_;
};

void print_acks(const char* how, const bs::AckFigures& f) {
  std::printf("%-24s %8d %10llu %9.3f %12.0f %10llu %10.1f\n", how, f.clients, static_cast<unsigned long long>(f.acks),
              f.seconds, f.per_second(), static_cast<unsigned long long>(f.transactions),
              f.transactions > 0 ? static_cast<double>(f.acks) / static_cast<double>(f.transactions) : 0.0);
}

// A few clients at one fsync per ack would take minutes for the full count:
// each run stops at `per_client` acks per client.
std::uint64_t run_size(int clients, std::uint64_t acks, std::uint64_t per_client) {
  return std::min(acks, per_client * static_cast<std::uint64_t>(clients));
}

void run_acks(const RunDir& dir, const std::vector<int>& clients, std::uint64_t acks, std::uint64_t baseline_acks) {
  constexpr std::uint64_t kPerClient = 2000;
  std::printf("durable acks (WAL, synchronous=FULL; each client waits for its ack before the next)\n");
  std::printf("%-24s %8s %10s %9s %12s %10s %10s\n", "how", "clients", "acks", "seconds", "acks/s", "commits",
              "acks/commit");
  int run = 0;
  for (const int n : clients) {
    print_acks("group, thread clients", bs::group_commit_acks(dir.file("acks-" + std::to_string(run++) + ".db"), n,
                                                              run_size(n, acks, kPerClient)));
  }
  for (const int n : clients) {
    print_acks("group, callback clients", bs::callback_client_acks(dir.file("acks-" + std::to_string(run++) + ".db"), n,
                                                                   run_size(n, acks, kPerClient)));
  }
  print_acks("queued, no waiting", bs::queued_acks(dir.file("acks-" + std::to_string(run++) + ".db"), acks));
  for (const int n : clients) {
    const auto f = bs::one_commit_per_entry_acks(dir.file("acks-" + std::to_string(run++) + ".db"), n, baseline_acks);
    print_acks("one commit per entry", f);
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void print_recovery(const char* cache, const bs::RecoveryFigures& f) {
  std::printf("%-6s %8.1f %8.3f %10.3f %10.3f %9.3f %9.3f %6zu %6zu\n", cache, static_cast<double>(f.file_bytes) / 1e6,
              f.open_seconds, f.list_unfinished_seconds, f.read_unfinished_seconds, f.list_all_seconds,
              f.check_whole_seconds, f.unfinished_listed, f.all_listed);
}

void run_recovery(const RunDir& dir, bs::RecoveryShape shape) {
  if (shape.scenario_source.empty()) shape.scenario_source = std::string(12'000, '-');
  const std::string path = dir.file("recovery.db");
  const double build = bs::build_recovery_database(path, shape);
  std::printf(
      "\nrecovery: %d finished + %d unfinished games, %d rounds (%zu-byte snapshots) and %d journal entries "
      "each, %zu-byte scenario (built in %.1f s)\n",
      shape.finished_games, shape.unfinished_games, shape.rounds, shape.snapshot_bytes, shape.entries,
      shape.scenario_source.size(), build);
  std::printf("%-6s %8s %8s %10s %10s %9s %9s %6s %6s\n", "cache", "MB", "open s", "unfin. s", "replay s", "all s",
              "check s", "unfin.", "all");
  print_recovery("cold", bs::measure_recovery(path, true));
  print_recovery("warm", bs::measure_recovery(path, false));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Durable acks per second and recovery time of the Leadtime game store"};
  std::string parent = "/tmp";
  std::vector<int> clients = {1, 8, 64, 256, 1024};
  std::uint64_t acks = 100'000;
  std::uint64_t baseline_acks = 2'000;
  bs::RecoveryShape shape;
  std::string scenario = "scenarios/2028.lua";
  app.add_option("--dir", parent, "where the run's databases go (removed after)")->capture_default_str();
  app.add_option("--clients", clients, "client thread counts")->capture_default_str();
  app.add_option("--acks", acks, "acks per group-commit run (at most 2000 per client)")->capture_default_str();
  app.add_option("--baseline-acks", baseline_acks, "acks per one-commit-per-entry run")->capture_default_str();
  app.add_option("--games", shape.finished_games, "finished games in the recovery database")->capture_default_str();
  app.add_option("--scenario", scenario, "scenario text stored with every game")->capture_default_str();
  bool keep = false;
  app.add_flag("--keep", keep, "keep the databases (and print where they are)");
  CLI11_PARSE(app, argc, argv);
  try {
    const RunDir dir(parent, keep);
    run_acks(dir, clients, acks, baseline_acks);
    shape.scenario_source = read_file(scenario);
    run_recovery(dir, shape);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "leadtime-bench-store: %s\n", e.what());
    return 1;
  }
  return 0;
}
