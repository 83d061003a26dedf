#include "server/store/store.h"

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <mutex>
#include <system_error>
#include <thread>

#include "server/store/readers.h"
#include "server/store/schema.h"
#include "server/store/sqlite_util.h"
#include "server/store/store_testing.h"
#include "server/store/work.h"
#include "server/store/writer.h"

namespace leadtime::server::store {
namespace {

// SQLite creates the file but not its directory (saves/ on a first run).
Outcome make_parent_directory(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return std::nullopt;
  std::error_code error;
  std::filesystem::create_directories(parent, error);
  if (error) return path + ": cannot create the directory " + parent.string() + ": " + error.message();
  return std::nullopt;
}

constexpr const char* kCheckAccess = " (check that this user may write the file and its directory)";

Outcome refuse_read_only(sqlite3* db, const std::string& path) {
  // SQLite quietly opens a file it may not write read-only; every write
  // would then fail, so say so now.
  if (sqlite3_db_readonly(db, "main") == 1) return path + ": the file is read-only" + kCheckAccess;
  return std::nullopt;
}

Outcome set_durable_wal(sqlite3* db, const std::string& path) {
  std::string mode;
  if (auto error = sql::query_text(db, path, "PRAGMA journal_mode = WAL", mode)) return error;
  if (mode != "wal") {
    return path + ": cannot use write-ahead logging (journal mode stays '" + mode + "'); is the directory writable?";
  }
  // FULL: in WAL mode NORMAL may lose the last commits on power loss, and a
  // commit is an acknowledgement to a player. An 8 MiB page cache (the
  // default is 2 MiB) holds a large batch without spilling pages to the WAL
  // before its commit; a larger one costs every commit more, as SQLite
  // scans its cache's hash table when it ends a transaction (a fifth of the
  // writer's time at 64 MiB with 1,000 games playing, issue #21).
  return sql::exec(db, path, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -8192");
}

Outcome check_schema_now(sqlite3* db, const std::string& path) { return check_schema(db, path, Store::kSchemaVersion); }

Outcome open_and_prepare(const std::string& path, sql::Connection& db) {
  if (auto error = sql::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, db)) {
    return error;
  }
  // Another process holding the write lock briefly (a backup, the sqlite3
  // shell) makes us wait rather than fail.
  sqlite3_busy_timeout(db.get(), 5000);
  // No whole-file check here: it reads every page, and a restart must not
  // cost time in proportion to every game ever played. SQLite itself refuses
  // a file that is not a database or is shorter than its header says.
  for (auto step : {refuse_read_only, check_schema_now, set_durable_wal}) {
    if (auto error = step(db.get(), path)) return error;
  }
  return migrate(db.get(), path, migrations(), Store::kSchemaVersion);
}

Outcome open_writer(const std::string& path, sql::Connection& db) {
  if (auto error = make_parent_directory(path)) return error;
  Outcome error = open_and_prepare(path, db);
  // SQLite's words for a permission problem ("unable to open database
  // file", "attempt to write a readonly database") do not say what to check.
  const int code = db ? sqlite3_errcode(db.get()) & 0xff : SQLITE_OK;
  if (error && (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM)) *error += kCheckAccess;
  if (error && code == SQLITE_CORRUPT) *error += " (the database is damaged)";
  return error;
}

}  // namespace

struct Store::Impl {
  explicit Impl(std::string p) : path(std::move(p)), readers(path) {}

  void enqueue(Work work, Done done);
  void run_writer();
  void stop();

  std::string path;
  sql::Connection writer_db;
  std::unique_ptr<BatchWriter> writer;
  Readers readers;

  std::mutex queue_mutex;
  std::condition_variable queue_ready;
  std::vector<Queued> queue;
  bool stopping = false;
  // Held by the writer thread while it uses writer_db; test hooks take it to
  // use the connection themselves or to make the next batch wait.
  std::mutex writer_busy;

