#pragma once

// The game store: one SQLite database (WAL) holding every game the server
// hosts, as a journal of the changes that made it (event sourcing: a game
// is rebuilt by replaying its journal through the same Game methods that
// made it) plus, for each resolved round, its hash and a snapshot for
// reports and checks. Writes are group-committed on the store's own thread:
// callers queue work with a callback that runs once the work is durable
// (or failed), so many clients share one fsync.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace leadtime::server::store {

// One change of one game, in the game's order. `payload` is a JSON object
// whose fields depend on `kind` (game/journal.cpp reads and writes them).
struct JournalEntry {
  std::uint64_t seq = 0;
  std::int64_t at_ms = 0;  // wall clock, ms since the Unix epoch
  std::string kind;
  int seat = -1;
  std::string payload;
};

// A resolved round, for reports and replay checks; the game itself is
// rebuilt from the journal.
struct RoundRow {
  int round = 0;  // 1-based
  std::string quarter;
  std::uint64_t hash = 0;
  std::vector<std::uint8_t> snapshot;  // a FlatBuffer (protocol/snapshot)
};

// The seats are max(bot_paths, seat_token_hashes) in number; a shorter list
// is padded ("" / an empty hash) and reads back at that length.
struct GameRow {
  std::string id;
  std::string scenario_path;
  std::string scenario_source;  // the scenario file's text, so a game outlives edits to it
  std::uint64_t seed = 0;
  std::int64_t deadline_s = 0;
  std::vector<std::string> bot_paths;                        // per seat; "" = a person's seat
  std::vector<std::uint8_t> facilitator_token_hash;          // 32 bytes
  std::vector<std::uint8_t> observer_token_hash;             // 32 bytes
  std::vector<std::vector<std::uint8_t>> seat_token_hashes;  // per seat, 32 bytes each
  std::string parent_id;                                     // a branch's parent game, or ""
  int branch_round = -1;                                     // rounds kept from the parent
  bool finished = false;
  std::int64_t created_ms = 0;
};

struct FinishedGame {
  std::string id;
  std::string summary;
};

// Who holds a token: the facilitator, the observer or one seat's players.
struct TokenOwner {
  std::string game_id;
  enum class Holder { Facilitator, Observer, Seat } holder = Holder::Seat;
  int seat = -1;  // for Holder::Seat
  bool finished = false;
};

// Empty on success; otherwise what failed, in a sentence that names the
// file and the cause ("saves/leadtime.db: database or disk is full").
using Outcome = std::optional<std::string>;
using Done = std::function<void(const Outcome&)>;

class Store {
 public:
  static constexpr int kSchemaVersion = 3;

  // Opens (creating it and its directory if missing) the database, sets WAL
  // mode and full synchronous commits, and applies any migrations up to
  // kSchemaVersion. The error names the file and what is wrong: not a
  // database, damaged (shorter than its header says, or a damaged schema),
  // read-only, another program's database, from a newer Leadtime (both
  // schema versions named). Damage deeper in the file shows when that part
  // is read (a read throws) or through check_whole().
  static std::variant<std::unique_ptr<Store>, std::string> open(const std::string& path);
  ~Store();  // finishes every queued write first

  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Queued, group-committed writes. `done` runs on the store's thread after
  // the transaction holding this work committed (or failed: then nothing of
  // that transaction is in the database, never half of it). A call whose own
  // data is refused (an unknown game, a game id or journal seq already
  // stored) fails alone, with the game named, and the rest of its batch
  // commits. `done` must not throw, and must not call flush() or destroy the
  // store (it runs on the thread those wait for); queuing more work is fine.
  void create_game(GameRow game, Done done);
  // A round already stored (one resolved again after a rollback) is
  // replaced; journal entries are only ever added.
  void append(std::string game_id, std::vector<JournalEntry> entries, std::vector<RoundRow> rounds, Done done);
  // What an append may also ask, in the same transaction.
  struct Chain {
    // The entries must follow this seq: the game's last stored entry has
    // exactly this seq (0: the game has none yet), or the append is refused
    // alone. A writer whose earlier append failed is thereby stopped from
    // leaving a hole in the journal with a later one.
    std::optional<std::uint64_t> after_seq;
    // Sets the game's finished flag with the entries that finish it.
    std::optional<bool> finished;
    // With finished: the game's last status line as summary_json writes it,
    // for the facilitators' list once the game leaves memory.
    std::string summary;
  };
  void append(std::string game_id, std::vector<JournalEntry> entries, std::vector<RoundRow> rounds, Chain chain,
              Done done);
  void set_finished(std::string game_id, bool finished, Done done);
  // Blocks until everything queued before the call is committed or failed
  // and its `done` has run.
  void flush();

  // Reads (any thread, concurrently; they see committed data). They throw
  // std::runtime_error naming the file if SQLite fails (an I/O error, a file
  // damaged while open), which an open store does not otherwise do.
  [[nodiscard]] std::vector<GameRow> games(bool unfinished_only) const;  // oldest first
  [[nodiscard]] std::optional<GameRow> game(const std::string& id) const;
  [[nodiscard]] std::vector<JournalEntry> journal(const std::string& game_id) const;  // by seq
  // One kind of entry (the messages, say), by seq, through an index.
  [[nodiscard]] std::vector<JournalEntry> journal_of_kind(const std::string& game_id, const std::string& kind) const;
  [[nodiscard]] std::vector<RoundRow> rounds(const std::string& game_id) const;  // by round
  // Every game's id, oldest first (a server numbers its next game after them).
  [[nodiscard]] std::vector<std::string> game_ids() const;
  // The game a token's hash opens, and whom it makes its holder, through
  // the token indexes; nothing for a hash no game has.
  [[nodiscard]] std::optional<TokenOwner> token_owner(std::span<const std::uint8_t> token_hash) const;
  // The newest `limit` finished games, newest first, with the status line
  // each was stored with ("" for a game finished before schema version 3).
  [[nodiscard]] std::vector<FinishedGame> finished_games(std::size_t limit) const;

  // Reads every page (PRAGMA quick_check; about 0.3 s per 100 MB cached, far
  // longer from a cold disk): empty if the file is sound, else what is
  // damaged. For an operator's check or a backup, not for every start.
  [[nodiscard]] Outcome check_whole() const;

  [[nodiscard]] const std::string& path() const;

  // How many transactions and queued items were committed so far (flush()
  // markers and failed items not counted).
  struct Stats {
    std::uint64_t transactions = 0;
    std::uint64_t items = 0;
  };
  [[nodiscard]] Stats stats() const;

 private:
  friend struct StoreTesting;  // server/store/store_testing.h
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadtime::server::store
