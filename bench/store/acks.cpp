#include "bench/store/acks.h"

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <variant>
#include <vector>

#include "server/store/store.h"

namespace leadtime::bench::store {
namespace {

namespace st = leadtime::server::store;
using Clock = std::chrono::steady_clock;

std::unique_ptr<st::Store> open_or_throw(const std::string& path) {
  auto opened = st::Store::open(path);
  if (auto* error = std::get_if<std::string>(&opened)) throw std::runtime_error(*error);
  return std::move(std::get<std::unique_ptr<st::Store>>(opened));
}

st::GameRow bench_game() {
  st::GameRow g;
  g.id = "bench";
  g.scenario_path = "scenarios/2028.lua";
  g.seed = 1;
  g.bot_paths.assign(8, "");
  g.facilitator_token_hash.assign(32, 1);
  g.observer_token_hash.assign(32, 2);
  g.seat_token_hashes.assign(8, std::vector<std::uint8_t>(32, 3));
  return g;
}

// Runs `clients` threads, client c taking seqs c+1, c+1+clients, ... up to
// `acks`, each calling `submit_and_wait(client, seq)`. The clock starts once
// every thread exists, so thread creation is not measured.
template <typename Submit>
double run_clients(int clients, std::uint64_t acks, Submit submit_and_wait) {
  std::mutex mutex;
  std::condition_variable go;
  bool started = false;
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(clients));
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      {
        std::unique_lock lock(mutex);
        go.wait(lock, [&] { return started; });
      }
      for (auto seq = static_cast<std::uint64_t>(c) + 1; seq <= acks; seq += static_cast<std::uint64_t>(clients)) {
        submit_and_wait(c, seq);
      }
    });
  }
  const auto start = Clock::now();
  {
    const std::scoped_lock lock(mutex);
    started = true;
  }
  go.notify_all();
  for (std::thread& t : threads) t.join();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Where a client sleeps until its acknowledgement. A mutex and condition
// variable block at once; std::atomic::wait spins and yields first, and
// a thousand spinning clients would starve the writer of the two cores.
struct AckSlot {
  std::mutex mutex;
  std::condition_variable ready;
  bool acked = false;
};

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

}  // namespace

std::string sample_payload(std::uint64_t seq) {
  return R"({"member":"alice","orders":[{"action":"set_export_tier","params":{"tier":2,"target":"cn"}},)"
         R"({"action":"fund_enforcement","params":{"usd_b":1.5}},{"action":"kyc_rule","params":{"on":true}},)"
         R"({"action":"invest_fabs","params":{"usd_b":12.0}}],"seq":)" +
         std::to_string(seq) + "}";
}

AckFigures group_commit_acks(const std::string& path, int clients, std::uint64_t acks) {
  auto store = open_or_throw(path);
  store->create_game(bench_game(), [](const st::Outcome&) {});
  store->flush();
  const st::Store::Stats before = store->stats();
  std::atomic<std::uint64_t> failures{0};
  std::vector<AckSlot> slots(static_cast<std::size_t>(clients));
  const double seconds = run_clients(clients, acks, [&](int c, std::uint64_t seq) {
    AckSlot& slot = slots[static_cast<std::size_t>(c)];
    slot.acked = false;
    st::JournalEntry e{seq, 1'700'000'000'000, "submitted", c % 8, sample_payload(seq)};
    store->append("bench", {std::move(e)}, {}, [&slot, &failures](const st::Outcome& outcome) {
      if (outcome) ++failures;
      const std::scoped_lock lock(slot.mutex);
      slot.acked = true;
      slot.ready.notify_one();
    });
    std::unique_lock lock(slot.mutex);
    slot.ready.wait(lock, [&] { return slot.acked; });
  });
  if (failures > 0) throw std::runtime_error(std::to_string(failures.load()) + " appends failed");
  return {clients, acks, seconds, store->stats().transactions - before.transactions};
}

namespace {

// Clients that live in the store's callbacks: each acknowledgement queues
// the same client's next entry until `total` entries have been queued.
class CallbackClients {
 public:
  CallbackClients(st::Store& store, std::uint64_t total) : store_(store), total_(total) {}