  std::atomic<std::uint64_t> transactions{0};
  std::atomic<std::uint64_t> items{0};
  std::thread thread;  // last: started once everything above exists
};

void Store::Impl::enqueue(Work work, Done done) {
  {
    const std::scoped_lock lock(queue_mutex);
    queue.push_back(Queued{std::move(work), std::move(done)});
  }
  queue_ready.notify_one();
}

// Takes everything queued, commits it as one transaction, then calls each
// callback; repeats until stopped with an empty queue.
void Store::Impl::run_writer() {
  std::vector<Queued> batch;
  std::vector<Outcome> outcomes;
  for (;;) {
    {
      std::unique_lock lock(queue_mutex);
      queue_ready.wait(lock, [&] { return !queue.empty() || stopping; });
      if (queue.empty()) return;
    }
    {
      const std::scoped_lock busy(writer_busy);
      {
        const std::scoped_lock lock(queue_mutex);
        std::swap(batch, queue);  // the queue keeps the old batch's capacity
      }
      std::size_t committed = 0;
      outcomes = writer->commit(batch, committed);
      if (committed > 0) {
        transactions.fetch_add(1, std::memory_order_relaxed);
        items.fetch_add(committed, std::memory_order_relaxed);
      }
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (batch[i].done) batch[i].done(outcomes[i]);
    }
    batch.clear();
  }
}

void Store::Impl::stop() {
  {
    const std::scoped_lock lock(queue_mutex);
    stopping = true;
  }
  queue_ready.notify_one();
  if (thread.joinable()) thread.join();
}

std::variant<std::unique_ptr<Store>, std::string> Store::open(const std::string& path) {
  auto impl = std::make_unique<Impl>(path);
  if (auto error = open_writer(path, impl->writer_db)) return *error;
  auto writer = BatchWriter::create(impl->writer_db.get(), path);
  if (auto* error = std::get_if<std::string>(&writer)) return *error;
  impl->writer = std::move(std::get<std::unique_ptr<BatchWriter>>(writer));
  impl->thread = std::thread([raw = impl.get()] { raw->run_writer(); });
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Store::~Store() { impl_->stop(); }

void Store::create_game(GameRow game, Done done) { impl_->enqueue(CreateGame{std::move(game)}, std::move(done)); }

void Store::append(std::string game_id, std::vector<JournalEntry> entries, std::vector<RoundRow> rounds, Done done) {
  impl_->enqueue(Append{std::move(game_id), std::move(entries), std::move(rounds), {}}, std::move(done));
}

void Store::append(std::string game_id, std::vector<JournalEntry> entries, std::vector<RoundRow> rounds, Chain chain,
                   Done done) {
  impl_->enqueue(Append{std::move(game_id), std::move(entries), std::move(rounds), std::move(chain)}, std::move(done));
}

void Store::set_finished(std::string game_id, bool finished, Done done) {
  impl_->enqueue(SetFinished{std::move(game_id), finished, {}}, std::move(done));
}

void Store::flush() {
  std::promise<void> flushed;
  std::future<void> wait = flushed.get_future();
  impl_->enqueue(Marker{}, [&flushed](const Outcome&) { flushed.set_value(); });
  wait.wait();
}

std::vector<GameRow> Store::games(bool unfinished_only) const { return impl_->readers.games(unfinished_only); }

std::optional<GameRow> Store::game(const std::string& id) const { return impl_->readers.game(id); }

std::vector<JournalEntry> Store::journal(const std::string& game_id) const { return impl_->readers.journal(game_id); }

std::vector<JournalEntry> Store::journal_of_kind(const std::string& game_id, const std::string& kind) const {
  return impl_->readers.journal_of_kind(game_id, kind);
}

std::vector<RoundRow> Store::rounds(const std::string& game_id) const { return impl_->readers.rounds(game_id); }

std::vector<std::string> Store::game_ids() const { return impl_->readers.game_ids(); }

std::vector<FinishedGame> Store::finished_games(std::size_t limit) const {
  return impl_->readers.finished_games(limit);
}

std::optional<TokenOwner> Store::token_owner(std::span<const std::uint8_t> token_hash) const {
  return impl_->readers.token_owner(token_hash);
}

Outcome Store::check_whole() const { return impl_->readers.check_whole(); }

const std::string& Store::path() const { return impl_->path; }

Store::Stats Store::stats() const {
  return {impl_->transactions.load(std::memory_order_relaxed), impl_->items.load(std::memory_order_relaxed)};
}

Outcome StoreTesting::exec_on_writer(Store& store, const std::string& sql) {
  const std::scoped_lock busy(store.impl_->writer_busy);
  return sql::exec(store.impl_->writer_db.get(), store.impl_->path, sql.c_str());
}

std::mutex& StoreTesting::writer_mutex(Store& store) { return store.impl_->writer_busy; }

}  // namespace leadtime::server::store
