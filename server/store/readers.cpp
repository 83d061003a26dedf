#include "server/store/readers.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace leadtime::server::store {
namespace {

constexpr const char* kGameColumns =
    "id, scenario_path, scenario_source, seed, deadline_s, facilitator_token_hash, observer_token_hash, parent_id, "
    "branch_round, finished, created_ms";

GameRow read_game(sqlite3_stmt* s) {
  GameRow g;
  g.id = sql::column_text(s, 0);
  g.scenario_path = sql::column_text(s, 1);
  g.scenario_source = sql::column_text(s, 2);
  g.seed = sql::column_u64(s, 3);
  g.deadline_s = sqlite3_column_int64(s, 4);
  g.facilitator_token_hash = sql::column_blob(s, 5);
  g.observer_token_hash = sql::column_blob(s, 6);
  g.parent_id = sql::column_text(s, 7);
  g.branch_round = sqlite3_column_int(s, 8);
  g.finished = sqlite3_column_int(s, 9) != 0;
  g.created_ms = sqlite3_column_int64(s, 10);
  return g;
}

JournalEntry read_entry(sqlite3_stmt* s) {
  JournalEntry e;
  e.seq = sql::column_u64(s, 0);
  e.at_ms = sqlite3_column_int64(s, 1);
  e.kind = sql::column_text(s, 2);
  e.seat = sqlite3_column_int(s, 3);
  e.payload = sql::column_text(s, 4);
  return e;
}

RoundRow read_round(sqlite3_stmt* s) {
  RoundRow r;
  r.round = sqlite3_column_int(s, 0);
  r.quarter = sql::column_text(s, 1);
  r.hash = sql::column_u64(s, 2);
  r.snapshot = sql::column_blob(s, 3);
  return r;
}

// A seat row: game_id, seat, bot_path, token_hash.
void add_seat(GameRow& g, sqlite3_stmt* s) {
  const auto seat = static_cast<std::size_t>(sqlite3_column_int(s, 1));
  if (g.bot_paths.size() <= seat) g.bot_paths.resize(seat + 1);
  if (g.seat_token_hashes.size() <= seat) g.seat_token_hashes.resize(seat + 1);
  g.bot_paths[seat] = sql::column_text(s, 2);
  g.seat_token_hashes[seat] = sql::column_blob(s, 3);
}

// Holder: 0 facilitator, 1 observer, 2 a seat (TokenOwner::Holder's order).
constexpr const char* kTokenOwner =
    "SELECT id, 0, -1, finished FROM games WHERE facilitator_token_hash = ?1 "
    "UNION ALL SELECT id, 1, -1, finished FROM games WHERE observer_token_hash = ?1 "
    "UNION ALL SELECT s.game_id, 2, s.seat, g.finished FROM seats s JOIN games g ON g.id = s.game_id "
    "WHERE s.token_hash = ?1 LIMIT 1";

TokenOwner read_token_owner(sqlite3_stmt* s) {
  TokenOwner o;
  o.game_id = sql::column_text(s, 0);
  o.holder = static_cast<TokenOwner::Holder>(sqlite3_column_int(s, 1));
  o.seat = sqlite3_column_int(s, 2);
  o.finished = sqlite3_column_int(s, 3) != 0;
  return o;
}

}  // namespace

struct Readers::Reader {
  sql::Connection db;
  sql::Statement begin, end;
  sql::Statement games_all, games_unfinished, game_by_id;
  sql::Statement seats_all, seats_unfinished, seats_of_game;
  sql::Statement journal, journal_of_kind, rounds;
  sql::Statement game_ids, token_owner, finished_games;
};

