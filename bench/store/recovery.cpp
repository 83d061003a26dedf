#include "bench/store/recovery.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <variant>

#include "bench/store/acks.h"
#include "server/store/store.h"

namespace leadtime::bench::store {
namespace {

namespace st = leadtime::server::store;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::unique_ptr<st::Store> open_or_throw(const std::string& path) {
  auto opened = st::Store::open(path);
  if (auto* error = std::get_if<std::string>(&opened)) throw std::runtime_error(*error);
  return std::move(std::get<std::unique_ptr<st::Store>>(opened));
}

// Callbacks run on the store's thread and must not throw: they keep the
// first error for the bench's own thread to report.
struct Failures {
  std::mutex mutex;
  st::Outcome first;
  st::Done record() {
    return [this](const st::Outcome& o) {
      const std::scoped_lock lock(mutex);
      if (o && !first) first = o;
    };
  }
  void throw_if_any() {
    const std::scoped_lock lock(mutex);
    if (first) throw std::runtime_error(*first);
  }
};

st::GameRow game_row(int index, const RecoveryShape& shape) {
  st::GameRow g;
  g.id = "game-" + std::to_string(index);
  g.scenario_path = "scenarios/2028.lua";
  g.scenario_source = shape.scenario_source;
  g.seed = static_cast<std::uint64_t>(index);
  g.deadline_s = 600;
  g.bot_paths = {"", "", "", "scripts/bots/lab_racer.lua", "scripts/bots/lab_racer.lua", "", "", ""};
  g.facilitator_token_hash.assign(32, 1);
  g.observer_token_hash.assign(32, 2);
  g.seat_token_hashes.assign(8, std::vector<std::uint8_t>(32, 3));
  g.created_ms = 1'700'000'000'000 + index;
  return g;
}

// A game's journal: mostly submitted order sets, a resolution per round.
void append_history(st::Store& store, const std::string& id, const RecoveryShape& shape, Failures& failures) {
  std::vector<st::JournalEntry> entries;
  for (int k = 1; k <= shape.entries; ++k) {
    const bool resolves = k % (shape.entries / shape.rounds) == 0;
    const auto seq = static_cast<std::uint64_t>(k);
    entries.push_back({seq, 1'700'000'000'000 + k, resolves ? "resolved" : "submitted", resolves ? -1 : k % 8,
                       resolves ? R"({"bot_orders":[]})" : sample_payload(seq)});
  }
  std::vector<st::RoundRow> rounds;
  for (int r = 1; r <= shape.rounds; ++r) {
    rounds.push_back({r, "2026Q" + std::to_string((r - 1) % 4 + 1),
                      static_cast<std::uint64_t>(r) * 0x9e3779b97f4a7c15ULL,
                      std::vector<std::uint8_t>(shape.snapshot_bytes, static_cast<std::uint8_t>(r))});
  }
  store.append(id, std::move(entries), std::move(rounds), failures.record());
}

// Unfinished games are spread evenly among the finished ones.
bool is_unfinished(int index, const RecoveryShape& shape) {
  if (shape.unfinished_games <= 0) return false;
  const int stride = (shape.finished_games + shape.unfinished_games) / shape.unfinished_games;
  return index % stride == 0 && index / stride < shape.unfinished_games;
}

void drop_cached_pages(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return;
  ::fdatasync(fd);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

}  // namespace

double build_recovery_database(const std::string& path, const RecoveryShape& shape) {
  const auto start = Clock::now();
  auto store = open_or_throw(path);
  const int games = shape.finished_games + shape.unfinished_games;
  Failures failures;
  for (int i = 0; i < games; ++i) {
    const st::GameRow game = game_row(i, shape);
    store->create_game(game, failures.record());
    append_history(*store, game.id, shape, failures);
    if (!is_unfinished(i, shape)) store->set_finished(game.id, true, failures.record());
    if (i % 50 == 49) store->flush();  // bounds the memory queued
  }
  store->flush();
  failures.throw_if_any();
  store.reset();  // checkpoints the WAL into the file
  return seconds_since(start);
}

RecoveryFigures measure_recovery(const std::string& path, bool cold) {
  RecoveryFigures f;
  f.file_bytes = std::filesystem::file_size(path);
  if (cold) drop_cached_pages(path);
  auto start = Clock::now();
  auto store = open_or_throw(path);
  f.open_seconds = seconds_since(start);

  start = Clock::now();
  const std::vector<st::GameRow> unfinished = store->games(true);
  f.list_unfinished_seconds = seconds_since(start);
  f.unfinished_listed = unfinished.size();

  start = Clock::now();
  std::size_t read = 0;
  for (const st::GameRow& g : unfinished) read += store->journal(g.id).size() + store->rounds(g.id).size();
  f.read_unfinished_seconds = seconds_since(start);
  if (read == 0 && !unfinished.empty()) throw std::runtime_error("unfinished games without history");

  start = Clock::now();
  f.all_listed = store->games(false).size();
  f.list_all_seconds = seconds_since(start);

  start = Clock::now();
  if (auto damage = store->check_whole()) throw std::runtime_error(*damage);
  f.check_whole_seconds = seconds_since(start);
  return f;
}

}  // namespace leadtime::bench::store
