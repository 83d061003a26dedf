#pragma once

// `leadtime-cli report SAVE_OR_GAME -o report.html` and what the live
// facilitator command `report` shares with it: a game's save data from a
// file, a server's database or a running server, and the after-action page
// (report/game_report.h) written from it, with a branch's parent when it
// can be found.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "client-cli/transport.h"
#include "game/save/save.h"

namespace CLI {
class App;
}

namespace leadtime::cli {

struct ReportOptions {
  std::string target;   // a save file, or a game id ("g3") with db or address
  std::string out;      // default: GAME-report.html
  std::string parent;   // a branch's parent as a save file
  std::string db;       // a server's database (saves/leadtime.db)
  std::string address;  // a running server, HOST:PORT or tls://HOST:PORT
  TlsOptions tls;       // --tls, --tls-ca
  std::string token;    // the game's facilitator token; default: the one saved at create/branch
  std::string token_file;
  std::string tokens_file;  // where saved tokens are (default: TokenStore's)
  unsigned request_timeout_s = 10;
};

// The flags of `leadtime-cli report`.
void add_report_flags(CLI::App& command, ReportOptions& options);

// Exit code: 0 written, 1 the game could not be read or the page written,
// 2 bad arguments.
int run_report(ReportOptions options);

// A game's save file from a running server: a connection of its own joins
// with the game's facilitator token and exports. TLS when `tls` says so or
// the address is tls://HOST:PORT.
std::variant<game::save::SaveData, std::string> fetch_save(const std::string& address, const TlsOptions& tls,
                                                           const std::string& token, std::chrono::milliseconds timeout);

struct WrittenReport {
  std::string path;
  std::size_t bytes = 0;
  std::string game_id;
  std::size_t rounds = 0;
  std::string parent_id;  // "" when no parent is on the charts
};

// Renders the page for the game (and its parent, if given) and writes it.
std::variant<WrittenReport, std::string> write_game_report(const game::save::SaveData& game,
                                                           const game::save::SaveData* parent,
                                                           const std::string& parent_note, std::string out,
                                                           const std::string& generated_by);

// "Wrote report.html: game g3, 10 rounds, beside its parent g1."
std::string written_text(const WrittenReport& written);

}  // namespace leadtime::cli
