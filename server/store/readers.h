#pragma once

// Read-only connections for the store's queries. A query borrows an idle
// connection (opening one when none is idle) and gives it back, so readers
// on many threads run at once and never wait for the writer (WAL).
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/store/sqlite_util.h"
#include "server/store/store.h"

namespace leadtime::server::store {

class Readers {
 public:
  explicit Readers(std::string path);
  ~Readers();
  Readers(const Readers&) = delete;
  Readers& operator=(const Readers&) = delete;

  // Each throws std::runtime_error naming the file when SQLite fails (an I/O
  // error, a database damaged while open): that is not an expected outcome.
  std::vector<GameRow> games(bool unfinished_only) const;
  std::optional<GameRow> game(const std::string& id) const;
  std::vector<JournalEntry> journal(const std::string& game_id) const;
  std::vector<JournalEntry> journal_of_kind(const std::string& game_id, const std::string& kind) const;
  std::vector<RoundRow> rounds(const std::string& game_id) const;
  std::vector<std::string> game_ids() const;
  std::optional<TokenOwner> token_owner(std::span<const std::uint8_t> token_hash) const;
  std::vector<FinishedGame> finished_games(std::size_t limit) const;
  // PRAGMA quick_check over the whole file: empty if sound.
  std::optional<std::string> check_whole() const;

 private:
  struct Reader;
  class Lease;

  Lease lease() const;
  std::unique_ptr<Reader> open_reader() const;

  std::string path_;
  mutable std::mutex mutex_;
  mutable std::vector<std::unique_ptr<Reader>> idle_;
};

}  // namespace leadtime::server::store
