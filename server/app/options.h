#pragma once

// Everything a Leadtime server is told at start: where its games come from
// and go, the limits its transports enforce, and what its game service
// allows. One struct, filled by leadtime-server's command line (and tests).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace leadtime::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 7700;  // 0: the system picks a free port (see Server::port())
  // The scenario a CreateGame without scenario_path plays.
  std::string scenario = "scenarios/2028.lua";
  // Folders CreateGame.scenario_path and SeatBot.bot_path are relative to;
  // the scenario's own default bot paths are relative to bot_root as well.
  std::string scenario_root = ".";
  std::string bot_root = ".";
  std::string server_version = "0.1.0";
  // CreateGame and ListGames must carry this key; empty: anyone may (tests,
  // benchmarks and --open-lobby).
  std::string facilitator_key;
  // Limits (each refusal names the limit).
  std::size_t max_frame = std::size_t{1024} * 1024;  // bytes
  std::size_t max_connections = 8192;                // in total
  std::size_t max_connections_per_address = 1024;
  double messages_per_second = 50;                      // sustained, per connection
  double message_burst = 200;                           // bucket size
  int rate_strikes_to_close = 20;                       // refused messages before closing
  std::chrono::milliseconds handshake_timeout{10'000};  // connect -> Hello
  std::chrono::milliseconds idle_timeout{30 * 60'000};  // no complete frame
  // Unfinished games, in all and per facilitator. The server has no
  // accounts (everyone who may create games shares one key), so a
  // facilitator is the address CreateGame and Branch come from. Finished
  // games count against neither; games recovered at start count against no
  // address, only against max_games. When max_games games are in memory, a
  // finished game nobody is joined to is unloaded to make room (it stays in
  // the database, for export).
  std::size_t max_games = 1000;
  // With a store, a finished game nobody has joined or used for this long
  // leaves memory, so a server's memory stays flat however many games it
  // has hosted; a Join with one of its tokens loads it back (report, branch,
  // export). Without a store finished games stay until max_games needs room.
  std::chrono::milliseconds unload_finished_after{60'000};
  std::size_t max_games_per_facilitator = 50;
  std::size_t max_message_chars = 4000;  // press
  std::size_t max_orders_per_submission = 200;
  // Wrong tokens: the first `free_wrong_tokens` from an address cost
  // nothing; after that every Join from the address (any connection) waits
  // its turn, `wrong_token_delay` after the last, doubling with each new
  // wrong token up to `max_wrong_token_delay`; at most `max_waiting_joins`
  // wait at once, others are refused. A repeated wrong token counts once;
  // the token of a game that ended is not wrong. An address with no wrong
  // token for `forgive_wrong_tokens` starts afresh (see guesses.h).
  int free_wrong_tokens = 3;
  std::chrono::milliseconds wrong_token_delay{100};
  std::chrono::milliseconds max_wrong_token_delay{5000};
  std::chrono::milliseconds forgive_wrong_tokens{15 * 60'000};
  std::size_t max_waiting_joins = 8;
  unsigned bot_threads = 2;  // the pool bots decide on
  // After a failed save, a game tries again this soon if nothing else
  // changes meanwhile (every change tries again too).
  std::chrono::milliseconds save_retry{5000};
  // A game's status line (GameSummary) goes to its members at most this
  // often: the first change after a quiet spell at once, later ones
  // together at the end of the interval. Zero: after every change. A second
  // is quick enough for people watching who is ready (the pages count the
  // clock down themselves), and with 10,000 members the lines of a shorter
  // interval were most of the server's work (issue #21).
  std::chrono::milliseconds status_interval{1000};
  // The status lines a second the whole server aims to send at most: with
  // more members than interval x this, every game's lines go further apart
  // (StatusPace). News goes at once all the same.
  std::uint32_t status_lines_per_second = 5000;
  // Tests only: runs on the bot pool just before a game's bots decide a
  // round, to hold the game in "resolving" (faults_test; leadtime-server
  // sets it from LEADTIME_TESTING_HOLD_BOTS_MS). Empty otherwise.
  std::function<void(const std::string& game_id)> testing_before_bots;
  // The SQLite file every game is recorded in and recovered from at start;
  // empty: games live in memory only (tests, benchmarks).
  std::string db_path;
  // Browsers: HTTP and WebSocket on web_host:web_port (web_port 0 with
  // web_enabled: a free port), the web app's files from web_root.
  bool web_enabled = false;
  std::string web_host = "127.0.0.1";
  std::uint16_t web_port = 0;
  std::string web_root = "web/dist";
  // The pages' address as people in the room open it (e.g. behind a proxy,
  // or a name instead of an address); "": the web listener's own.
  std::string public_url;
  // Origins besides the server's own whose pages may open /ws.
  std::vector<std::string> allowed_origins;
  // Reverse proxies whose X-Forwarded-For names the real client.
  std::vector<std::string> trusted_proxies;
  // TLS for both listeners when both are set (PEM files).
  std::string tls_cert;
  std::string tls_key;
};

}  // namespace leadtime::server