// A borrowed reader, returned to the idle list when the query ends.
class Readers::Lease {
 public:
  Lease(const Readers& owner, std::unique_ptr<Reader> reader) : owner_(owner), reader_(std::move(reader)) {}
  ~Lease() {
    const std::scoped_lock lock(owner_.mutex_);
    owner_.idle_.push_back(std::move(reader_));
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  Reader* operator->() const { return reader_.get(); }

  // Steps `stmt` through every row, calling `row` on each; throws on failure.
  template <typename Row>
  void each(sqlite3_stmt* stmt, Row row) const {
    const sql::ResetOnExit reset(stmt);
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) row(stmt);
    if (rc != SQLITE_DONE) fail();
  }
  void run(sqlite3_stmt* stmt) const {
    each(stmt, [](sqlite3_stmt*) {});
  }
  // Runs `queries` in one read transaction, so they see one snapshot.
  template <typename Queries>
  void in_transaction(Queries queries) const {
    run(reader_->begin.get());
    try {
      queries();
    } catch (...) {
      sqlite3_step(reader_->end.get());
      sqlite3_reset(reader_->end.get());
      throw;
    }
    run(reader_->end.get());
  }
  [[noreturn]] void fail() const { throw std::runtime_error(sql::error_text(owner_.path_, reader_->db.get())); }

 private:
  const Readers& owner_;
  std::unique_ptr<Reader> reader_;
};

Readers::Readers(std::string path) : path_(std::move(path)) {}
Readers::~Readers() = default;

std::unique_ptr<Readers::Reader> Readers::open_reader() const {
  auto reader = std::make_unique<Reader>();
  if (auto error = sql::open(path_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, reader->db)) {
    throw std::runtime_error(*error);
  }
  sqlite3_busy_timeout(reader->db.get(), 5000);
  const std::string games = std::string("SELECT ") + kGameColumns + " FROM games";
  constexpr const char* kSeats = "SELECT s.game_id, s.seat, s.bot_path, s.token_hash FROM seats s";
  const std::pair<sql::Statement*, std::string> statements[] = {
      {&reader->begin, "BEGIN"},
      {&reader->end, "COMMIT"},
      {&reader->games_all, games + " ORDER BY created_ms, id"},
      {&reader->games_unfinished, games + " WHERE finished = 0 ORDER BY created_ms, id"},
      {&reader->game_by_id, games + " WHERE id = ?"},
      {&reader->seats_all, std::string(kSeats)},
      {&reader->seats_unfinished, std::string(kSeats) + " JOIN games g ON g.id = s.game_id WHERE g.finished = 0"},
      {&reader->seats_of_game, std::string(kSeats) + " WHERE s.game_id = ? ORDER BY s.seat"},
      {&reader->journal, "SELECT seq, at_ms, kind, seat, payload FROM journal WHERE game_id = ? ORDER BY seq"},
      {&reader->journal_of_kind,
       "SELECT seq, at_ms, kind, seat, payload FROM journal WHERE game_id = ? AND kind = ? ORDER BY seq"},
      {&reader->rounds, "SELECT round, quarter, hash, snapshot FROM rounds WHERE game_id = ? ORDER BY round"},
      {&reader->game_ids, "SELECT id FROM games ORDER BY created_ms, id"},
      {&reader->token_owner, kTokenOwner},
      {&reader->finished_games,
       "SELECT id, summary FROM games WHERE finished = 1 ORDER BY created_ms DESC, id DESC LIMIT ?"},
  };
  for (const auto& [statement, text] : statements) {
    if (auto error = sql::prepare(reader->db.get(), path_, text, *statement)) throw std::runtime_error(*error);
  }
  return reader;
}

Readers::Lease Readers::lease() const {
  {
    const std::scoped_lock lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<Reader> reader = std::move(idle_.back());
      idle_.pop_back();
      return {*this, std::move(reader)};
    }
  }
  return {*this, open_reader()};
}

