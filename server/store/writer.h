#pragma once

// Commits a batch of queued work in one transaction on the writer
// connection: the group commit that lets many clients share one fsync.
#include <sqlite3.h>

#include <span>
#include <string>
#include <vector>

#include "server/store/sqlite_util.h"
#include "server/store/work.h"

namespace leadtime::server::store {

class BatchWriter {
 public:
  // Prepares the writer's statements on `db`, which must outlive this.
  static std::variant<std::unique_ptr<BatchWriter>, std::string> create(sqlite3* db, const std::string& path);

  // One outcome per item. An item whose own data is refused (a duplicate
  // sequence number, an unknown game) is undone alone through a savepoint and
  // the rest commit; any other failure (disk full, I/O error, read-only)
  // rolls the whole transaction back and every item gets that error.
  // `committed` counts the items now durable.
  std::vector<Outcome> commit(std::span<const Queued> batch, std::size_t& committed);

 private:
  struct Failure {
    std::string message;
    bool whole_transaction = false;
  };
  using Step = std::optional<Failure>;

  BatchWriter(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  std::optional<std::string> prepare_all();

  Step run(sqlite3_stmt* stmt, const std::string& game_id = {});
  Step apply(const Work& work);
  Step apply(const CreateGame& create);
  Step apply(const Append& append);
  Step apply(const SetFinished& set);
  Step check_chain(const Append& append);
  static Step apply(const Marker&) { return std::nullopt; }
  Step apply_isolated(const Work& work);
  void abandon(std::span<const Queued> batch, std::vector<Outcome>& outcomes, const std::string& message);

  sqlite3* db_;
  std::string path_;
  sql::Statement begin_, commit_, rollback_, savepoint_, release_, rollback_to_;
  sql::Statement insert_game_, insert_seat_, insert_entry_, upsert_round_, set_finished_, last_seq_;
};

}  // namespace leadtime::server::store
