#include "client-cli/report_command.h"

#include <signal.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "client-cli/connection.h"
#include "client-cli/session.h"
#include "client-cli/token_store.h"
#include "files/files.h"
#include "report/game_report.h"
#include "report/store_source.h"

namespace leadtime::cli {

namespace save = game::save;

namespace {

// Keeps what a background session says, so a failure can name its cause.
class QuietSink final : public Sink {
 public:
  void emit(const Output& output) override {
    if (output.error) last_error = output.text;
  }
  std::string last_error;
};

bool is_game_id(const std::string& text) {
  return text.size() >= 2 && text[0] == 'g' && text.find_first_not_of("0123456789", 1) == std::string::npos;
}

int fail(const std::string& text, int code) {
  std::cerr << "leadtime-cli: report: " << text << "\n";
  return code;
}

using Loaded = std::variant<save::SaveData, std::string>;

// The game from a running server, with the token given or the one saved.
Loaded from_server(const ReportOptions& o, const std::string& game_id, const std::string& token) {
  std::string t = token;
  if (t.empty()) {
    // Saved tokens are keyed by HOST:PORT, with or without TLS.
    const std::string key = o.address.starts_with("tls://") ? o.address.substr(6) : o.address;
    const auto saved = TokenStore(o.tokens_file).find(key, game_id);
    if (!saved || saved->facilitator.empty()) {
      return "no saved facilitator token for game " + game_id + " on " + o.address +
             " (the client that created it saves it); give it with --token or --token-file";
    }
    t = saved->facilitator;
  }
  return fetch_save(o.address, o.tls, t, std::chrono::seconds(o.request_timeout_s));
}

Loaded load_game(const ReportOptions& o, const std::string& token) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(o.target, ec)) return report::load_save_file(o.target);
  if (!is_game_id(o.target)) return "no such save file: " + o.target;
  if (!o.db.empty()) return report::load_from_store(o.db, o.target);
  if (!o.address.empty()) return from_server(o, o.target, token);
  return "'" + o.target +
         "' is a game id, not a file: give the server's database (--db saves/leadtime.db) or a running server "
         "(--server HOST:PORT)";
}

// A branch's parent: a save file or game id given with --parent, or the
// parent its record names, from the same database or server. A parent asked
// for by name that cannot be read is an error; one the record names only
// becomes a note on the page.
std::variant<std::optional<save::SaveData>, std::string> load_parent(const ReportOptions& o, const save::SaveData& game,
                                                                     std::string& note) {
  using Parent = std::optional<save::SaveData>;
  std::string id = game.game.parent_id;
  const bool named = !o.parent.empty();
  if (named) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(o.parent, ec)) {
      auto loaded = report::load_save_file(o.parent);
      if (auto* error = std::get_if<std::string>(&loaded)) return *error;
      return Parent{std::get<save::SaveData>(std::move(loaded))};
    }
    if (!is_game_id(o.parent)) return "no such save file: " + o.parent;
    id = o.parent;
  }
  if (id.empty()) return Parent{};
  Loaded parent = std::string();
  if (!o.db.empty()) {
    parent = report::load_from_store(o.db, id);
  } else if (!o.address.empty()) {
    parent = from_server(o, id, "");
  } else if (named) {
    return "a parent given by its game id needs the server's database (--db) or the server (--server)";
  } else {
    note = "give its save file with --parent FILE, or report from the server's database with --db";
    return Parent{};
  }
  if (auto* error = std::get_if<std::string>(&parent)) {
    if (named) return *error;
    note = *error;
    return Parent{};
  }
  return Parent{std::get<save::SaveData>(std::move(parent))};
}

}  // namespace

std::variant<save::SaveData, std::string> fetch_save(const std::string& address, const TlsOptions& tls,
                                                     const std::string& token, std::chrono::milliseconds timeout) {
  std::string error;
  const auto hp = parse_host_port(address, error);
  if (!hp) return error;
  ConnectionOptions copts;
  copts.host = hp->host;
  copts.port = hp->port;
  copts.client_name = "leadtime-cli 0.1 (report)";
  copts.reconnect = false;
  copts.tls = tls;
  copts.tls.enabled = tls.enabled || !tls.ca_file.empty() || hp->tls;
  Connection connection(copts);
  if (!connection.setup_error().empty()) return connection.setup_error();
  QuietSink sink;
  SessionOptions sopts;
  sopts.token = token;
  sopts.member = "report";
  sopts.request_timeout = timeout;
  Session session(connection, sopts, sink);
  connection.start();
  std::variant<std::vector<std::uint8_t>, std::string> bytes = std::string();
  if (!session.open()) {
    bytes = sink.last_error.empty() ? "cannot join the game on " + address : sink.last_error;
  } else {
    bytes = session.request_save();
  }
  connection.stop();
  if (auto* why = std::get_if<std::string>(&bytes)) return *why;
  auto decoded = save::decode(std::get<std::vector<std::uint8_t>>(bytes));
  if (auto* why = std::get_if<std::string>(&decoded)) return "the server's save file: " + *why;
  return std::get<save::SaveData>(std::move(decoded));
}

