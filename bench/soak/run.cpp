#include "bench/soak/run.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "engine/lua/scenario_loader.h"

namespace leadtime::bench::soak {

namespace fs = std::filesystem;

namespace {

constexpr auto kStartLimit = std::chrono::seconds(60);  // recovery of every game included
constexpr auto kStopGrace = std::chrono::seconds(30);
constexpr auto kClientGrace = std::chrono::seconds(20);  // after a phase's end, before the clients count as hung
constexpr double kStallDeadlines = 3;

void progress(const std::string& line) { std::cerr << "soak: " << line << std::endl; }

std::string make_work_dir(const std::string& wanted) {
  if (!wanted.empty()) {
    fs::create_directories(wanted);
    return wanted;
  }
  std::string pattern = (fs::temp_directory_path() / "leadtime-soak-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a folder under " + pattern);
  return pattern;
}

std::string write_key(const std::string& dir, std::uint64_t seed) {
  const std::string path = (fs::path(dir) / "facilitator.key").string();
  Rng rng(seed ^ static_cast<std::uint64_t>(Clock::now().time_since_epoch().count()));
  const std::string key = fmt::format("soak-{:016x}{:016x}", rng(), rng());
  {
    std::ofstream out(path, std::ios::trunc);
    out << key << "\n";
  }
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  return key;
}

// What one phase runs: its clients on one thread, its server calls on this one.
struct PhaseSpec {
  std::string name;
  int index = 0;
  double seconds = 0;
  double calm_s = 0;         // before abuse starts; < 0: no abuse
  bool kill_at_end = false;  // SIGKILL under the clients instead of SIGTERM after them
};

StallFigures stall_figures(const std::vector<std::unique_ptr<Slot>>& slots, int phase, int deadline_s) {
  StallFigures f;
  f.limit_s = kStallDeadlines * deadline_s;
  for (const auto& slot : slots) {
    for (const auto& game : slot->games()) {
      const auto it = game->progress.find(phase);
      if (it == game->progress.end() || game->lost) continue;
      const PhaseProgress& p = it->second;
      ++f.games;
      if (p.finished) ++f.finished;
      f.rounds += p.rounds;
      f.max_gap_s = std::max(f.max_gap_s, p.max_gap_s);
      if (p.max_gap_s > f.limit_s) {
        f.stalled.push_back(
            fmt::format("{}: {:.1f} s without a round ({} rounds in the phase)", game->id, p.max_gap_s, p.rounds));
      }
    }
  }
  return f;
}

// Games the restarted server rebuilt, from its log since the last start.
int recovered_in_log(const std::string& log_path) {
  std::ifstream in(log_path);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    if (line.starts_with("--- soak: server start")) n = 0;
    if (line.find(": recovered at round") != std::string::npos) ++n;
  }
  return n;
}

class Runner {
 public:
  Runner(const SoakOptions& options, const RunPaths& paths, SoakResult& result)
      : options_(options), paths_(paths), result_(result), run_start_(Clock::now()), probe_(run_start_) {}

  void run();

 private:
  void phase(const PhaseSpec& spec);
  void run_clients(PhaseContext& ph, PhaseResult& out, const PhaseSpec& spec);
  void settle_descriptors(PhaseResult& out, int phase);

