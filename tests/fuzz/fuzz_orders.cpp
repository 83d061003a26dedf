// Fuzz target "orders": the order validator (engine/orders.h) with drafts
// built from the fuzzer's bytes: action names from the catalogue and made-up
// ones, each action's parameters (and missing, repeated and unknown ones)
// with values of any kind, NaN, infinities, huge numbers and the range
// bounds and just past them.
//
// Input: a few rounds; in each, a few seats (or a seat that does not exist)
// submit drafts. Beyond "no crash", it checks that
//   - validation never changes the state (its hash is the same after);
//   - every draft is either accepted or rejected with a message, in order;
//   - an accepted order turned back into a draft (to_draft) and sent over
//     the wire (to_wire/from_wire) validates to the same order again;
//   - the accepted orders resolve a round (views for every seat, undo)
//     without fault.
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/catalogue.h"
#include "engine/hash.h"
#include "engine/match.h"
#include "engine/orders.h"
#include "protocol/convert.h"
#include "tests/fuzz/fuzz_common.h"

namespace lt = leadtime;
using leadtime::fuzz::ByteReader;

namespace {

const char* const kWords[] = {"US",  "CN",     "EU",     "SEA",    "ROW",       "us",        "cn",
                              "eu",  "us_lab", "cn_lab", "eu_lab", "us_vendor", "cn_vendor", "on",
                              "off", "true",   "false",  "",       "row",       "Cn"};

std::string word(ByteReader& in, const lt::State& state) {
  const std::size_t n = std::size(kWords);
  const std::size_t pick = in.below(n + state.actors.size() + 1);
  if (pick < n) return kWords[pick];
  if (pick < n + state.actors.size()) return state.actors[pick - n].id;
  return in.text(12);
}

lt::ArgValue value_for(ByteReader& in, const lt::State& state, const lt::ParamSpec* p) {
  // Mostly the value's right kind, sometimes any kind.
  const bool any = in.below(8) == 0 || p == nullptr;
  const lt::ParamType type = any ? static_cast<lt::ParamType>(in.below(6)) : p->type;
  const double min = p != nullptr ? p->min : 0;
  const double max = p != nullptr ? p->max : 1;
  switch (type) {
    case lt::ParamType::Int:
    case lt::ParamType::Real:
      return in.number(min, max);
    case lt::ParamType::Bool:
      switch (in.below(3)) {
        case 0:
          return in.flag();
        case 1:
          return in.number(0, 1);
        default:
          return word(in, state);
      }
    default:
      return word(in, state);
  }
}

lt::OrderDraft make_draft(ByteReader& in, const lt::State& state) {
  const auto catalogue = lt::catalogue();
  lt::OrderDraft draft;
  const lt::ActionSpec* spec = nullptr;
  const std::uint8_t how = in.u8();
  if (how < 220) {
    spec = &catalogue[how % catalogue.size()];
    draft.action = std::string(spec->name);
  } else if (how < 240) {
    draft.action = in.text(24);
  } else {
    spec = &catalogue[in.below(catalogue.size())];
    draft.action = std::string(spec->name) + (how % 2 == 0 ? " " : "X");
  }
  if (spec != nullptr) {
    for (const lt::ParamSpec& p : spec->params) {
      const std::uint8_t mode = in.u8();
      if (mode % 16 == 0) continue;  // missing
      draft.args.emplace_back(std::string(p.name), value_for(in, state, &p));
      if (mode % 16 == 1) draft.args.emplace_back(std::string(p.name), value_for(in, state, &p));  // twice
    }
  }
  const std::size_t extra = in.below(4) == 0 ? in.below(3) : 0;
  for (std::size_t i = 0; i < extra; ++i) {
    // A parameter of another action, or a made-up name.
    std::string name = in.text(12);
    const lt::ActionSpec& other = catalogue[in.below(catalogue.size())];
    if (in.flag() && !other.params.empty()) name = other.params[in.below(other.params.size())].name;
    draft.args.emplace_back(std::move(name), value_for(in, state, nullptr));
  }
  return draft;
}

bool same_order(const lt::Order& a, const lt::Order& b) {
  if (a.action != b.action || a.args.size() != b.args.size()) return false;
  for (std::size_t i = 0; i < a.args.size(); ++i) {
    // Bit-equal, but -0 and 0 count as the same value.
    if (!(a.args[i] == b.args[i])) return false;
  }
  return true;
}

// Every accepted order survives the trip back to a draft and over the wire.
void round_trips(const lt::State& state, int actor, const std::vector<lt::Order>& orders) {
  for (const lt::Order& order : orders) {
    LEADTIME_FUZZ_CHECK(order.action >= 0 && static_cast<std::size_t>(order.action) < lt::catalogue().size(),
                        "accepted order with action %d", order.action);
    const auto& spec = lt::catalogue()[static_cast<std::size_t>(order.action)];
    LEADTIME_FUZZ_CHECK(order.args.size() == spec.params.size(), "%s: %zu args for %zu params",
                        std::string(spec.name).c_str(), order.args.size(), spec.params.size());
    for (const double a : order.args) LEADTIME_FUZZ_CHECK(std::isfinite(a), "accepted a non-finite argument");
    const lt::OrderDraft back = lt::to_draft(state, order);
    (void)lt::describe(state, order);
    const lt::ValidatedOrders again = lt::validate_orders(state, actor, {back});
    LEADTIME_FUZZ_CHECK(again.errors.empty() && again.orders.size() == 1 && same_order(again.orders[0], order),
                        "%s: to_draft gives a draft that validates differently (%s)", std::string(spec.name).c_str(),
                        again.errors.empty() ? "" : again.errors[0].message.c_str());
    flatbuffers::FlatBufferBuilder fbb;
    fbb.Finish(leadtime::protocol::to_wire(fbb, back));
    const auto* wired = flatbuffers::GetRoot<leadtime::wire::Order>(fbb.GetBufferPointer());
    const lt::ValidatedOrders wire_again = lt::validate_orders(state, actor, {leadtime::protocol::from_wire(*wired)});
    LEADTIME_FUZZ_CHECK(wire_again.errors.empty() && same_order(wire_again.orders.at(0), order),
                        "%s: the wire round trip changes the order", std::string(spec.name).c_str());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteReader in({data, size});
  static const auto scenario = leadtime::fuzz::default_scenario();
  lt::Match match(scenario, 1 + in.u8());
  const std::size_t seats = match.state().actors.size();
  const std::size_t rounds = 1 + in.below(3);
  lt::RoundOrders last_orders;
  for (std::size_t r = 0; r < rounds && !match.finished(); ++r) {
    const lt::State& state = match.state();
    lt::RoundOrders orders(seats);
    const std::size_t submitters = 1 + in.below(4);
    for (std::size_t s = 0; s < submitters; ++s) {
      // Now and then a seat that does not exist.
      const std::uint8_t pick = in.u8();
      const int actor = pick >= 250 ? static_cast<int>(pick) - 252 + (pick >= 252 ? static_cast<int>(seats) : 0)
                                    : static_cast<int>(pick % seats);
      std::vector<lt::OrderDraft> drafts(in.below(7));
      for (auto& d : drafts) d = make_draft(in, state);

      const std::uint64_t before = lt::state_hash(state);
      const lt::ValidatedOrders v = lt::validate_orders(state, actor, drafts);
      LEADTIME_FUZZ_CHECK(lt::state_hash(state) == before, "validate_orders changed the state");
      if (actor < 0 || static_cast<std::size_t>(actor) >= seats) {
        LEADTIME_FUZZ_CHECK(v.orders.empty() && v.errors.size() == 1, "orders accepted for seat %d", actor);
        continue;
      }
      LEADTIME_FUZZ_CHECK(v.orders.size() + v.errors.size() == drafts.size(), "%zu drafts, %zu + %zu results",
                          drafts.size(), v.orders.size(), v.errors.size());
      int last = -1;
      for (const lt::OrderError& e : v.errors) {
        LEADTIME_FUZZ_CHECK(e.index > last && e.index < static_cast<int>(drafts.size()), "error index %d", e.index);
        LEADTIME_FUZZ_CHECK(!e.message.empty(), "rejection without a message");
        last = e.index;
      }
      round_trips(state, actor, v.orders);
      auto& mine = orders[static_cast<std::size_t>(actor)];
      mine.insert(mine.end(), v.orders.begin(), v.orders.end());
    }
    last_orders = orders;
    match.play_round(std::move(orders));
    for (std::size_t i = 0; i < seats; ++i) (void)lt::make_view(match.state(), scenario->coef, static_cast<int>(i));
    (void)lt::make_view(match.state(), scenario->coef, lt::kNoActor);
  }
  // Taking the last round back and playing it again gives the same state.
  if (!match.history().empty() && in.flag()) {
    const std::uint64_t hash = match.history().back().hash;
    match.undo_last_round();
    LEADTIME_FUZZ_CHECK(match.play_round(last_orders).hash == hash, "a round played again after undo differs");
  }
  return 0;
}