std::variant<WrittenReport, std::string> write_game_report(const save::SaveData& game, const save::SaveData* parent,
                                                           const std::string& parent_note, std::string out,
                                                           const std::string& generated_by) {
  auto input = report::game_report_input(game, parent, parent_note);
  if (auto* error = std::get_if<std::string>(&input)) return *error;
  const report::GameReportInput& in = std::get<report::GameReportInput>(input);
  report::GameReportOptions options;
  options.generated_by = generated_by;
  const std::string html = report::render_game_report(in, options);
  if (out.empty()) out = game.game.id + "-report.html";
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  if (!file) return "cannot write '" + out + "'";
  file << html;
  if (!file.flush()) return "writing '" + out + "' failed (disk full?)";
  return WrittenReport{out, html.size(), in.game.id, in.game.rounds.size(), in.parent ? in.parent->id : ""};
}

std::string written_text(const WrittenReport& w) {
  return "Wrote " + w.path + ": game " + w.game_id + ", " + std::to_string(w.rounds) +
         (w.rounds == 1 ? " round" : " rounds") + (w.parent_id.empty() ? "" : ", beside its parent " + w.parent_id) +
         " (" + std::to_string(w.bytes / 1024 + 1) + " KB; open it in any browser, no network needed).";
}

void add_report_flags(CLI::App& command, ReportOptions& o) {
  command.add_option("game", o.target, "a save file, or a game id (g3) with --db or --server")->required();
  command.add_option("-o,--out", o.out, "the page to write (default: GAME-report.html)");
  command.add_option("--parent", o.parent,
                     "for a branch: its parent, drawn on the same charts (a save file, or a game id with --db or "
                     "--server; default: the parent the branch's record names)");
  command.add_option("--db", o.db, "read the game (and a branch's parent) from this server database")
      ->check(CLI::ExistingFile);
  command.add_option("--server", o.address, "fetch the game from this running server (HOST:PORT, tls://HOST:PORT)");
  command.add_flag("--tls", o.tls.enabled, "with --server: connect over TLS, checking the server's certificate");
  command.add_option("--tls-ca", o.tls.ca_file, "with --server: trust this PEM certificate (implies --tls)")
      ->check(CLI::ExistingFile);
  auto* token = command.add_option("--token", o.token,
                                   "with --server: the game's facilitator token (default: the one saved at create)");
  command.add_option("--token-file", o.token_file, "with --server: read that token from this file's first line")
      ->excludes(token);
  command.add_option("--tokens-file", o.tokens_file, "where created games' tokens are saved");
  command.add_option("--timeout", o.request_timeout_s, "seconds to wait for the server")->check(CLI::Range(1u, 3600u));
}

int run_report(ReportOptions o) {
  ::signal(SIGPIPE, SIG_IGN);
  std::string token = o.token;
  if (token.empty() && !o.token_file.empty()) {
    const auto line = files::first_line(o.token_file);
    if (!line || line->empty()) return fail("--token-file: cannot read a token from '" + o.token_file + "'", 2);
    token = *line;
  }
  Loaded game = load_game(o, token);
  if (auto* error = std::get_if<std::string>(&game)) return fail(*error, 1);
  const save::SaveData& data = std::get<save::SaveData>(game);
  std::string note;
  auto parent = load_parent(o, data, note);
  if (auto* error = std::get_if<std::string>(&parent)) return fail("--parent: " + *error, 1);
  const auto& p = std::get<std::optional<save::SaveData>>(parent);
  auto written = write_game_report(data, p ? &*p : nullptr, note, o.out, "Written by leadtime-cli report.");
  if (auto* error = std::get_if<std::string>(&written)) return fail(*error, 1);
  std::cout << written_text(std::get<WrittenReport>(written)) << "\n";
  if (!note.empty())
    std::cerr << "leadtime-cli: report: parent " << data.game.parent_id << " not shown: " << note << "\n";
  return 0;
}

}  // namespace leadtime::cli