  void submit_next(int client) {
    const std::uint64_t seq = ++issued_;
    if (seq > total_) return;
    st::JournalEntry e{seq, 1'700'000'000'000, "submitted", client % 8, sample_payload(seq)};
    store_.append("bench", {std::move(e)}, {}, [this, client](const st::Outcome& outcome) { acked(client, outcome); });
  }

  void wait_all() {
    std::unique_lock lock(mutex_);
    all_acked_.wait(lock, [&] { return acked_ == total_; });
  }
  [[nodiscard]] std::uint64_t failures() const { return failures_; }

 private:
  void acked(int client, const st::Outcome& outcome) {
    if (outcome) ++failures_;
    submit_next(client);
    const std::scoped_lock lock(mutex_);
    if (++acked_ == total_) all_acked_.notify_one();
  }

  st::Store& store_;
  const std::uint64_t total_;
  std::atomic<std::uint64_t> issued_{0};
  std::atomic<std::uint64_t> failures_{0};
  std::mutex mutex_;
  std::condition_variable all_acked_;
  std::uint64_t acked_ = 0;
};

}  // namespace

AckFigures callback_client_acks(const std::string& path, int clients, std::uint64_t acks) {
  auto store = open_or_throw(path);
  store->create_game(bench_game(), [](const st::Outcome&) {});
  store->flush();
  const st::Store::Stats before = store->stats();
  CallbackClients loop(*store, acks);
  const auto start = Clock::now();
  for (int c = 0; c < clients; ++c) loop.submit_next(c);
  loop.wait_all();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (loop.failures() > 0) throw std::runtime_error(std::to_string(loop.failures()) + " appends failed");
  return {clients, acks, seconds, store->stats().transactions - before.transactions};
}

AckFigures queued_acks(const std::string& path, std::uint64_t acks) {
  auto store = open_or_throw(path);
  store->create_game(bench_game(), [](const st::Outcome&) {});
  store->flush();
  const st::Store::Stats before = store->stats();
  std::atomic<std::uint64_t> failures{0};
  const auto start = Clock::now();
  for (std::uint64_t seq = 1; seq <= acks; ++seq) {
    st::JournalEntry e{seq, 1'700'000'000'000, "submitted", static_cast<int>(seq % 8), sample_payload(seq)};
    store->append("bench", {std::move(e)}, {}, [&failures](const st::Outcome& outcome) {
      if (outcome) ++failures;
    });
  }
  store->flush();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (failures > 0) throw std::runtime_error(std::to_string(failures.load()) + " appends failed");
  return {1, acks, seconds, store->stats().transactions - before.transactions};
}

AckFigures one_commit_per_entry_acks(const std::string& path, int clients, std::uint64_t acks) {
  open_or_throw(path).reset();  // the same schema and settings as the store's
  sqlite3* db = nullptr;
  check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr), db, "open");
  check(sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON", nullptr,
                     nullptr, nullptr),
        db, "pragmas");
  check(sqlite3_exec(db,
                     "INSERT INTO games (id, scenario_path, scenario_source, seed, deadline_s, facilitator_token_hash, "
                     "observer_token_hash, parent_id, branch_round, finished, created_ms) "
                     "VALUES ('bench', 'scenarios/2028.lua', '', 1, 0, x'', x'', '', -1, 0, 0)",
                     nullptr, nullptr, nullptr),
        db, "game");
  sqlite3_stmt* insert = nullptr;
  check(sqlite3_prepare_v2(db, "INSERT INTO journal VALUES ('bench', ?, ?, 'submitted', ?, ?)", -1, &insert, nullptr),
        db, "prepare");
  std::mutex connection;
  const double seconds = run_clients(clients, acks, [&](int c, std::uint64_t seq) {
    const std::string payload = sample_payload(seq);
    const std::scoped_lock lock(connection);
    check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db, "begin");
    sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(seq));
    sqlite3_bind_int64(insert, 2, 1'700'000'000'000);
    sqlite3_bind_int(insert, 3, c % 8);
    sqlite3_bind_text(insert, 4, payload.c_str(), static_cast<int>(payload.size()), SQLITE_STATIC);
    check(sqlite3_step(insert), db, "insert");
    sqlite3_reset(insert);
    check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
  });
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return {clients, acks, seconds, acks};
}

}  // namespace leadtime::bench::store
