#include "bench/soak/report.h"

#include <fmt/format.h>
#include <unistd.h>

#include <thread>

#include "bench/load/figures.h"

namespace leadtime::bench::soak {

using nlohmann::json;

namespace {

double mib(std::int64_t kib) { return static_cast<double>(kib) / 1024.0; }

LatencySummary latency(const std::vector<std::int64_t>& ns) { return summarise(ns); }

std::string latency_text(const std::vector<std::int64_t>& ns) {
  if (ns.empty()) return "no samples";
  const LatencySummary s = latency(ns);
  return fmt::format("p50 {:.2f} ms, p99 {:.2f} ms, max {:.1f} ms ({} round trips)", s.p50_ms, s.p99_ms, s.max_ms,
                     s.samples);
}

json latency_json(const std::vector<std::int64_t>& ns) {
  if (ns.empty()) return nullptr;
  const LatencySummary s = latency(ns);
  return {{"samples", s.samples}, {"p50_ms", s.p50_ms}, {"p99_ms", s.p99_ms}, {"max_ms", s.max_ms}};
}

std::string machine() {
  return fmt::format("{} cores online, {} hardware threads", ::sysconf(_SC_NPROCESSORS_ONLN),
                     std::thread::hardware_concurrency());
}

void print_check(const JournalCheck& c, std::ostream& out) {
  if (!c.error.empty()) {
    out << fmt::format("    {}: the database could not be read: {}\n", c.when, c.error);
    return;
  }
  const auto k = [&](const char* name) {
    const auto it = c.by_kind.find(name);
    return it == c.by_kind.end() ? KindCheck{} : it->second;
  };
  out << fmt::format("    {}: lost accepted orders: {} (of {} acknowledged submissions)\n", c.when, k("orders").lost,
                     k("orders").acked);
  out << fmt::format(
      "      other acknowledgements lost: {} (press {}/{}, ready {}/{}, extend {}/{}, force {}/{}, start {}/{}, "
      "games {}/{}); {} journal rows, {} games, read in {:.0f} ms\n",
      c.lost_total() - c.lost_orders(), k("press").lost, k("press").acked, k("ready").lost, k("ready").acked,
      k("extend").lost, k("extend").acked, k("force").lost, k("force").acked, k("start").lost, k("start").acked,
      k("games").lost, k("games").acked, c.journal_rows, c.game_rows, c.read_ms);
  for (const std::string& e : c.lost_examples) out << "      lost: " << e << "\n";
}

void print_abuse(const AbuseFigures& a, std::ostream& out) {
  int cut = 0;
  for (const auto& [_, t] : a.by_kind) cut += t.cut_short;
  out << fmt::format(
      "  abusive connections: {}, as the protocol promises: {}, cut short by the phase's end: {}, otherwise: {}\n",
      a.connections(), a.connections() - a.unexpected() - cut, cut, a.unexpected());
  for (const auto& [kind, t] : a.by_kind) {
    out << fmt::format(
        "    {:<17} {:>5} connections, {:>5} as expected, {:>3} cut short by the phase's end, longest {:.1f} s\n", kind,
        t.connections, t.as_expected, t.cut_short, t.max_close_s);
    for (const auto& [verdict, n] : t.outcomes) out << fmt::format("      {:>5}  {}\n", n, verdict);
    for (const std::string& u : t.unexpected) out << "      unexpected: " << u << "\n";
  }
  out << "  errors the abusers received, by the limit named:\n";
  for (const auto& [label, n] : a.errors_by_limit) out << fmt::format("    {:>6}  {}\n", n, label);
  if (a.wrong_token_answers > 0) {
    out << fmt::format("  wrong tokens answered: {}, slowest answer {:.0f} ms (guessing is slowed per address)\n",
                       a.wrong_token_answers, a.wrong_token_max_delay_ms);
  }
  for (const BurstFigures& b : a.bursts) {
    out << fmt::format("  connection burst from 127.0.0.3: {} attempted, {} connected, {} held, {} refused",
                       b.attempted, b.connected, b.held, b.refused);
    for (const auto& [label, n] : b.refusals) out << fmt::format("; {} x {}", n, label);
    out << fmt::format(", {} connects failed\n", b.connect_failed);
  }
}

void print_phase(const PhaseResult& p, int index, std::ostream& out) {
  out << fmt::format("\nPhase {}: {} ({:.0f} s planned, {:.1f} s played{}), then {}\n", index + 1, p.name, p.planned_s,
                     p.played_s, p.abusive ? ", under abuse" : "", p.ending);
  out << fmt::format("  machine load (1/5/15 min) before {}, after {}\n", p.load_before, p.load_after);
  if (p.recovered_games >= 0) {
    out << fmt::format(
        "  games the restarted server recovered: {}; games that had finished while no client was connected (not "
        "rejoined): {}\n",
        p.recovered_games, p.clients.finished_between_phases);
  }
  for (const std::string& f : p.server_failures) out << "  SERVER FAILURE: " << f << "\n";
  if (p.ending == "SIGTERM" && p.exit.exited) out << "  server stop: " << p.exit.describe() << "\n";
  if (p.check) print_check(*p.check, out);

  const MemoryFigures& m = p.memory;
  out << fmt::format(
      "  memory (server VmRSS, {} samples): start {:.1f} MiB, peak {:.1f} MiB, end {:.1f} MiB; second-half slope "
      "{:+.0f} KiB/min ({} games created in the phase, {} finished; a finished game nobody uses leaves the "
      "server's memory after --unload-finished-after-ms)\n",
      m.samples, mib(m.start_kib), mib(m.peak_kib), mib(m.end_kib), m.second_half_slope_kib_per_min,
      p.clients.games_created, p.stalls.finished);
  out << "  server descriptors: ";
  if (p.fds_at_start >= 0) out << p.fds_at_start << " at start, ";
  out << fmt::format("peak {}", m.peak_fds);
  if (p.fds_after_clients >= 0) {
    out << fmt::format(", {} once the clients had left ({:.1f} s after)", p.fds_after_clients, p.fds_settle_s);
  }
  out << fmt::format("; threads peak {}; CPU {:.1f} s\n", m.peak_threads, m.cpu_s);
  if (!p.lingering_sockets.empty()) {
    out << "  the server's sockets then, by peer:";
    for (const auto& [peer, n] : p.lingering_sockets) out << fmt::format(" {} x {};", n, peer);
    out << "\n";
  }

  const StallFigures& s = p.stalls;
  out << fmt::format(
      "  games: {} ran, {} finished, {} rounds resolved; longest gap between rounds {:.1f} s (deadline {} s, "
      "stalled beyond {:.0f} s)\n",
      s.games, s.finished, s.rounds, s.max_gap_s, s.limit_s / 3, s.limit_s);
  out << fmt::format("  stalled games: {}\n", s.stalled.size());
  for (const std::string& g : s.stalled) out << "    stalled: " << g << "\n";

  const ClientFigures& c = p.clients;
  out << fmt::format("  well-behaved clients (peak {} connections with the abusers):\n", p.peak_client_connections);
  out << fmt::format("    order round trip, no abusers running: {}\n", latency_text(c.rtt_calm_ns));
  out << fmt::format("    order round trip, abusers running:    {}\n", latency_text(c.rtt_abuse_ns));
  out << fmt::format("    Join answered (every client, every rejoin): {}\n", latency_text(c.join_wait_ns));
  out << fmt::format(
      "    acknowledged: {} order sets, {} press, {} ready, {} facilitator commands; {} games created, {} not started "
      "for want of an answer; {} valid orders rejected\n",
      c.orders_acked, c.press_acked, c.ready_acked, c.commands_acked, c.games_created, c.games_not_started,
      c.orders_rejected);
  out << fmt::format(
      "    WrongPhase answers (round resolving, game over): {}; drops by choice {}, rejoins {}, rejoin checks {} "
      "({} mismatched)\n",
      c.wrong_phase, c.deliberate_drops, c.rejoins, c.rejoin_checks, c.rejoin_mismatches);
  out << fmt::format(
      "    closed by the server while it was up: {}; tokens of unfinished games refused: {} (of finished games, "
      "which a restarted server does not reload: {}); other errors: {}\n",
      c.dropped_by_server, c.unknown_tokens, c.finished_not_reloaded, c.unexpected_errors);
  for (const std::string& pr : c.first_problems) out << "    problem: " << pr << "\n";
  if (p.clients_hung) out << "    CLIENTS HUNG past the phase's end\n";
  if (p.abusive) print_abuse(p.abuse, out);
}

json check_json(const JournalCheck& c) {
  json kinds = json::object();
  for (const auto& [k, v] : c.by_kind) kinds[k] = {{"acked", v.acked}, {"lost", v.lost}};
  return {{"when", c.when},
          {"error", c.error},
          {"lost_accepted_orders", c.lost_orders()},
          {"lost_total", c.lost_total()},
          {"by_kind", kinds},
          {"lost_examples", c.lost_examples},
          {"journal_rows", c.journal_rows},
          {"game_rows", c.game_rows},
          {"read_ms", c.read_ms}};
}

json abuse_json(const AbuseFigures& a) {
  json kinds = json::object();
  for (const auto& [kind, t] : a.by_kind) {
    kinds[kind] = {{"connections", t.connections}, {"as_expected", t.as_expected}, {"cut_short", t.cut_short},
                   {"outcomes", t.outcomes},       {"unexpected", t.unexpected},   {"max_close_s", t.max_close_s}};
  }
  json bursts = json::array();
  for (const BurstFigures& b : a.bursts) {
    bursts.push_back({{"attempted", b.attempted},
                      {"connected", b.connected},
                      {"connect_failed", b.connect_failed},
                      {"held", b.held},
                      {"refused", b.refused},
                      {"refusals", b.refusals}});
  }
  return {{"connections", a.connections()},
          {"unexpected", a.unexpected()},
          {"by_kind", kinds},
          {"errors_by_limit", a.errors_by_limit},
          {"wrong_token_answers", a.wrong_token_answers},
          {"wrong_token_max_delay_ms", a.wrong_token_max_delay_ms},
          {"bursts", bursts}};
}

json phase_json(const PhaseResult& p) {
  const MemoryFigures& m = p.memory;
  const StallFigures& s = p.stalls;
  const ClientFigures& c = p.clients;
  json out = {
      {"name", p.name},
      {"planned_s", p.planned_s},
      {"played_s", p.played_s},
      {"abusive", p.abusive},
      {"ending", p.ending},
      {"exit", p.exit.describe()},
      {"load_before", p.load_before},
      {"load_after", p.load_after},
      {"server_failures", p.server_failures},
      {"recovered_games", p.recovered_games},
      {"fds_at_start", p.fds_at_start},
      {"fds_after_clients", p.fds_after_clients},
      {"fds_settle_s", p.fds_settle_s},
      {"lingering_sockets", p.lingering_sockets},
      {"memory",
       {{"samples", m.samples},
        {"start_kib", m.start_kib},
        {"peak_kib", m.peak_kib},
        {"end_kib", m.end_kib},
        {"second_half_slope_kib_per_min", m.second_half_slope_kib_per_min},
        {"peak_fds", m.peak_fds},
        {"end_fds", m.end_fds},
        {"peak_threads", m.peak_threads},
        {"cpu_s", m.cpu_s}}},
      {"stalls",
       {{"games", s.games},
        {"finished", s.finished},
        {"rounds", s.rounds},
        {"max_gap_s", s.max_gap_s},
        {"limit_s", s.limit_s},
        {"stalled", s.stalled}}},
      {"clients",
       {{"order_rtt_calm", latency_json(c.rtt_calm_ns)},
        {"order_rtt_under_abuse", latency_json(c.rtt_abuse_ns)},
        {"orders_acked", c.orders_acked},
        {"orders_rejected", c.orders_rejected},
        {"press_acked", c.press_acked},
        {"ready_acked", c.ready_acked},
        {"commands_acked", c.commands_acked},
        {"games_created", c.games_created},
        {"games_finished", c.games_finished},
        {"games_not_started", c.games_not_started},
        {"join_wait", latency_json(c.join_wait_ns)},
        {"wrong_phase", c.wrong_phase},
        {"deliberate_drops", c.deliberate_drops},
        {"rejoins", c.rejoins},
        {"rejoin_checks", c.rejoin_checks},
        {"rejoin_mismatches", c.rejoin_mismatches},
        {"dropped_by_server", c.dropped_by_server},
        {"unknown_tokens", c.unknown_tokens},
        {"finished_not_reloaded", c.finished_not_reloaded},
        {"finished_between_phases", c.finished_between_phases},
        {"unexpected_errors", c.unexpected_errors},
        {"problems", c.first_problems},
        {"hung", p.clients_hung},
        {"peak_connections", p.peak_client_connections}}},
  };
  out["check"] = p.check ? check_json(*p.check) : json(nullptr);
  if (p.abusive) out["abuse"] = abuse_json(p.abuse);
  return out;
}

}  // namespace

void print_report(const SoakResult& r, const std::string& command, std::ostream& out) {
  const SoakOptions& o = r.options;
  out << "Leadtime soak run\n";
  out << "  command: " << command << "\n";
  out << fmt::format("  machine: {}; the clients run on 1 thread, the server on {} (--threads)\n", machine(),
                     o.server_threads);
  out << fmt::format(
      "  load: {} games at once, 8 seats each ({} bots), {} observer(s), deadline {} s; {} abusers at once; "
      "seed {}\n",
      o.games, o.bots_per_game, o.observers, o.deadline_s, o.abusers, o.seed);
  out << "  server: " << r.paths.server_binary << "\n";
  for (const std::string& e : r.setup_errors) out << "  SETUP ERROR: " << e << "\n";
  for (std::size_t i = 0; i < r.phases.size(); ++i) print_phase(r.phases[i], static_cast<int>(i), out);
  out << fmt::format("\nServer log: {} error lines, {} warnings ({} of them failed accepts)", r.log_errors,
                     r.log_warnings, r.log_accept_failures);
  out << (r.work_dir.empty() ? " (work folder removed)\n" : " (" + r.server_log + ")\n");
  for (const std::string& e : r.log_error_examples) out << "  " << e << "\n";
  if (r.db_bytes > 0) out << fmt::format("Database: {:.1f} MiB\n", static_cast<double>(r.db_bytes) / 1048576.0);
  out << "\nSummary\n";
  out << fmt::format("  lost accepted orders: {}\n", r.lost_orders());
  out << fmt::format("  lost acknowledgements of any kind: {}\n", r.lost_total());
  out << fmt::format("  games whose tokens the server forgot: {}\n", r.games_lost());
  out << fmt::format("  stalled games: {}\n", r.stalled());
  out << fmt::format("  server failures (died, unclean stop, no restart): {}\n", r.server_failures());
  out << "  result: " << (r.passed() ? "PASS" : "FAIL") << "\n";
}

json report_json(const SoakResult& r, const std::string& command) {
  const SoakOptions& o = r.options;
  json phases = json::array();
  for (const PhaseResult& p : r.phases) phases.push_back(phase_json(p));
  json samples = json::array();
  for (const ProcessSample& s : r.samples) {
    samples.push_back({{"t_s", s.t_s},
                       {"phase", s.phase},
                       {"rss_kib", s.rss_kib},
                       {"fds", s.fds},
                       {"threads", s.threads},
                       {"cpu_s", s.cpu_s}});
  }
  return {{"command", command},
          {"machine", machine()},
          {"options",
           {{"seconds", o.seconds},
            {"crash_seconds", o.crash_seconds},
            {"recovered_seconds", o.recovered_seconds},
            {"games", o.games},
            {"bots_per_game", o.bots_per_game},
            {"observers", o.observers},
            {"deadline_s", o.deadline_s},
            {"abusers", o.abusers},
            {"burst_connections", o.burst_connections},
            {"server_threads", o.server_threads},
            {"seed", o.seed}}},
          {"server", r.paths.server_binary},
          {"setup_errors", r.setup_errors},
          {"phases", phases},
          {"rss_samples", samples},
          {"log_errors", r.log_errors},
          {"log_warnings", r.log_warnings},
          {"log_accept_failures", r.log_accept_failures},
          {"log_error_examples", r.log_error_examples},
          {"db_bytes", r.db_bytes},
          {"lost_accepted_orders", r.lost_orders()},
          {"lost_total", r.lost_total()},
          {"games_lost", r.games_lost()},
          {"stalled_games", r.stalled()},
          {"server_failures", r.server_failures()},
          {"passed", r.passed()}};
}

}  // namespace leadtime::bench::soak
