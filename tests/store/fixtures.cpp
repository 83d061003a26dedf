#include "tests/store/fixtures.h"

#include <sqlite3.h>

#include <doctest/doctest.h>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <variant>

namespace leadtime::server::store::testing {

std::unique_ptr<Store> open_store(const std::string& path) {
  auto opened = Store::open(path);
  if (auto* error = std::get_if<std::string>(&opened)) FAIL("open failed: " << *error);
  return std::move(std::get<std::unique_ptr<Store>>(opened));
}

std::string open_error(const std::string& path) {
  auto opened = Store::open(path);
  if (auto* error = std::get_if<std::string>(&opened)) return *error;
  return "";
}

GameRow sample_game(const std::string& id, std::int64_t created_ms) {
  GameRow g;
  g.id = id;
  g.scenario_path = "scenarios/2028.lua";
  g.scenario_source = "return { name = '" + id + "' }";
  g.seed = 0xfedcba9876543210ULL;  // above 2^63: must keep its bit pattern
  g.deadline_s = 600;
  g.bot_paths = {"", "scripts/bots/lab_racer.lua", ""};
  g.facilitator_token_hash.assign(32, 0xfa);
  g.observer_token_hash.assign(32, 0x0b);
  for (std::uint8_t seat = 0; seat < 3; ++seat) g.seat_token_hashes.emplace_back(32, seat);
  g.created_ms = created_ms;
  return g;
}

JournalEntry entry(std::uint64_t seq, const std::string& kind, int seat, const std::string& payload) {
  return JournalEntry{seq, static_cast<std::int64_t>(1'700'000'000'000 + seq), kind, seat, payload};
}

RoundRow round_row(int round, std::size_t snapshot_bytes) {
  RoundRow r;
  r.round = round;
  r.quarter = "2026Q" + std::to_string((round - 1) % 4 + 1);
  r.hash = 0x8000000000000000ULL | static_cast<std::uint64_t>(round);
  for (std::size_t i = 0; i < snapshot_bytes; ++i) r.snapshot.push_back(static_cast<std::uint8_t>(i * 7 + round));
  return r;
}

namespace {

// A callback that hands its outcome to the waiting test thread.
struct Waiter {
  std::promise<Outcome> promise;
  Done done() {
    return [this](const Outcome& outcome) { promise.set_value(outcome); };
  }
  Outcome wait() { return promise.get_future().get(); }
};

}  // namespace

Outcome create_now(Store& store, GameRow game) {
  Waiter w;
  store.create_game(std::move(game), w.done());
  return w.wait();
}

Outcome append_now(Store& store, const std::string& game_id, std::vector<JournalEntry> entries,
                   std::vector<RoundRow> rounds) {
  Waiter w;
  store.append(game_id, std::move(entries), std::move(rounds), w.done());
  return w.wait();
}

std::string query(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    // A statement that returns no row (a PRAGMA that sets) still runs.
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      if (text != nullptr) out = text;
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return out;
}

}  // namespace leadtime::server::store::testing