  const SoakOptions& options_;
  const RunPaths& paths_;
  SoakResult& result_;
  Clock::time_point run_start_;
  Probe probe_;
  std::optional<ServerProcess> server_;
  std::string key_;
  std::string db_path_;
  GamePlan plan_;
  std::vector<std::unique_ptr<Slot>> slots_;
  Ledger ledger_;
};

void Runner::run() {
  const std::string dir = make_work_dir(paths_.work_dir);
  result_.work_dir = dir;
  key_ = write_key(dir, options_.seed);
  db_path_ = (fs::path(dir) / "soak.db").string();
  auto loaded = load_scenario_file(paths_.scenario);
  if (!loaded.scenario) throw std::runtime_error("scenario " + paths_.scenario + ": " + loaded.error);
  plan_ = make_plan(*loaded.scenario, LoadOptions{});
  ServerConfig config;
  config.binary = paths_.server_binary;
  config.work_dir = dir;
  config.db_path = db_path_;
  config.key_file = (fs::path(dir) / "facilitator.key").string();
  config.scenario = paths_.scenario;
  config.source_dir = paths_.source_dir;
  config.threads = options_.server_threads;
  config.fd_limit = paths_.server_fd_limit;
  config.extra_args = options_.server_args;
  server_.emplace(config);
  result_.server_log = server_->log_path();
  for (int i = 0; i < options_.games; ++i) {
    slots_.push_back(std::make_unique<Slot>(i, options_.seed * 104729u + static_cast<std::uint64_t>(i)));
  }

  phase({"play", 0, static_cast<double>(options_.seconds), options_.calm_share * options_.seconds, false});
  const bool went_well = result_.phases.back().server_failures.empty();
  if (options_.crash_seconds > 0 && went_well) {
    phase({"crash", 1, static_cast<double>(options_.crash_seconds), 1.0, true});
    if (result_.phases.back().server_failures.empty()) {
      phase({"recovered", 2, static_cast<double>(options_.recovered_seconds), -1, false});
    }
  }
  probe_.stop();
  result_.samples = probe_.samples();
}

void Runner::phase(const PhaseSpec& spec) {
  result_.phases.emplace_back();
  PhaseResult& out = result_.phases.back();
  out.name = spec.name;
  out.planned_s = spec.seconds;
  out.abusive = spec.calm_s >= 0 && (options_.abusers > 0 || options_.burst_connections > 0);
  out.load_before = load_average();
  progress(fmt::format("phase {} ({}): starting the server", spec.index + 1, spec.name));
  std::uint16_t port = 0;
  try {
    port = server_->start(kStartLimit);
  } catch (const std::exception& e) {
    out.server_failures.push_back(std::string("start: ") + e.what());
    return;
  }
  if (spec.index > 0) {
    out.recovered_games = recovered_in_log(server_->log_path());
    out.clients.finished_between_phases = mark_finished_games(slots_, db_path_);
  }
  probe_.watch(server_->pid(), spec.index);

  PhaseContext ph;
  ph.name = spec.name;
  ph.index = spec.index;
  ph.server = asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port);
  ph.facilitator_key = key_;
  ph.started = Clock::now();
  const auto at = [&](double s) {
    return ph.started + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
  };
  ph.abuse_from = out.abusive ? at(spec.calm_s) : Clock::time_point::max();
  // The kill must find the clients busy: they play on for a moment past it.
  ph.ends = at(spec.seconds + (spec.kill_at_end ? 1.0 : 0.0));
  progress(fmt::format("phase {} ({}): {} s, {} games{}", spec.index + 1, spec.name, spec.seconds, options_.games,
                       out.abusive ? fmt::format(", {} abusers", options_.abusers) : std::string()));
  run_clients(ph, out, spec);
  out.played_s = std::chrono::duration<double>(Clock::now() - ph.started).count();
  settle_refused_games(slots_, spec.index, db_path_, out.clients);
  close_progress(slots_, ph);
  out.stalls = stall_figures(slots_, spec.index, options_.deadline_s);
  probe_.stop();
  out.memory = memory_figures(probe_.samples(), spec.index);
  if (!spec.kill_at_end) settle_descriptors(out, spec.index);

  if (spec.kill_at_end) {
    out.ending = "SIGKILL";
  } else {
    out.ending = "SIGTERM";
    if (server_->has_exited()) {
      out.exit = server_->kill_now();
      out.server_failures.push_back("the server exited by itself during the phase (" + out.exit.describe() + ")");
    } else {
      out.exit = server_->terminate(kStopGrace);
      if (out.exit.code == -1) {
        out.server_failures.push_back(
            fmt::format("the server did not stop within {} s of SIGTERM", kStopGrace.count()));
      } else if (out.exit.signal != 0 || out.exit.code != 0) {
        out.server_failures.push_back("the server's stop on SIGTERM ended with " + out.exit.describe());
      }
    }
  }
  out.load_after = load_average();
  out.check = check_journal(ledger_, db_path_, spec.kill_at_end ? "after SIGKILL" : "after SIGTERM");
  progress(fmt::format("phase {} ({}): done; lost acknowledgements: {}", spec.index + 1, spec.name,
                       out.check->error.empty() ? std::to_string(out.check->lost_total()) : out.check->error));
}

