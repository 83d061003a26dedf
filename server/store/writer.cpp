#include "server/store/writer.h"

#include <algorithm>
#include <limits>

namespace leadtime::server::store {
namespace {

// Errors caused by one item's own data; the transaction itself is intact.
bool is_item_error(int rc) {
  const int primary = rc & 0xff;
  return primary == SQLITE_CONSTRAINT || primary == SQLITE_MISMATCH || primary == SQLITE_TOOBIG ||
         primary == SQLITE_RANGE;
}

bool needs_database(const Queued& item) { return !std::holds_alternative<Marker>(item.work); }

}  // namespace

std::variant<std::unique_ptr<BatchWriter>, std::string> BatchWriter::create(sqlite3* db, const std::string& path) {
  std::unique_ptr<BatchWriter> writer(new BatchWriter(db, path));
  if (auto error = writer->prepare_all()) return *error;
  return writer;
}

std::optional<std::string> BatchWriter::prepare_all() {
  const std::pair<sql::Statement*, const char*> statements[] = {
      {&begin_, "BEGIN IMMEDIATE"},
      {&commit_, "COMMIT"},
      {&rollback_, "ROLLBACK"},
      {&savepoint_, "SAVEPOINT item"},
      {&release_, "RELEASE item"},
      {&rollback_to_, "ROLLBACK TO item"},
      {&insert_game_,
       "INSERT INTO games (id, scenario_path, scenario_source, seed, deadline_s, facilitator_token_hash, "
       "observer_token_hash, parent_id, branch_round, finished, created_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?)"},
      {&insert_seat_, "INSERT INTO seats (game_id, seat, bot_path, token_hash) VALUES (?,?,?,?)"},
      {&insert_entry_, "INSERT INTO journal (game_id, seq, at_ms, kind, seat, payload) VALUES (?,?,?,?,?,?)"},
      {&upsert_round_,
       "INSERT INTO rounds (game_id, round, quarter, hash, snapshot) VALUES (?,?,?,?,?) "
       "ON CONFLICT (game_id, round) DO UPDATE SET quarter = excluded.quarter, hash = excluded.hash, "
       "snapshot = excluded.snapshot"},
      {&set_finished_, "UPDATE games SET finished = ?, summary = ? WHERE id = ?"},
      {&last_seq_, "SELECT COALESCE(MAX(seq), 0) FROM journal WHERE game_id = ?"},
  };
  for (const auto& [statement, text] : statements) {
    if (auto error = sql::prepare(db_, path_, text, *statement)) return error;
  }
  return std::nullopt;
}

BatchWriter::Step BatchWriter::run(sqlite3_stmt* stmt, const std::string& game_id) {
  const int rc = sqlite3_step(stmt);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return std::nullopt;
  }
  Failure failure;
  const int code = sqlite3_extended_errcode(db_);
  if (code == SQLITE_CONSTRAINT_FOREIGNKEY) {
    failure.message = path_ + ": no game '" + game_id + "'";
  } else if (!game_id.empty() && is_item_error(code)) {
    failure.message = path_ + ": game '" + game_id + "': " + sqlite3_errmsg(db_);
  } else {
    failure.message = sql::error_text(path_, db_);
  }
  // SQLite may already have rolled the whole transaction back (it does for
  // some I/O and memory errors); then nothing is left to save.
  failure.whole_transaction = !is_item_error(code) || sqlite3_get_autocommit(db_) != 0;
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  return failure;
}

BatchWriter::Step BatchWriter::apply(const Work& work) {
  return std::visit([this](const auto& w) { return this->apply(w); }, work);
}

BatchWriter::Step BatchWriter::apply(const CreateGame& create) {
  const GameRow& g = create.game;
  sqlite3_stmt* s = insert_game_.get();
  sql::bind_text(s, 1, g.id);
  sql::bind_text(s, 2, g.scenario_path);
  sql::bind_text(s, 3, g.scenario_source);
  sql::bind_u64(s, 4, g.seed);
  sqlite3_bind_int64(s, 5, g.deadline_s);
  sql::bind_blob(s, 6, g.facilitator_token_hash);
  sql::bind_blob(s, 7, g.observer_token_hash);
  sql::bind_text(s, 8, g.parent_id);
  sqlite3_bind_int(s, 9, g.branch_round);
  sqlite3_bind_int(s, 10, g.finished ? 1 : 0);
  sqlite3_bind_int64(s, 11, g.created_ms);
  if (auto failure = run(s, g.id)) return failure;

  const std::size_t seats = std::max(g.bot_paths.size(), g.seat_token_hashes.size());
  for (std::size_t seat = 0; seat < seats; ++seat) {
    s = insert_seat_.get();
    sql::bind_text(s, 1, g.id);
    sqlite3_bind_int(s, 2, static_cast<int>(seat));
    sql::bind_text(s, 3, seat < g.bot_paths.size() ? std::string_view(g.bot_paths[seat]) : std::string_view());
    sql::bind_blob(s, 4,
                   seat < g.seat_token_hashes.size() ? std::span<const std::uint8_t>(g.seat_token_hashes[seat])
                                                     : std::span<const std::uint8_t>());
    if (auto failure = run(s, g.id)) return failure;
  }
  return std::nullopt;
}

