// The field tables of engine/state_fields.h: the hash covers every leaf of
// the state they list, and the numbers scenarios set (engine/fields.h) are
// fields of the same tables under the same names.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <string_view>

#include "engine/fields.h"
#include "engine/hash.h"
#include "engine/state_fields.h"
#include "tests/engine/fixture.h"
#include "tests/engine/leaves.h"

using namespace leadtime;
using namespace leadtime::enginetest;

namespace {

// A state where every list has an entry, so every table has leaves.
State full_state() {
  State s = make_state();
  s.events.push_back({"weight_theft", "stolen", Visibility::Private, {kCn}});
  s.fired_once.push_back("boom");
  s.outcomes.pair_lead_months = {0, 1, -1, 0};
  actor(s, kUsVendor).policy.allocation_priority = {1, 0, 0, 0, 0, 2, 0, 0};
  return s;
}

void walk_state(State& s, leaves::Changer& changer) {
  leaves::walk(s, "state", fields::kHashOnly, fields::Keys::None, changer);
}

// The names of S's table and of the tables of its struct-valued fields.
template <fields::HasTable S>
void check_unique_names() {
  std::set<std::string_view> names;
  fields::for_each<S>([&](auto at) {
    CAPTURE(decltype(at)::field.name);
    CHECK(names.insert(decltype(at)::field.name).second);
  });
}

// The field of `a` named `name` that the tables show for its kind: one of
// Actor's own numbers or one of its kind's state (nullptr if none).
double* table_field(Actor& a, std::string_view name) {
  double* found = nullptr;
  const auto look = [&](auto& s) {
    fields::for_each<std::remove_cvref_t<decltype(s)>>([&](auto at) {
      constexpr const auto& f = decltype(at)::field;
      if constexpr (std::is_same_v<typename decltype(at)::Type, double>) {
        if (name == f.name) found = &(s.*f.member);
      }
    });
  };
  look(a);
  switch (a.kind) {
    case ActorKind::Government:
      look(a.gov);
      break;
    case ActorKind::Vendor:
      look(a.vendor);
      break;
    case ActorKind::Lab:
      look(a.lab);
      break;
  }
  return found;
}

}  // namespace

TEST_CASE("state fields: changing any leaf of the state changes the hash, and no two changes collide") {
  const State base = full_state();
  const std::uint64_t h = state_hash(base);
  const std::size_t n = leaves::count_leaves(base, kActorCount, walk_state);
  // Eight actors of about 90 leaves each, and the rest of the state.
  CHECK(n > 800);
  std::set<std::uint64_t> seen{h};
  for (std::size_t i = 0; i < n; ++i) {
    State s = base;
    leaves::Changer changer(i, kActorCount);
    walk_state(s, changer);
    CAPTURE(changer.changed().path);
    const std::uint64_t changed = state_hash(s);
    CHECK(changed != h);
    CHECK(seen.insert(changed).second);
  }
}

TEST_CASE("state fields: a table's names are unique") {
  check_unique_names<Policy>();
  check_unique_names<Spending>();
  check_unique_names<GovernmentState>();
  check_unique_names<VendorState>();
  check_unique_names<LabState>();
  check_unique_names<Actor>();
  check_unique_names<Estimate>();
  check_unique_names<PublicIndicators>();
  check_unique_names<Event>();
  check_unique_names<State>();
}

TEST_CASE("state fields: every number a scenario sets is the table field of the same name") {
  State s = make_state();
  for (const ActorField& f : actor_fields()) {
    for (Actor& a : s.actors) {
      if ((f.kinds & kind_bit(a.kind)) == 0) continue;
      CAPTURE(f.name);
      CAPTURE(a.id);
      double* field = table_field(a, f.name);
      REQUIRE(field != nullptr);
      f.ref(a) = 123.25;
      CHECK(*field == 123.25);
    }
  }
  for (const MarketField& f : market_fields()) {
    CAPTURE(f.name);
    bool named = false;
    fields::for_each<Market>([&](auto at) { named = named || f.name == decltype(at)::field.name; });
    CHECK(named);
  }
  for (const HubField& f : hub_fields()) {
    CAPTURE(f.name);
    bool named = false;
    fields::for_each<Hubs>([&](auto at) { named = named || f.name == decltype(at)::field.name; });
    CHECK(named);
  }
}
