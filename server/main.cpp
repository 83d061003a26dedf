// leadtime-server: serves games over TCP (see protocol/README.md).
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>
#include "protocol/asio.h"

#include "batch/scenario_check.h"
#include "game/tokens.h"
#include "server/net/server.h"
#include "server/save_tools.h"
#include "server/web/web_listener.h"

namespace {

// The facilitator key lives in a file only its owner may read; a missing
// file gets a fresh key, so a first start needs no set-up.
std::string load_or_create_key(const std::string& path) {
  namespace fs = std::filesystem;
  if (std::ifstream in(path); in) {
    std::string key;
    std::getline(in, key);
    if (key.size() < 16) throw std::runtime_error("facilitator key file " + path + ": key shorter than 16 characters");
    return key;
  }
  const fs::path p(path);
  if (p.has_parent_path()) fs::create_directories(p.parent_path());
  std::string key = leadtime::server::new_token();
  {
    std::ofstream out(path, std::ios::trunc);
    if (!out) throw std::runtime_error("facilitator key file " + path + ": cannot create it");
    out << key << "\n";
  }
  fs::permissions(p, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  spdlog::info("new facilitator key written to {}", path);
  return key;
}

// As notebook servers do: the console's link with the key in its fragment
// (which browsers never send to a server), for whoever started the server.
void announce_pages(const std::string& url, const std::string& key) {
  spdlog::info("pages for browsers at {}", url);
  if (key.empty()) {
    spdlog::info("the facilitator's console: {}console.html", url);
  } else {
    spdlog::info("the facilitator's console (the link holds the facilitator key): {}console.html#key={}", url, key);
  }
}

void write_port_file(const std::string& path, std::uint16_t port) {
  // Written to a temporary name and renamed, so a reader never sees half.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) throw std::runtime_error("--port-file " + path + ": cannot write it");
    out << port << "\n";
  }
  std::filesystem::rename(tmp, path);
}

// Every connection holds a descriptor, and the database, its journal, logs
// and bot files a few more. Raises the soft limit as far as the hard one
// allows; if that still falls short of max_connections, serves fewer, so a
// client over the limit is told so instead of the server failing to accept.
void fit_descriptor_limit(leadtime::server::net::ServerOptions& options) {
  constexpr rlim_t kReserve = 64;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t wanted = static_cast<rlim_t>(options.max_connections) + kReserve;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= wanted) return;
  const auto fits =
      static_cast<std::size_t>(limit.rlim_cur > 2 * kReserve ? limit.rlim_cur - kReserve : limit.rlim_cur / 2);
  spdlog::warn(
      "the open-file limit ({}) leaves room for about {} connections, fewer than --max-connections {}; serving at "
      "most {} (raise the limit with `ulimit -n`)",
      limit.rlim_cur, fits, options.max_connections, fits);
  options.max_connections = fits;
}

// "HOST:PORT" into its parts; false (after saying why) when it is not one.
bool read_host_port(const char* option, const std::string& text, std::string& host, std::uint16_t& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) {
    spdlog::error("{} '{}': expected HOST:PORT", option, text);
    return false;
  }
  host = text.substr(0, colon);
  try {
    const int number = std::stoi(text.substr(colon + 1));
    if (number < 0 || number > 65535) throw std::out_of_range("port");
    port = static_cast<std::uint16_t>(number);
  } catch (const std::exception&) {
    spdlog::error("{} '{}': the port must be a number from 0 to 65535", option, text);
    return false;
  }
  return true;
}

