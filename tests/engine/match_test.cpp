#include <doctest/doctest.h>

#include <memory>
#include <vector>

#include "engine/hash.h"
#include "engine/match.h"
#include "tests/engine/fixture.h"

using namespace leadtime;
using namespace leadtime::enginetest;

namespace {

RoundOrders orders_for(const State& s, int round) {
  RoundOrders orders(s.actors.size());
  if (round == 1) orders[kUs] = {make_order(s, kUs, {"set_export_tier", {{"target", text("CN")}, {"tier", 1.0}}})};
  if (round == 3) orders[kEuLab] = {make_order(s, kEuLab, {"set_open_weights", {{"on", true}}})};
  return orders;
}

std::vector<Inject> injects_for(int round) {
  if (round != 2) return {};
  Inject note;
  note.custom.id = "note";
  note.custom.text = "a facilitator's note";
  note.custom.once = false;
  note.custom.effects = {{"SEA", "compute_h100e", EffectOp::Add, 1e5}};
  return {note};
}

}  // namespace

// Undo replays the rounds before the last one rather than keeping a copy of
// the state before every round: the replay must give that state back exactly.
TEST_CASE("match: undoing rounds gives back the state before each, and replaying them the same records") {
  const auto sc = busy_scenario();  // every random channel live: a wrong restore shows
  Match match(sc, 11);
  std::vector<std::vector<std::uint8_t>> before;
  std::vector<std::uint64_t> hashes;
  for (int round = 0; !match.finished(); ++round) {
    before.push_back(canonical_bytes(match.state()));
    hashes.push_back(match.play_round(orders_for(match.state(), round), injects_for(round)).hash);
  }
  REQUIRE(hashes.size() == 6);
  for (int round = 5; round >= 1; --round) {
    CAPTURE(round);
    const RoundRecord undone = match.undo_last_round();
    CHECK(undone.round == round);
    CHECK(undone.hash == hashes[static_cast<std::size_t>(round)]);
    CHECK(match.history().size() == static_cast<std::size_t>(round));
    CHECK(canonical_bytes(match.state()) == before[static_cast<std::size_t>(round)]);
    CHECK(state_hash(match.state()) == hashes[static_cast<std::size_t>(round) - 1]);
  }
  for (int round = 1; !match.finished(); ++round) {
    CAPTURE(round);
    CHECK(match.play_round(orders_for(match.state(), round), injects_for(round)).hash ==
          hashes[static_cast<std::size_t>(round)]);
  }
  match.undo_last_round();
  match.undo_last_round();
  const RoundRecord first = match.history().front();
  while (!match.history().empty()) match.undo_last_round();
  CHECK(canonical_bytes(match.state()) == before[0]);
  CHECK(match.play_round(first.orders, first.injects).hash == hashes[0]);
}
