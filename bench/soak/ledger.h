#pragma once

// What the server acknowledged to the soak's clients, and the check of it
// against the journal in the server's SQLite file (opened read-only, after
// the server stopped). An acknowledgement is the server's promise that the
// change is durable (protocol/README.md: OrdersAccepted and Ack are sent
// once the change is stored), so every one must be in the journal, whether
// the server stopped cleanly or was killed.
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace leadtime::bench::soak {

// One acknowledged change, with what identifies it in the journal.
struct Acked {
  enum class Kind { Orders, Press, Ready, Extend, Force, Start };
  Kind kind = Kind::Orders;
  std::string game_id;
  int seat = -1;       // actor index; -1 for the facilitator
  std::string member;  // Orders: the member name the seat joined with
  // Orders: the accepted orders as the server journals them
  // ([{"action": name, "args": [numbers]}]); Press: the text.
  nlohmann::json content;
  int phase = 0;
};

const char* kind_name(Acked::Kind kind);

class Ledger {
 public:
  void add(Acked acked) { entries_.push_back(std::move(acked)); }
  // A GameCreated answer: the game's row must be in the store.
  void add_game(const std::string& game_id) { games_.push_back(game_id); }
  [[nodiscard]] const std::vector<Acked>& entries() const { return entries_; }
  [[nodiscard]] const std::vector<std::string>& games() const { return games_; }
  void append(const Ledger& other);

 private:
  std::vector<Acked> entries_;
  std::vector<std::string> games_;
};

struct KindCheck {
  int acked = 0;
  int lost = 0;
};

// The ledger against the journal at one moment ("after SIGTERM", ...).
struct JournalCheck {
  std::string when;
  std::string error;  // the database could not be read: nothing was checked
  std::int64_t journal_rows = 0;
  std::int64_t game_rows = 0;
  double read_ms = 0;
  std::map<std::string, KindCheck> by_kind;  // "orders", "press", "ready", "extend", "force", "start", "games"
  std::vector<std::string> lost_examples;    // a few, named by game, seat and member

  [[nodiscard]] int lost_orders() const;
  [[nodiscard]] int lost_total() const;
};

// Opens `db_path` read-only (SQLite reads a WAL a killed writer left behind)
// and looks for every acknowledgement in it: orders and press exactly (a
// submission carries a value unique to it, press a unique text), ready flags
// and facilitator commands by count per game and seat.
JournalCheck check_journal(const Ledger& ledger, const std::string& db_path, std::string when);

// Which of `ids` the database marks finished (read-only; the server may be
// running). Empty if it cannot be read.
std::set<std::string> finished_games(const std::string& db_path, const std::vector<std::string>& ids);

}  // namespace leadtime::bench::soak
