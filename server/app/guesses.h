#pragma once

// Slows down token guessing from one address. Tokens are 128 random bits, so
// guessing is hopeless anyway; this keeps a guesser from costing the server
// much and shows up in the log. The cost falls on the guesser's address, and
// an exercise room often shares one (a NAT), so it is kept from locking the
// room out:
//   - only a *new* wrong token counts: a client retrying a token it saved
//     (a game that ended, a server that forgot its games) teaches nothing;
//   - Joins that wait their turn are capped per address, so a guesser with
//     many connections makes the others retry, never wait for an hour.
// Tokens of games that ended are not wrong at all (Server::ended_game_of).
#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "server/game_names.h"

namespace leadtime::server::app {

class GuessThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  using Ms = std::chrono::milliseconds;

  struct Options {
    int free_wrong_tokens = 3;  // cost nothing
    Ms wrong_token_delay{100};  // after the free ones, doubling per new wrong token
    Ms max_wrong_token_delay{5000};
    Ms forgive_wrong_tokens{15 * 60'000};  // quiet time after which an address starts afresh
    std::size_t max_waiting_joins = 8;     // per address
  };

  explicit GuessThrottle(Options options) : options_(options) {}

  // Counts `token` as wrong from `address` (once, however often it is
  // repeated) and returns the wait before the address's next Join.
  Ms note_wrong(const std::string& address, const TokenHash& token, Clock::time_point now);

  // When a Join from `address` may be looked at: `now`, unless the address
  // guessed wrong too often; then its Joins take turns a wait apart. A
  // refusal (the text says why) when max_waiting_joins already wait.
  std::variant<Clock::time_point, std::string> turn(const std::string& address, Clock::time_point now);

 private:
  // The last few distinct wrong tokens are remembered, so a repeat is known.
  static constexpr std::size_t kRemembered = 8;
  // Many addresses guessing must not grow the table without end.
  static constexpr std::size_t kMaxAddresses = 65536;

  struct Record {
    int count = 0;                  // distinct wrong tokens
    Clock::time_point last;         // the last wrong token
    Clock::time_point next_turn;    // the next Join looked at
    std::vector<TokenHash> recent;  // up to kRemembered, oldest first
  };

  [[nodiscard]] Ms wait_after(int count) const;
  [[nodiscard]] bool forgiven(const Record& r, Clock::time_point now) const;
  Record& record_for(const std::string& address, Clock::time_point now);

  Options options_;
  std::mutex mutex_;
  std::map<std::string, Record> records_;
};

}  // namespace leadtime::server::app
