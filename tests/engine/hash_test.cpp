#include <doctest/doctest.h>
#include <xxhash.h>

#include <bit>
#include <functional>
#include <memory>
#include <set>

#include "engine/fields.h"
#include "engine/hash.h"
#include "engine/match.h"
#include "engine/state_fields.h"
#include "tests/engine/fixture.h"

using namespace leadtime;
using namespace leadtime::enginetest;

namespace {

RoundOrders round_orders(const State& s, int round) {
  RoundOrders orders(s.actors.size());
  if (round == 1) {
    orders[kUs] = {make_order(s, kUs, {"set_export_tier", {{"target", text("CN")}, {"tier", 2.0}}}),
                   make_order(s, kUs, {"set_export_licences", {{"firms", 4.0}}})};
    orders[kEu] = {make_order(s, kEu, {"set_sovereignty_investment", {{"usd_b", 1.0}}})};
  }
  if (round == 3) orders[kEuLab] = {make_order(s, kEuLab, {"set_open_weights", {{"on", true}}})};
  return orders;
}

std::vector<std::uint64_t> play(std::shared_ptr<const Scenario> sc, std::uint64_t seed) {
  Match match(std::move(sc), seed);
  std::vector<std::uint64_t> hashes;
  int round = 0;
  while (!match.finished()) {
    hashes.push_back(match.play_round(round_orders(match.state(), round)).hash);
    CHECK(hashes.back() == state_hash(match.state()));
    ++round;
  }
  return hashes;
}

// The canonical encoding as hash.h describes it, written plainly one field at
// a time: the engine's faster writer (sized first, then written through a
// bare pointer) must give exactly these bytes.
struct ReferenceEncoding {
  std::vector<std::uint8_t> bytes;

  void u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void put(double v) { u64(std::bit_cast<std::uint64_t>(v)); }
  void put(bool v) { bytes.push_back(v ? 1 : 0); }
  void put(int v) { u64(static_cast<std::uint64_t>(static_cast<std::int64_t>(v))); }
  void put(std::uint64_t v) { u64(v); }
  void put(const std::string& v) {
    u64(v.size());
    bytes.insert(bytes.end(), v.begin(), v.end());
  }
  void put(const Rng& rng) {
    for (std::uint64_t w : rng.words()) u64(w);
  }
  template <typename E>
  requires std::is_enum_v<E>
  void put(E v) { u64(static_cast<std::uint64_t>(v)); }
  template <typename T, std::size_t N>
  void put(const std::array<T, N>& values) {
    for (const T& v : values) put(v);
  }
  template <typename T>
  void put(const std::vector<T>& values) {
    u64(values.size());
    for (const T& v : values) put(v);
  }
  template <fields::HasTable S>
  void put(const S& s) {
    fields::for_each<S>([&](auto at) { put(s.*decltype(at)::field.member); });
  }
};

void check_encoding(const State& s) {
  ReferenceEncoding expected;
  expected.put(std::string("leadtime-state-v1"));
  expected.put(s);
  CHECK(canonical_bytes(s) == expected.bytes);
  CHECK(state_hash(s) == XXH3_64bits(expected.bytes.data(), expected.bytes.size()));
}

}  // namespace

TEST_CASE("hash: the encoding equals a plain field-by-field one, round after round") {
  const auto sc = busy_scenario();
  for (std::uint64_t seed : {1ULL, 2ULL, 3ULL, 2026ULL}) {
    CAPTURE(seed);
    Match match(sc, seed);
    check_encoding(match.state());
    for (int round = 0; !match.finished(); ++round) {
      match.play_round(round_orders(match.state(), round));
      check_encoding(match.state());
    }
  }
  // Shapes the matches above may not reach: long strings, audiences,
  // priorities, once-only events fired, an extra actor.
  State s = make_state();
  s.events.push_back({"kind", "a text longer than the short-string buffer", Visibility::Private, {kCn, kCnLab}});
  s.fired_once = {"a", "boom"};
  actor(s, kUsVendor).policy.allocation_priority = {3, 0, 9};
  actor(s, kUs).id = "";
  s.actors.push_back(make_lab("x", Bloc::EU, 0, 0, 0, 1));
  check_encoding(s);
}

