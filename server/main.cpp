// leadtime-server: serves games over TCP (see protocol/README.md).
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <asio.hpp>
#include <exception>
#include <string>
#include <thread>
#include <vector>

#include "server/net/server.h"

int main(int argc, char** argv) {
  CLI::App app{"Leadtime game server"};
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
  app.add_flag("-v,--verbose", verbose, "debug logging");
  CLI11_PARSE(app, argc, argv);
  if (verbose) spdlog::set_level(spdlog::level::debug);

  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    spdlog::error("--listen '{}': expected HOST:PORT", listen);
    return 2;
  }
  options.host = listen.substr(0, colon);
  try {
    const int port = std::stoi(listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    options.port = static_cast<std::uint16_t>(port);
  } catch (const std::exception&) {
    spdlog::error("--listen '{}': the port must be a number from 0 to 65535", listen);
    return 2;
  }

  try {
    asio::io_context io;
    leadtime::server::net::Server server(io, options);
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const asio::error_code& ec, int signal) {
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