int run(int argc, char** argv) {
  CLI::App app{"Leadtime game server"};
  app.fallthrough();  // --db and friends may follow a subcommand
  std::string listen = "127.0.0.1:7700";
  leadtime::server::net::ServerOptions options;
  bool verbose = false;
  unsigned threads = 1;
  app.add_option("--listen", listen, "HOST:PORT to listen on (port 0: pick a free one)");
  app.add_option("--scenario", options.scenario, "scenario a game plays unless CreateGame names another");
  app.add_option("--scenario-root", options.scenario_root, "folder CreateGame scenario paths are relative to");
  app.add_option("--bot-root", options.bot_root, "folder bot paths are relative to");
  app.add_option("--threads", threads, "threads running the io_context (games and sessions are strands)")
      ->check(CLI::Range(1u, 256u));
  std::string key_file = "saves/facilitator.key";
  std::string port_file;
  bool open_lobby = false;
  app.add_option("--facilitator-key-file", key_file,
                 "file holding the key that CreateGame and ListGames need (created with a new key if missing)");
  app.add_flag("--open-lobby", open_lobby, "let anyone create games, without a facilitator key (local testing only)");
  app.add_option("--port-file", port_file, "write the port listened on to this file once listening");
  std::string web;
  std::string web_port_file;
  app.add_option("--web", web, "HOST:PORT for browsers: the web app's pages and its WebSocket /ws (port 0: a free one)")
      ->group("Web");
  app.add_option("--web-root", options.web_root, "folder of the built web app the pages come from")
      ->capture_default_str()
      ->group("Web");
  app.add_option("--allowed-origin", options.allowed_origins,
                 "an origin (https://host:port) besides the server's own whose pages may open /ws; repeatable")
      ->group("Web");
  app.add_option("--trusted-proxy", options.trusted_proxies,
                 "address of a reverse proxy whose X-Forwarded-For names the real client; repeatable")
      ->group("Web");
  app.add_option("--public-url", options.public_url,
                 "the pages' address as people open it (e.g. https://wargame.example.org/), told to clients")
      ->group("Web");
  app.add_option("--web-port-file", web_port_file, "write the web port to this file once listening")->group("Web");
  app.add_option("--tls-cert", options.tls_cert, "PEM certificate (chain): both listeners speak TLS")->group("Web");
  app.add_option("--tls-key", options.tls_key, "PEM private key of --tls-cert")->group("Web");
  options.db_path = "saves/leadtime.db";
  bool no_db = false;
  app.add_option("--db", options.db_path, "SQLite file games are recorded in and recovered from");
  app.add_flag("--no-db", no_db, "keep games in memory only (nothing survives a restart)");
  app.add_flag("-v,--verbose", verbose, "debug logging");
  // Limits on careless or hostile clients; each refusal names its limit.
  using Ms = std::chrono::milliseconds;
  auto ms_option = [&app](const std::string& name, Ms& value, const std::string& what) {
    return app
        .add_option_function<std::int64_t>(
            name, [&value](std::int64_t v) { value = Ms(v); },
            what + " (default " + std::to_string(value.count()) + ")")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{365} * 24 * 3600 * 1000))
        ->group("Limits");
  };
  app.add_option("--max-connections", options.max_connections, "connections in total")
      ->capture_default_str()
      ->group("Limits");
  app.add_option("--max-connections-per-address", options.max_connections_per_address, "connections from one address")
      ->capture_default_str()
      ->group("Limits");
  app.add_option("--messages-per-second", options.messages_per_second, "sustained messages a second per connection")
      ->capture_default_str()
      ->check(CLI::PositiveNumber)
      ->group("Limits");
  app.add_option("--message-burst", options.message_burst, "messages a connection may send at once")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 1e9))
      ->group("Limits");
  app.add_option("--rate-strikes", options.rate_strikes_to_close, "refused messages before a connection is closed")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000))
      ->group("Limits");
  app.add_option("--max-frame-bytes", options.max_frame, "largest frame a client may send")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30))
      ->group("Limits");
  ms_option("--handshake-timeout-ms", options.handshake_timeout, "from connecting to Hello");
  ms_option("--idle-timeout-ms", options.idle_timeout, "with no complete frame before a connection is closed");
  app.add_option("--max-games", options.max_games, "unfinished games on the server")
      ->capture_default_str()
      ->group("Limits");
  ms_option("--unload-finished-after-ms", options.unload_finished_after,
            "a finished game nobody uses leaves memory after this long (the database keeps it)");
  app.add_option("--max-games-per-facilitator", options.max_games_per_facilitator,
                 "unfinished games created from one address (CreateGame and Branch)")
      ->capture_default_str()
      ->group("Limits");
  app.add_option("--max-message-chars", options.max_message_chars, "characters in one press message")
      ->capture_default_str()
      ->group("Limits");
  app.add_option("--max-orders", options.max_orders_per_submission, "orders in one submission")
      ->capture_default_str()
      ->group("Limits");
  app.add_option("--free-wrong-tokens", options.free_wrong_tokens,
                 "wrong tokens from an address before its Joins slow down")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber)
      ->group("Limits");
  ms_option("--wrong-token-delay-ms", options.wrong_token_delay,
            "first wait between Joins after too many wrong tokens");
  ms_option("--max-wrong-token-delay-ms", options.max_wrong_token_delay, "longest wait between Joins");
  ms_option("--forgive-wrong-tokens-ms", options.forgive_wrong_tokens,
            "quiet time after which an address's wrong tokens are forgotten");
  app.add_option("--max-waiting-joins", options.max_waiting_joins,
                 "Joins from one address waiting their turn after wrong tokens; more are refused")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))
      ->group("Limits");
  app.add_option("--bot-threads", options.bot_threads, "threads bots decide on")
      ->capture_default_str()
      ->check(CLI::Range(1u, 256u));
  app.add_option_function<std::int64_t>(
         "--status-interval-ms", [&options](std::int64_t v) { options.status_interval = Ms(v); },
         "shortest time between two status lines of a game; 0: one after every change (default " +
             std::to_string(options.status_interval.count()) + ")")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{60'000}));
  app.add_option("--status-lines-per-second", options.status_lines_per_second,
                 "status lines a second the server aims to send at most in all; with more members, every game's "
                 "lines go further apart (news at once all the same)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 10'000'000u));
  ms_option("--save-retry-ms", options.save_retry, "after a failed save, how soon a game tries again")
      ->group("Storage");
  std::string save_path;
  std::string game_id;
  auto* replay = app.add_subcommand("replay", "re-run a save file and check every round's state hash");
  replay->add_option("SAVE", save_path, "save file")->required();
  auto* exporter = app.add_subcommand("export", "write a game from the database (--db) to a save file");
  exporter->add_option("GAME", game_id, "game id, e.g. g3")->required();
  exporter->add_option("-o,--output", save_path, "save file to write")->required();
  auto* importer = app.add_subcommand("import", "check a save file by replay and add it to the database (--db)");
  importer->add_option("SAVE", save_path, "save file")->required();
  std::string check_path;
  int check_seeds = 20;
  auto* checker = app.add_subcommand("check", "check a scenario file: errors, warnings, a summary (exit 0, 1 or 2)");
  checker->add_option("FILE", check_path, "scenario file (docs/scenarios.md)")->required();
  checker->add_option("--seeds", check_seeds, "bot matches for the summary (0: none)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (checker->parsed()) return leadtime::run_check_command(check_path, check_seeds, std::cout);
  namespace save = leadtime::server::tools;
  if (replay->parsed()) return save::replay_command(save_path, std::cout, std::cerr);
  if (exporter->parsed()) return save::export_command(options.db_path, game_id, save_path, std::cout, std::cerr);
  if (importer->parsed()) return save::import_command(options.db_path, save_path, std::cout, std::cerr);
  if (verbose) spdlog::set_level(spdlog::level::debug);

  if (!read_host_port("--listen", listen, options.host, options.port)) return 2;
  if (!web.empty()) {
    if (!read_host_port("--web", web, options.web_host, options.web_port)) return 2;
    options.web_enabled = true;
  }

  try {
    if (!open_lobby) options.facilitator_key = load_or_create_key(key_file);
    if (no_db) options.db_path.clear();
    // Tests only (tests/server/faults_test.cpp): every round's bots wait
    // this long before deciding, so a test can kill the server while a
    // round is resolving.
    if (const char* hold = std::getenv("LEADTIME_TESTING_HOLD_BOTS_MS"); hold != nullptr && *hold != '\0') {
      const Ms wait(std::stoll(hold));
      spdlog::warn("LEADTIME_TESTING_HOLD_BOTS_MS: bots wait {} ms before every round (tests only)", wait.count());
      options.testing_before_bots = [wait](const std::string&) { std::this_thread::sleep_for(wait); };
    }
    if (!options.db_path.empty() && std::filesystem::path(options.db_path).has_parent_path()) {
      std::filesystem::create_directories(std::filesystem::path(options.db_path).parent_path());
    }
    fit_descriptor_limit(options);
    asio::io_context io;
    leadtime::server::net::Server server(io, options);
    leadtime::server::web::attach_web_listener(server);
    if (!port_file.empty()) write_port_file(port_file, server.port());
    if (!web_port_file.empty()) write_port_file(web_port_file, server.web_port());
    if (options.web_enabled) announce_pages(server.web_url(""), options.facilitator_key);
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      spdlog::info("signal {}: stopping", signal);
      server.stop();
    });
    server.start();
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& t : pool) t.join();
    spdlog::info("stopped");
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
  return 0;
}

}  // namespace

// What escapes the setting up (before the server runs) is reported too.
int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "leadtime-server: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "leadtime-server: an unknown error\n";
  }
  return 1;
}
