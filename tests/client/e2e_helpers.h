#pragma once

// Driving leadtime-cli against a real leadtime-server on loopback.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "tests/client/process.h"

namespace leadtime::test {

// The client's environment: its saved tokens and history stay in `dir`.
inline std::map<std::string, std::string> client_env(const TempDir& dir) {
  return {{"XDG_DATA_HOME", dir.path.string()}, {"HOME", dir.path.string()}, {"NO_COLOR", "1"}, {"LEADTIME_TOKEN", ""}};
}

// `leadtime-cli connect ADDRESS` followed by `args`.
inline std::vector<std::string> cli(const ServerProcess& server, std::vector<std::string> args) {
  std::vector<std::string> argv = {LEADTIME_CLI_BIN, "connect", server.address(), "--timeout", "30"};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

struct NewGame {
  std::string game_id;
  std::string facilitator;
  std::map<std::string, std::string> seats;  // seat -> token
};

// Creates a game with the facilitator key and starts it, in one run of the
// client; returns the tokens it printed.
inline NewGame create_game(const ServerProcess& server, const TempDir& dir, const std::string& options,
                           bool start = true) {
  const Finished f = run(cli(server, {"--key-file", server.key_file(), "--json", "--exec",
                                      "create " + options + (start ? "; start" : "")}),
                         dir, std::chrono::seconds(120), client_env(dir));
  INFO("stdout: " << f.out << "\nstderr: " << f.err);
  REQUIRE(f.exit_code == 0);
  const nlohmann::json created = first_of(json_lines(f.out), "game_created");
  REQUIRE(created.contains("game_id"));
  NewGame g;
  g.game_id = created["game_id"];
  g.facilitator = created["facilitator_token"];
  for (const auto& [seat, token] : created["seats"].items()) g.seats[seat] = token;
  return g;
}

}  // namespace leadtime::test
