#pragma once

// What tests/store/golden/store_v1.db holds: one game of each shape a
// version 1 store records, written by the store at schema version 1. The
// file is never rewritten; a later schema reaches it through migrations.
#include <string>
#include <vector>

#include "server/store/store.h"

namespace leadtime::server::store::golden {

inline GameRow game() {
  GameRow g;
  g.id = "golden-1";
  g.scenario_path = "scenarios/2028.lua";
  g.scenario_source = "-- a scenario\nreturn { name = 'golden' }\n";
  g.seed = 0xfedcba9876543210ULL;
  g.deadline_s = 900;
  g.bot_paths = {"", "scripts/bots/lab_racer.lua", ""};
  g.facilitator_token_hash.assign(32, 0xfa);
  g.observer_token_hash.assign(32, 0x0b);
  g.seat_token_hashes = {std::vector<std::uint8_t>(32, 1), std::vector<std::uint8_t>(32, 2),
                         std::vector<std::uint8_t>(32, 3)};
  g.parent_id = "golden-0";
  g.branch_round = 2;
  g.finished = true;
  g.created_ms = 1'790'000'000'000;
  return g;
}

inline std::vector<JournalEntry> journal() {
  return {
      {1, 1'790'000'000'100, "started", -1, "{}"},
      {2, 1'790'000'000'200, "submitted", 0,
       R"({"member":"alice","orders":[{"action":"fund","params":{"usd_b":1.5}}]})"},
      {3, 1'790'000'000'300, "message", 2, R"({"text":"caf\u00e9","to":[0]})"},
      {4, 1'790'000'000'400, "injected", -1, R"({"event":"fab_fire"})"},
      {5, 1'790'000'000'500, "resolved", -1, R"({"bot_orders":[]})"},
  };
}

inline std::vector<RoundRow> rounds() {
  return {
      {1, "2026Q1", 0x8000000000000001ULL, {0x10, 0x00, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef}},
      {2, "2026Q2", 0x0123456789abcdefULL, {}},
  };
}

}  // namespace leadtime::server::store::golden
