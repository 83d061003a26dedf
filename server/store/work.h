#pragma once

// What callers queue for the store's writer thread.
#include <variant>
#include <vector>

#include "server/store/store.h"

namespace leadtime::server::store {

struct CreateGame {
  GameRow game;
};

struct Append {
  std::string game_id;
  std::vector<JournalEntry> entries;
  std::vector<RoundRow> rounds;
  Store::Chain chain;
};

struct SetFinished {
  std::string game_id;
  bool finished = false;
  std::string summary;  // Store::Chain::summary
};

// No database work: flush() queues one and waits for its callback.
struct Marker {};

using Work = std::variant<CreateGame, Append, SetFinished, Marker>;

struct Queued {
  Work work;
  Done done;
};

}  // namespace leadtime::server::store