TEST_CASE("hash: the same state gives the same hash") {
  const State a = make_state();
  const State b = make_state();
  CHECK(state_hash(a) == state_hash(b));
  CHECK(canonical_bytes(a) == canonical_bytes(b));
  const State copy = a;
  CHECK(state_hash(copy) == state_hash(a));
  CHECK(state_hash(a) == state_hash(a));
}

TEST_CASE("hash: hash_hex prints 16 hex digits") {
  CHECK(hash_hex(0) == "0000000000000000");
  CHECK(hash_hex(0xdeadbeefULL) == "00000000deadbeef");
  CHECK(hash_hex(0xffffffffffffffffULL) == "ffffffffffffffff");
}

TEST_CASE("hash: any single change to the state changes the hash") {
  const State base = make_state();
  const std::uint64_t h = state_hash(base);
  const std::vector<std::pair<const char*, std::function<void(State&)>>> changes = {
      {"lab capability", [](State& s) { actor(s, kCnLab).lab.capability_oom += 1e-9; }},
      {"lab accelerated", [](State& s) { actor(s, kEuLab).lab.accelerated = true; }},
      {"rng word",
       [](State& s) {
         auto w = s.rng.words();
         w[3] ^= 1;
         s.rng.set_words(w);
       }},
      {"rng draw", [](State& s) { s.rng.next_u64(); }},
      {"seed", [](State& s) { s.seed += 1; }},
      {"round", [](State& s) { s.round += 1; }},
      {"quarter", [](State& s) { s.quarter = s.quarter.plus(1); }},
      {"actor id", [](State& s) { actor(s, kUs).id = "usa"; }},
      {"actor name", [](State& s) { actor(s, kUs).name = "USA"; }},
      {"actor kind", [](State& s) { actor(s, kUs).kind = ActorKind::Vendor; }},
      {"actor bloc", [](State& s) { actor(s, kEuLab).bloc = Bloc::ROW; }},
      {"export tier", [](State& s) { actor(s, kUs).policy.export_tier[1] = 2; }},
      {"policy flag", [](State& s) { actor(s, kUs).policy.anti_distillation_law = true; }},
      {"allocation priority", [](State& s) { actor(s, kUsVendor).policy.allocation_priority = {0}; }},
      {"distill target", [](State& s) { actor(s, kCnLab).policy.distill_target = kUsLab; }},
      {"spending", [](State& s) { actor(s, kCn).spent.smuggling = 0.1; }},
      {"spending scale", [](State& s) { actor(s, kCn).spent.scale = 0.5; }},
      {"cum sovereignty", [](State& s) { actor(s, kEu).gov.cum_sovereignty_usd_b = 1; }},
      {"vendor sold", [](State& s) { actor(s, kUsVendor).vendor.sold_h100e = 1; }},
      {"lab chip money left", [](State& s) { actor(s, kCnLab).lab.chip_money_left_usd_b = 1; }},
      {"market share", [](State& s) { s.markets[kMRow].share[2] += 1e-12; }},
      {"market growth", [](State& s) { s.markets[kMCn].growth = 0.01; }},
      {"hubs", [](State& s) { s.hubs.rent_usd_per_h100e += 1; }},
      {"flows", [](State& s) { s.flows.smuggled_h100e = 1; }},
      {"flows thefts", [](State& s) { s.flows.thefts = 1; }},
      {"outcomes lead", [](State& s) { s.outcomes.lead_months = 1; }},
      {"outcomes scores", [](State& s) { s.outcomes.scores[kEu] = 1; }},
      {"outcomes pair leads", [](State& s) { s.outcomes.pair_lead_months = {0}; }},
      {"event",
       [](State& s) {
         s.events.push_back({"k", "text", Visibility::Public, {}});
       }},
      {"fired once", [](State& s) { s.fired_once.push_back("boom"); }},
      {"thefts total", [](State& s) { s.thefts_total = 1; }},
      {"cum smuggled", [](State& s) { s.cum_smuggled_h100e = 1; }},
      {"extra actor", [](State& s) { s.actors.push_back(make_lab("x", Bloc::EU, 0, 0, 0, 1)); }},
  };
  std::set<std::uint64_t> seen{h};
  for (const auto& [name, change] : changes) {
    CAPTURE(name);
    State s = base;
    change(s);
    const std::uint64_t changed = state_hash(s);
    CHECK(changed != h);
    seen.insert(changed);
  }
  CHECK(seen.size() == changes.size() + 1);  // and no two changes collide
}