// Every client has closed its connections: the server's descriptors should
// come back to what it had when it came up (a few more for the store's
// files). Waits up to 20 s for that: a session whose Join waits for its
// turn after wrong tokens from its address notices its peer left only then.
void Runner::settle_descriptors(PhaseResult& out, int phase) {
  constexpr int kSlack = 8;
  for (const ProcessSample& s : probe_.samples()) {
    if (s.phase == phase) {
      out.fds_at_start = s.fds;
      break;
    }
  }
  if (out.fds_at_start < 0 || server_->has_exited()) return;
  const auto began = Clock::now();
  while (true) {
    const auto s = probe_.sample_now(server_->pid(), phase);
    if (!s) return;
    out.fds_after_clients = s->fds;
    out.fds_settle_s = std::chrono::duration<double>(Clock::now() - began).count();
    if (s->fds <= out.fds_at_start + kSlack) return;
    if (Clock::now() - began > std::chrono::seconds(20)) {
      out.lingering_sockets = socket_peers(server_->pid());
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void Runner::run_clients(PhaseContext& ph, PhaseResult& out, const PhaseSpec& spec) {
  asio::io_context io;
  ph.io = &io;
  const PlayContext ctx{ph, plan_, options_, out.clients, ledger_};
  ClientFigures& figures = out.clients;
  const auto report_failure = [&figures](const char* who) {
    return [&figures, who](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        figures.note_problem(std::string(who) + " failed: " + x.what());
      }
    };
  };
  for (auto& slot : slots_) asio::co_spawn(asio::make_strand(io), slot->run(ctx), report_failure("a game slot"));
  if (out.abusive) {
    for (int i = 0; i < options_.abusers; ++i) {
      const std::string guess_from = options_.guess_from_players_address ? "" : "127.0.0.2";
      asio::co_spawn(asio::make_strand(io), abuse(i, ph, slots_, out.abuse, options_.seed + spec.index, guess_from),
                     report_failure("an abuser"));
    }
    if (options_.burst_connections > 0) {
      asio::co_spawn(
          asio::make_strand(io),
          [&]() -> asio::awaitable<void> {
            asio::steady_timer wait(co_await asio::this_coro::executor, ph.abuse_from + std::chrono::seconds(2));
            boost::system::error_code ec;
            co_await wait.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            if (ph.over()) co_return;
            BurstFigures burst = co_await connection_burst(ph, options_.burst_connections);
            out.abuse.bursts.push_back(std::move(burst));
          },
          report_failure("the connection burst"));
    }
  }
  std::atomic<bool> done{false};
  std::thread clients([&] {
    io.run();
    done = true;
  });
  if (spec.kill_at_end) {
    std::this_thread::sleep_until(ph.ends - std::chrono::seconds(1));
    if (server_->has_exited()) {
      out.server_failures.push_back("the server exited by itself during the phase (" + server_->kill_now().describe() +
                                    ")");
    }
    ph.mark_server_down();
    out.exit = server_->kill_now();
    progress(fmt::format("phase {} ({}): server killed ({})", spec.index + 1, spec.name, out.exit.describe()));
  }
  while (!done && Clock::now() < ph.ends + kClientGrace) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (!done) {
    out.clients_hung = true;
    figures.note_problem("clients still busy " + std::to_string(kClientGrace.count()) + " s after the phase's end");
    io.stop();
  }
  clients.join();
  out.peak_client_connections = ph.gauge.peak.load();
}

}  // namespace

int SoakResult::lost_orders() const {
  int lost = 0;
  for (const PhaseResult& p : phases) {
    if (p.check) lost = std::max(lost, p.check->lost_orders());
  }
  return lost;
}

int SoakResult::lost_total() const {
  int lost = 0;
  for (const PhaseResult& p : phases) {
    if (p.check) lost = std::max(lost, p.check->lost_total());
  }
  return lost;
}

int SoakResult::stalled() const {
  int n = 0;
  for (const PhaseResult& p : phases) n += static_cast<int>(p.stalls.stalled.size());
  return n;
}

int SoakResult::server_failures() const {
  int n = 0;
  for (const PhaseResult& p : phases) n += static_cast<int>(p.server_failures.size());
  return n;
}

int SoakResult::games_lost() const {
  int n = 0;
  for (const PhaseResult& p : phases) n += p.clients.unknown_tokens;
  return n;
}

bool SoakResult::passed() const {
  bool checks_ok = !phases.empty();
  for (const PhaseResult& p : phases) {
    if (p.check && !p.check->error.empty()) checks_ok = false;
    if (p.clients_hung) checks_ok = false;
  }
  return setup_errors.empty() && checks_ok && lost_total() == 0 && stalled() == 0 && server_failures() == 0 &&
         games_lost() == 0;
}

SoakResult run_soak(const SoakOptions& options, const RunPaths& paths) {
  SoakResult result;
  result.options = options;
  result.paths = paths;
  try {
    Runner(options, paths, result).run();
  } catch (const std::exception& e) {
    result.setup_errors.push_back(e.what());
  }
  if (!result.server_log.empty()) {
    std::ifstream in(result.server_log);
    std::string line;
    while (std::getline(in, line)) {
      const bool error = line.find("[error]") != std::string::npos || line.find("[critical]") != std::string::npos;
      if (error) {
        ++result.log_errors;
        if (result.log_error_examples.size() < 5) result.log_error_examples.push_back(line);
      }
      if (line.find("[warning]") != std::string::npos) ++result.log_warnings;
      if (line.find("] accept: ") != std::string::npos) ++result.log_accept_failures;
    }
  }
  std::error_code ec;
  if (!result.work_dir.empty()) {
    result.db_bytes = static_cast<std::int64_t>(fs::file_size(fs::path(result.work_dir) / "soak.db", ec));
  }
  if (result.passed() && !paths.keep_work_dir && paths.work_dir.empty() && !result.work_dir.empty()) {
    fs::remove_all(result.work_dir, ec);
    result.work_dir.clear();
  }
  return result;
}

}  // namespace leadtime::bench::soak