// An append that must follow a given entry is refused alone when the
// game's journal ends elsewhere: after an earlier append of the same writer
// failed, a later one must not commit and leave a hole.
BatchWriter::Step BatchWriter::check_chain(const Append& append) {
  if (!append.chain.after_seq) return std::nullopt;
  sqlite3_stmt* s = last_seq_.get();
  sql::bind_text(s, 1, append.game_id);
  const int rc = sqlite3_step(s);
  const std::uint64_t last = rc == SQLITE_ROW ? sql::column_u64(s, 0) : 0;
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  if (rc != SQLITE_ROW) return Failure{sql::error_text(path_, db_), true};
  if (last == *append.chain.after_seq) return std::nullopt;
  return Failure{path_ + ": game '" + append.game_id + "': these journal entries follow entry " +
                     std::to_string(*append.chain.after_seq) + " but the journal ends at entry " +
                     std::to_string(last) + " (an earlier write failed)",
                 false};
}

BatchWriter::Step BatchWriter::apply(const Append& append) {
  if (auto failure = check_chain(append)) return failure;
  for (const JournalEntry& e : append.entries) {
    // Stored as a signed integer: a larger seq would sort before seq 1.
    if (e.seq > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return Failure{
          path_ + ": game '" + append.game_id + "': journal seq " + std::to_string(e.seq) + " is above 2^63 - 1",
          false};
    }
    sqlite3_stmt* s = insert_entry_.get();
    sql::bind_text(s, 1, append.game_id);
    sql::bind_u64(s, 2, e.seq);
    sqlite3_bind_int64(s, 3, e.at_ms);
    sql::bind_text(s, 4, e.kind);
    sqlite3_bind_int(s, 5, e.seat);
    sql::bind_text(s, 6, e.payload);
    if (auto failure = run(s, append.game_id)) return failure;
  }
  for (const RoundRow& r : append.rounds) {
    sqlite3_stmt* s = upsert_round_.get();
    sql::bind_text(s, 1, append.game_id);
    sqlite3_bind_int(s, 2, r.round);
    sql::bind_text(s, 3, r.quarter);
    sql::bind_u64(s, 4, r.hash);
    sql::bind_blob(s, 5, r.snapshot);
    if (auto failure = run(s, append.game_id)) return failure;
  }
  if (append.chain.finished) return apply(SetFinished{append.game_id, *append.chain.finished, append.chain.summary});
  return std::nullopt;
}

BatchWriter::Step BatchWriter::apply(const SetFinished& set) {
  sqlite3_stmt* s = set_finished_.get();
  sqlite3_bind_int(s, 1, set.finished ? 1 : 0);
  sql::bind_text(s, 2, set.summary);
  sql::bind_text(s, 3, set.game_id);
  if (auto failure = run(s, set.game_id)) return failure;
  if (sqlite3_changes(db_) == 0) return Failure{path_ + ": no game '" + set.game_id + "'", false};
  return std::nullopt;
}

// Runs one item inside its own savepoint, so a refused item leaves no trace
// and the batch's other items still commit.
BatchWriter::Step BatchWriter::apply_isolated(const Work& work) {
  if (auto failure = run(savepoint_.get())) return failure;
  Step refused = apply(work);
  if (refused && refused->whole_transaction) return refused;
  if (refused) {
    if (auto failure = run(rollback_to_.get())) return failure;
  }
  if (auto failure = run(release_.get())) return failure;
  return refused;
}

void BatchWriter::abandon(std::span<const Queued> batch, std::vector<Outcome>& outcomes, const std::string& message) {
  if (sqlite3_get_autocommit(db_) == 0) {
    sqlite3_step(rollback_.get());
    sqlite3_reset(rollback_.get());
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (needs_database(batch[i]) && !outcomes[i]) outcomes[i] = message;
  }
}

std::vector<Outcome> BatchWriter::commit(std::span<const Queued> batch, std::size_t& committed) {
  committed = 0;
  std::vector<Outcome> outcomes(batch.size());
  if (std::none_of(batch.begin(), batch.end(), needs_database)) return outcomes;

  if (auto failure = run(begin_.get())) {
    abandon(batch, outcomes, failure->message);
    return outcomes;
  }
  std::size_t applied = 0;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!needs_database(batch[i])) continue;
    Step failure = apply_isolated(batch[i].work);
    if (failure && failure->whole_transaction) {
      abandon(batch, outcomes, failure->message);
      return outcomes;
    }
    if (failure) {
      outcomes[i] = failure->message;
    } else {
      ++applied;
    }
  }
  if (auto failure = run(commit_.get())) {
    abandon(batch, outcomes, failure->message);
    return outcomes;
  }
  committed = applied;
  return outcomes;
}

}  // namespace leadtime::server::store
