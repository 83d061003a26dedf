#pragma once

// Every field of the state and of a seat's view, each defined once. The state
// hash (engine/hash.cpp), the Lua view (engine/lua/lua_view.cpp), the
// client's JSON (client-cli/render_json.cpp) and the wire conversion
// (protocol/wire_fields.h) visit these tables instead of listing fields by
// hand, so a new field is one entry here, plus its slot in
// protocol/leadtime.fbs when the wire carries it (tests/protocol/
// wire_fields_test.cpp fails until the schema has it). A struct with a table
// cannot gain a member without an entry: the static_asserts at the end stop
// the build. engine/fields.h is the other kind of table: the numbers a
// scenario may set, with their ranges.
//
// The order of a table is the order of the state's canonical encoding
// (engine/hash.h), which saves and golden hashes pin: never reorder entries.
// The wire finds its slots by name, so the order does not matter there.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/fields.h"
#include "engine/quarter.h"
#include "engine/state.h"
#include "engine/views.h"
#include "engine/visibility.h"

namespace leadtime::fields {

// What an array's or a vector's values are indexed by, or what an integer
// names. Projections show keyed values by name ({US = 1, CN = 0, ...}) and
// actor references by the actor's id.
enum class Keys : std::uint8_t {
  None,
  Bloc,         // one value per bloc, kBlocNames
  Market,       // one per market, kMarketNames
  Stack,        // one per AI stack, kStackNames
  MarketStack,  // per market, then per stack
  Actor,        // an int: an actor index, kNoActor (-1) for none, also its wire default; a vector: one per actor
  LabPair,      // row-major lab x lab
};

// The projections besides the hash, which encodes every field. A field left
// out of one says why beside its entry.
inline constexpr unsigned kLua = 1U << 0U;
inline constexpr unsigned kJson = 1U << 1U;
inline constexpr unsigned kWire = 1U << 2U;
inline constexpr unsigned kEverywhere = kLua | kJson | kWire;
inline constexpr unsigned kHashOnly = 0;

inline constexpr unsigned kAnyKind =
    kind_bit(ActorKind::Government) | kind_bit(ActorKind::Vendor) | kind_bit(ActorKind::Lab);

struct Options {
  Keys keys = Keys::None;
  // The actor kinds a field of an Actor or an Estimate describes. A struct
  // (an actor's government, vendor or lab state) appears in every projection
  // only for those kinds. A number keeps the fixed shape of the JSON and the
  // wire (0 for other kinds) and is left out of the Lua view, where nil is
  // the natural "does not apply".
  unsigned kinds = kAnyKind;
  unsigned shown = kEverywhere;
  // The Lua view shows the struct's fields on its owner: self.compute_h100e,
  // not self.lab.compute_h100e.
  bool flat = false;
  // JSON and the wire carry this per-market field inside the owner's
  // "markets", one entry per market, under this name.
  const char* group = nullptr;
};

template <typename S, typename T>
struct Field {
  using Owner = S;
  using Type = T;
  const char* name;  // also the JSON key, the Lua key and the wire slot's name
  T S::*member;
  Options options;
};

template <typename S, typename T>
constexpr Field<S, T> field(const char* name, T S::*member, Options options = {}) {
  return {name, member, options};
}

// Specialised below for every struct of the state and the views.
template <typename S>
struct Table;

template <typename S>
concept HasTable = requires {
  Table<S>::fields;
};

template <HasTable S>
inline constexpr std::size_t count = std::tuple_size_v<std::remove_cvref_t<decltype(Table<S>::fields)>>;

// The I-th entry of S's table, as a type, so visitors can test its options
// with `if constexpr` and only instantiate what the projection shows.
template <HasTable S, std::size_t I>
struct At {
  static constexpr const auto& field = std::get<I>(Table<S>::fields);
  using Type = typename std::remove_cvref_t<decltype(field)>::Type;
  static constexpr std::size_t index = I;
};

// Calls f(At<S, 0>{}), f(At<S, 1>{}), ... in table order.
template <HasTable S, typename F>
constexpr void for_each(F&& f) {
  [&]<std::size_t... I>(std::index_sequence<I...>) { (f(At<S, I>{}), ...); }
  (std::make_index_sequence<count<S>>{});
}

// --- Names of keys and enums, as every projection spells them ----------------

constexpr std::span<const char* const> key_names(Keys keys) {
  switch (keys) {
    case Keys::Bloc:
      return kBlocNames;
    case Keys::Market:
    case Keys::MarketStack:
      return kMarketNames;
    case Keys::Stack:
      return kStackNames;
    case Keys::None:
    case Keys::Actor:
    case Keys::LabPair:
      break;
  }
  return {};
}

// The keys of each inner array of a nested one (Keys::MarketStack).
constexpr Keys inner_keys(Keys keys) { return keys == Keys::MarketStack ? Keys::Stack : Keys::None; }

constexpr const char* name_of(ActorKind k) { return kActorKindNames[static_cast<std::size_t>(k)]; }
constexpr const char* name_of(Bloc b) { return kBlocNames[static_cast<std::size_t>(b)]; }
constexpr const char* name_of(Visibility v) { return visibility_name(v); }

// How many values each enum has: readers of untrusted input (the wire) clamp
// to the last one.
template <typename E>
inline constexpr int enum_count = 0;
template <>
inline constexpr int enum_count<ActorKind> = static_cast<int>(kActorKindNames.size());
template <>
inline constexpr int enum_count<Bloc> = kBlocCount;
template <>
inline constexpr int enum_count<Visibility> = 3;

// The kind bit of a struct that has a `kind` (an actor, an estimate); every
// kind for the others.
template <typename S>
constexpr unsigned owner_kind_bit(const S& s) {
  if constexpr (requires { requires std::is_same_v<decltype(S::kind), ActorKind>; }) {
    return kind_bit(s.kind);
  } else {
    return kAnyKind;
  }
}

// --- The tables ----------------------------------------------------------------

template <>
struct Table<Policy> {
  using P = Policy;
  static constexpr auto fields = std::tuple{
      field("export_tier", &P::export_tier, {.keys = Keys::Bloc}),
      field("licensed_firms", &P::licensed_firms),
      field("enforcement_usd_b", &P::enforcement_usd_b),
      field("cloud_kyc", &P::cloud_kyc),
      field("anti_distillation_law", &P::anti_distillation_law),
      field("threat_intel_sharing", &P::threat_intel_sharing),
      field("export_promotion_usd_b", &P::export_promotion_usd_b, {.keys = Keys::Market}),
      field("lab_subsidy_usd_b", &P::lab_subsidy_usd_b),
      field("fab_investment_usd_b", &P::fab_investment_usd_b),
      field("smuggling_usd_b", &P::smuggling_usd_b),
      field("offshore_rental_usd_b", &P::offshore_rental_usd_b),
      field("foreign_chip_ban", &P::foreign_chip_ban),
      field("cyber_usd_b", &P::cyber_usd_b),
      field("cyber_target", &P::cyber_target, {.keys = Keys::Actor}),
      field("tool_alignment", &P::tool_alignment),
      field("sovereignty_usd_b", &P::sovereignty_usd_b),
      field("regulation", &P::regulation),
      field("chip_control_alignment", &P::chip_control_alignment),
      field("chip_price_usd", &P::chip_price_usd),
      field("allocation_priority", &P::allocation_priority, {.keys = Keys::Actor}),
      field("compliant_chip", &P::compliant_chip),
      field("capacity_investment_usd_b", &P::capacity_investment_usd_b),
      field("lobbying_usd_b", &P::lobbying_usd_b),
      field("chip_spend_share", &P::chip_spend_share),
      field("training_share", &P::training_share),
      field("api_defence_usd_b", &P::api_defence_usd_b),
      field("weight_security_usd_b", &P::weight_security_usd_b),
      field("open_weights", &P::open_weights),
      field("model_price_usd_per_mtok", &P::model_price_usd_per_mtok),
      field("safety_usd_b", &P::safety_usd_b),
      field("distill_target", &P::distill_target, {.keys = Keys::Actor}),
      field("distill_intensity", &P::distill_intensity),
      field("intelligence_usd_b", &P::intelligence_usd_b),
  };
};

template <>
struct Table<Spending> {
  using S = Spending;
  static constexpr auto fields = std::tuple{
      field("export_promotion", &S::export_promotion, {.keys = Keys::Market}),
      field("lab_subsidy", &S::lab_subsidy),
      field("enforcement", &S::enforcement),
      field("fab_investment", &S::fab_investment),
      field("smuggling", &S::smuggling),
      field("offshore_rental", &S::offshore_rental),
      field("cyber", &S::cyber),
      field("sovereignty", &S::sovereignty),
      field("capacity_investment", &S::capacity_investment),
      field("lobbying", &S::lobbying),
      field("api_defence", &S::api_defence),
      field("weight_security", &S::weight_security),
      field("safety", &S::safety),
      field("distillation", &S::distillation),
      field("intelligence", &S::intelligence),
      field("chips", &S::chips),
      field("scale", &S::scale),
  };
};

template <>
struct Table<GovernmentState> {
  using G = GovernmentState;
  static constexpr auto fields = std::tuple{
      field("budget_usd_b", &G::budget_usd_b),
      field("cum_fab_investment_usd_b", &G::cum_fab_investment_usd_b),
      field("cum_sovereignty_usd_b", &G::cum_sovereignty_usd_b),
      field("political_capital", &G::political_capital),
  };
};

template <>
struct Table<VendorState> {
  using V = VendorState;
  static constexpr auto fields = std::tuple{
      field("capacity_h100e", &V::capacity_h100e), field("capacity_growth", &V::capacity_growth),
      field("revenue_usd_b", &V::revenue_usd_b),   field("cum_revenue_usd_b", &V::cum_revenue_usd_b),
      field("sold_h100e", &V::sold_h100e),         field("euv_multiplier", &V::euv_multiplier),
      field("output_h100e", &V::output_h100e),
  };
};

template <>
struct Table<LabState> {
  using L = LabState;
  static constexpr auto fields = std::tuple{
      field("compute_h100e", &L::compute_h100e),       field("offshore_h100e", &L::offshore_h100e),
      field("capability_oom", &L::capability_oom),     field("alg_efficiency_oom", &L::alg_efficiency_oom),
      field("alg_growth_oom", &L::alg_growth_oom),     field("api_defence", &L::api_defence),
      field("weight_security", &L::weight_security),   field("revenue_usd_b", &L::revenue_usd_b),
      field("funding_usd_b", &L::funding_usd_b),       field("funding_growth", &L::funding_growth),
      field("bought_h100e", &L::bought_h100e),         field("chip_money_left_usd_b", &L::chip_money_left_usd_b),
      field("open_weights_oom", &L::open_weights_oom), field("cum_safety_usd_b", &L::cum_safety_usd_b),
      field("accelerated", &L::accelerated),
  };
};

template <>
struct Table<Actor> {
  using A = Actor;
  static constexpr auto fields = std::tuple{
      field("id", &A::id),
      field("name", &A::name),
      field("kind", &A::kind),
      field("bloc", &A::bloc),
      field("cash_usd_b", &A::cash_usd_b),
      field("policy", &A::policy),
      field("spent", &A::spent),
      field("government", &A::gov, {.kinds = kind_bit(ActorKind::Government), .flat = true}),
      field("vendor", &A::vendor, {.kinds = kind_bit(ActorKind::Vendor), .flat = true}),
      field("lab", &A::lab, {.kinds = kind_bit(ActorKind::Lab), .flat = true}),
  };
};

template <>
struct Table<Estimate> {
  using E = Estimate;
  static constexpr unsigned kLab = kind_bit(ActorKind::Lab);
  static constexpr auto fields = std::tuple{
      // Bots name actors by id; a 0-based index would mislead in 1-based Lua.
      field("actor", &E::actor, {.shown = kJson | kWire}),
      field("id", &E::id),
      field("kind", &E::kind),
      field("bloc", &E::bloc),
      field("cash_usd_b", &E::cash_usd_b),
      field("compute_h100e", &E::compute_h100e, {.kinds = kLab}),
      field("capability_oom", &E::capability_oom, {.kinds = kLab}),
      field("capacity_h100e", &E::capacity_h100e, {.kinds = kind_bit(ActorKind::Vendor)}),
      field("noise_sd", &E::noise_sd),
  };
};

template <>
struct Table<PublicIndicators> {
  using P = PublicIndicators;
  static constexpr auto fields = std::tuple{
      field("lead_months", &P::lead_months),
      field("compute_ratio_us_cn", &P::compute_ratio_us_cn),
      field("shares", &P::shares, {.keys = Keys::MarketStack, .group = "shares"}),
      field("market_size_usd_b", &P::market_size_usd_b, {.keys = Keys::Market, .group = "size_usd_b"}),
      field("norm_index", &P::norm_index),
      field("surveillance_exports", &P::surveillance_exports),
      field("thefts_public", &P::thefts_public),
      field("seized_h100e", &P::seized_h100e),
  };
};

template <>
struct Table<Event> {
  using E = Event;
  static constexpr auto fields = std::tuple{
      field("kind", &E::kind),
      field("text", &E::text),
      field("visibility", &E::visibility),
      // Who may see a private event: views hold only the events their viewer
      // may see already.
      field("audience", &E::audience, {.shown = kHashOnly}),
  };
};

// The rest of the state is read by views only through the indicators and
// estimates they derive (engine/views.cpp), so only the hash visits it.

template <>
struct Table<Market> {
  using M = Market;
  static constexpr auto fields = std::tuple{
      field("size_usd_b", &M::size_usd_b, {.shown = kHashOnly}),
      field("growth", &M::growth, {.shown = kHashOnly}),
      field("share", &M::share, {.keys = Keys::Stack, .shown = kHashOnly}),
  };
};

template <>
struct Table<Hubs> {
  using H = Hubs;
  static constexpr auto fields = std::tuple{
      field("compute_h100e", &H::compute_h100e, {.shown = kHashOnly}),
      field("capex_usd_b", &H::capex_usd_b, {.shown = kHashOnly}),
      field("rent_usd_per_h100e", &H::rent_usd_per_h100e, {.shown = kHashOnly}),
  };
};

template <>
struct Table<Flows> {
  using F = Flows;
  static constexpr Options kHash{.shown = kHashOnly};
  static constexpr auto fields = std::tuple{
      field("legal_h100e", &F::legal_h100e, {.keys = Keys::Bloc, .shown = kHashOnly}),
      field("cn_domestic_h100e", &F::cn_domestic_h100e, kHash),
      field("smuggled_h100e", &F::smuggled_h100e, kHash),
      field("seized_h100e", &F::seized_h100e, kHash),
      field("exposed_case_usd_b", &F::exposed_case_usd_b, kHash),
      field("offshore_h100e", &F::offshore_h100e, kHash),
      field("us_vendor_output_h100e", &F::us_vendor_output_h100e, kHash),
      field("cn_vendor_output_h100e", &F::cn_vendor_output_h100e, kHash),
      field("thefts", &F::thefts, kHash),
  };
};

template <>
struct Table<Outcomes> {
  using O = Outcomes;
  static constexpr Options kHash{.shown = kHashOnly};
  static constexpr auto fields = std::tuple{
      field("lead_months", &O::lead_months, kHash),
      field("pair_lead_months", &O::pair_lead_months, {.keys = Keys::LabPair, .shown = kHashOnly}),
      field("compute_ratio_us_cn", &O::compute_ratio_us_cn, kHash),
      field("compute_h100e", &O::compute_h100e, {.keys = Keys::Bloc, .shown = kHashOnly}),
      field("best_capability_oom", &O::best_capability_oom, {.keys = Keys::Bloc, .shown = kHashOnly}),
      field("shares", &O::shares, {.keys = Keys::MarketStack, .shown = kHashOnly}),
      field("stack_price_usd_per_mtok", &O::stack_price_usd_per_mtok, {.keys = Keys::Stack, .shown = kHashOnly}),
      field("norm_index", &O::norm_index, kHash),
      field("open_weights_oom", &O::open_weights_oom, kHash),
      field("thefts_total", &O::thefts_total, kHash),
      field("surveillance_exports", &O::surveillance_exports, kHash),
      field("scores", &O::scores, {.keys = Keys::Actor, .shown = kHashOnly}),
  };
};

template <>
struct Table<Quarter> {
  static constexpr auto fields = std::tuple{
      field("year", &Quarter::year, {.shown = kHashOnly}),
      field("q", &Quarter::q, {.shown = kHashOnly}),
  };
};

template <>
struct Table<State> {
  using S = State;
  static constexpr Options kHash{.shown = kHashOnly};
  static constexpr auto fields = std::tuple{
      field("seed", &S::seed, kHash),
      field("round", &S::round, kHash),
      field("quarter", &S::quarter, kHash),
      field("actors", &S::actors, kHash),
      field("markets", &S::markets, {.keys = Keys::Market, .shown = kHashOnly}),
      field("hubs", &S::hubs, kHash),
      field("rng", &S::rng, kHash),
      field("flows", &S::flows, kHash),
      field("outcomes", &S::outcomes, kHash),
      field("events", &S::events, kHash),
      field("fired_once", &S::fired_once, kHash),
      field("thefts_total", &S::thefts_total, kHash),
      field("cum_smuggled_h100e", &S::cum_smuggled_h100e, kHash),
  };
};

// --- Every member has an entry -------------------------------------------------

namespace detail {

// Converts to any member type, so S{AnyMember<0>{}, ..., AnyMember<N-1>{}}
// compiles exactly when S is an aggregate with at least N members. Only
// named in unevaluated contexts, never defined.
template <std::size_t>
struct AnyMember {
  template <typename T>
  operator T() const;  // NOLINT(google-explicit-constructor)
};

template <typename S, std::size_t... I>
concept InitialisableFrom = requires {
  S{AnyMember<I>{}...};
};

// The most members S{...} takes, searched downwards: fewer may not compile
// (a member without a default initializer whose default constructor is
// explicit, like Rng's, cannot be left out).
inline constexpr std::size_t kMostMembers = 64;

template <typename S, std::size_t N = kMostMembers>
constexpr std::size_t member_count() {
  constexpr bool fits = []<std::size_t... I>(std::index_sequence<I...>) { return InitialisableFrom<S, I...>; }
  (std::make_index_sequence<N>{});
  if constexpr (N == 0 || fits) {
    static_assert(N < kMostMembers, "raise kMostMembers");
    return N;
  } else {
    return member_count<S, N - 1>();
  }
}

}  // namespace detail

template <typename S>
inline constexpr bool complete = detail::member_count<S>() == count<S>;

static_assert(complete<Policy>, "a member of Policy has no entry in Table<Policy>");
static_assert(complete<Spending>, "a member of Spending has no entry in Table<Spending>");
static_assert(complete<GovernmentState>, "a member of GovernmentState has no entry in its table");
static_assert(complete<VendorState>, "a member of VendorState has no entry in its table");
static_assert(complete<LabState>, "a member of LabState has no entry in its table");
static_assert(complete<Actor>, "a member of Actor has no entry in Table<Actor>");
static_assert(complete<Estimate>, "a member of Estimate has no entry in Table<Estimate>");
static_assert(complete<PublicIndicators>, "a member of PublicIndicators has no entry in its table");
static_assert(complete<Event>, "a member of Event has no entry in Table<Event>");
static_assert(complete<Market>, "a member of Market has no entry in Table<Market>");
static_assert(complete<Hubs>, "a member of Hubs has no entry in Table<Hubs>");
static_assert(complete<Flows>, "a member of Flows has no entry in Table<Flows>");
static_assert(complete<Outcomes>, "a member of Outcomes has no entry in Table<Outcomes>");
static_assert(complete<Quarter>, "a member of Quarter has no entry in Table<Quarter>");
static_assert(complete<State>, "a member of State has no entry in Table<State>");

}  // namespace leadtime::fields