std::vector<GameRow> Readers::games(bool unfinished_only) const {
  const Lease r = lease();
  std::vector<GameRow> out;
  std::map<std::string, std::size_t, std::less<>> index;
  // Games and seats come from one read transaction, so they agree.
  r.in_transaction([&] {
    r.each((unfinished_only ? r->games_unfinished : r->games_all).get(), [&](sqlite3_stmt* s) {
      index.emplace(sql::column_text(s, 0), out.size());
      out.push_back(read_game(s));
    });
    r.each((unfinished_only ? r->seats_unfinished : r->seats_all).get(), [&](sqlite3_stmt* s) {
      const auto* id = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
      auto found = index.find(std::string_view(id != nullptr ? id : ""));
      if (found != index.end()) add_seat(out[found->second], s);
    });
  });
  return out;
}

std::optional<GameRow> Readers::game(const std::string& id) const {
  const Lease r = lease();
  std::optional<GameRow> out;
  r.in_transaction([&] {
    sql::bind_text(r->game_by_id.get(), 1, id);
    r.each(r->game_by_id.get(), [&](sqlite3_stmt* s) { out = read_game(s); });
    sql::bind_text(r->seats_of_game.get(), 1, id);
    r.each(r->seats_of_game.get(), [&](sqlite3_stmt* s) {
      if (out) add_seat(*out, s);
    });
  });
  return out;
}

std::vector<JournalEntry> Readers::journal(const std::string& game_id) const {
  const Lease r = lease();
  std::vector<JournalEntry> out;
  sql::bind_text(r->journal.get(), 1, game_id);
  r.each(r->journal.get(), [&](sqlite3_stmt* s) { out.push_back(read_entry(s)); });
  return out;
}

std::vector<JournalEntry> Readers::journal_of_kind(const std::string& game_id, const std::string& kind) const {
  const Lease r = lease();
  std::vector<JournalEntry> out;
  sql::bind_text(r->journal_of_kind.get(), 1, game_id);
  sql::bind_text(r->journal_of_kind.get(), 2, kind);
  r.each(r->journal_of_kind.get(), [&](sqlite3_stmt* s) { out.push_back(read_entry(s)); });
  return out;
}

std::vector<RoundRow> Readers::rounds(const std::string& game_id) const {
  const Lease r = lease();
  std::vector<RoundRow> out;
  sql::bind_text(r->rounds.get(), 1, game_id);
  r.each(r->rounds.get(), [&](sqlite3_stmt* s) { out.push_back(read_round(s)); });
  return out;
}

std::vector<std::string> Readers::game_ids() const {
  const Lease r = lease();
  std::vector<std::string> out;
  r.each(r->game_ids.get(), [&](sqlite3_stmt* s) { out.push_back(sql::column_text(s, 0)); });
  return out;
}

std::optional<TokenOwner> Readers::token_owner(std::span<const std::uint8_t> token_hash) const {
  const Lease r = lease();
  std::optional<TokenOwner> out;
  sql::bind_blob(r->token_owner.get(), 1, token_hash);
  r.each(r->token_owner.get(), [&](sqlite3_stmt* s) { out = read_token_owner(s); });
  return out;
}

std::vector<FinishedGame> Readers::finished_games(std::size_t limit) const {
  const Lease r = lease();
  std::vector<FinishedGame> out;
  sqlite3_bind_int64(r->finished_games.get(), 1, static_cast<sqlite3_int64>(limit));
  r.each(r->finished_games.get(), [&](sqlite3_stmt* s) {
    out.push_back({sql::column_text(s, 0), sql::column_text(s, 1)});
  });
  return out;
}

std::optional<std::string> Readers::check_whole() const {
  const Lease r = lease();
  std::string verdict;
  if (auto error = sql::query_text(r->db.get(), path_, "PRAGMA quick_check(1)", verdict)) return error;
  if (verdict == "ok") return std::nullopt;
  // quick_check heads its report "*** in database main ***" and a newline.
  constexpr std::string_view kHeading = "*** in database main ***\n";
  if (verdict.starts_with(kHeading)) verdict.erase(0, kHeading.size());
  std::replace(verdict.begin(), verdict.end(), '\n', ' ');
  return path_ + ": the database is damaged (" + verdict + ")";
}

}  // namespace leadtime::server::store