TEST_CASE("hash: an event's text, kind, visibility or audience changes the hash") {
  State base = make_state();
  base.events.push_back({"weight_theft", "stolen", Visibility::Private, {kCn}});
  const std::uint64_t h = state_hash(base);
  State text = base;
  text.events[0].text = "Stolen";
  State kind = base;
  kind.events[0].kind = "weight_thefts";
  State visibility = base;
  visibility.events[0].visibility = Visibility::Public;
  State audience = base;
  audience.events[0].audience = {kCn, kCnLab};
  for (const State* s : {&text, &kind, &visibility, &audience}) CHECK(state_hash(*s) != h);
}

TEST_CASE("hash: every named actor field is part of the hash") {
  const State base = make_state();
  const std::uint64_t h = state_hash(base);
  for (const ActorField& f : actor_fields()) {
    for (int i = 0; i < kActorCount; ++i) {
      State s = base;
      Actor& a = actor(s, i);
      if ((f.kinds & kind_bit(a.kind)) == 0) continue;
      CAPTURE(f.name);
      CAPTURE(a.id);
      f.ref(a) += 0.5;
      CHECK(state_hash(s) != h);
    }
  }
  for (const MarketField& f : market_fields()) {
    State s = base;
    f.ref(s.markets[kMEu]) += 0.5;
    CHECK(state_hash(s) != h);
  }
  for (const HubField& f : hub_fields()) {
    State s = base;
    f.ref(s.hubs) += 0.5;
    CHECK(state_hash(s) != h);
  }
}

TEST_CASE("hash: a match replays bit for bit") {
  const auto sc = busy_scenario();
  const std::vector<std::uint64_t> first = play(sc, 2026);
  const std::vector<std::uint64_t> second = play(sc, 2026);
  REQUIRE(first.size() == 6);
  CHECK(first == second);
  // Every round moves the state.
  CHECK(std::set<std::uint64_t>(first.begin(), first.end()).size() == first.size());
  // Two matches give the same full history, not just the hashes.
  Match a(sc, 99);
  Match b(sc, 99);
  for (int round = 0; round < sc->rounds; ++round) {
    const RoundRecord& ra = a.play_round(round_orders(a.state(), round));
    const RoundRecord& rb = b.play_round(round_orders(b.state(), round));
    CHECK(ra.hash == rb.hash);
    CHECK(ra.round == round);
    CHECK(ra.quarter == Quarter{2026, 3}.plus(round));
    CHECK(ra.events.size() == rb.events.size());
  }
  CHECK(canonical_bytes(a.state()) == canonical_bytes(b.state()));
  CHECK(a.state().quarter == Quarter{2028, 1});
  CHECK(a.history().size() == 6);
}

TEST_CASE("hash: different seeds give different matches") {
  const auto sc = busy_scenario();
  const std::vector<std::uint64_t> a = play(sc, 1);
  const std::vector<std::uint64_t> b = play(sc, 2);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] != b[i]);
  // Not only the seed word differs: the random draws change what happened.
  Match m1(sc, 1);
  Match m2(sc, 2);
  for (int round = 0; round < sc->rounds; ++round) {
    m1.play_round(round_orders(m1.state(), round));
    m2.play_round(round_orders(m2.state(), round));
  }
  CHECK(m1.state().actors[kUsLab].lab.alg_efficiency_oom != m2.state().actors[kUsLab].lab.alg_efficiency_oom);
}

TEST_CASE("hash: orders change the match") {
  const auto sc = busy_scenario();
  Match plain(sc, 5);
  Match ordered(sc, 5);
  const RoundRecord& p = plain.play_round({});
  RoundOrders orders(ordered.state().actors.size());
  orders[kUs] = {make_order(ordered.state(), kUs, {"set_enforcement", {{"usd_b", 3.0}}})};
  const RoundRecord& o = ordered.play_round(orders);
  CHECK(p.hash != o.hash);
}
