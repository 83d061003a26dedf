#pragma once

// What 'create' and 'branch' take after the command: a scenario, seed=,
// deadline=, people=, bot=, and where the handouts go (handouts=, address=).
// Read here, apart from the session, so each mistake gets its sentence.
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace leadtime::cli {

// Where a new game's token files and handouts go, and the server address
// they give; empty: the defaults (beside the saved tokens; the address the
// client connected to).
struct HandoutPlace {
  std::string dir;
  std::string address;  // HOST:PORT
};

struct CreateOptions {
  std::string scenario;  // "" the server's default
  std::uint64_t seed = 0;
  std::uint32_t deadline_s = 0;
  std::vector<std::string> people;                        // {"all"} until the scenario's seats replace it
  std::vector<std::pair<std::string, std::string>> bots;  // seat, bot path
  HandoutPlace place;
};

std::variant<CreateOptions, std::string> parse_create(const std::vector<std::string>& args);

// 'branch ROUND [handouts=DIR] [address=HOST:PORT]'.
struct BranchOptions {
  int round = 0;
  HandoutPlace place;
};
std::variant<BranchOptions, std::string> parse_branch(const std::vector<std::string>& args);

}  // namespace leadtime::cli
