#include <algorithm>
#include <array>
#include <initializer_list>
#include <limits>
#include <optional>

#include "engine/resolve.h"

namespace leadtime {
namespace {

constexpr double kUnlimited = std::numeric_limits<double>::infinity();

// A buyer, and what the vendor being allocated offers it in the current
// allocation round (reset by sell_rank), kept together so a round allocates
// nothing.
struct Buyer {
  int actor;  // kNoActor for the SEA hubs
  Bloc bloc;
  double money_usd_b;
  double bought_h100e = 0;
  double downgraded_allowance_usd_b = 0;  // set once, before any purchase
  double want_h100e = 0;
  double price_usd = 0;
  bool downgraded = false;
  double got_h100e = 0;
};

// What a vendor may sell into a bloc under the exporting government's tier:
// up to two products, each with a price per H100e and a volume cap per bloc.
struct Product {
  double price_usd;
  double cap_h100e;
  bool downgraded = false;
};

// A fixed array, not a vector: products_for runs dozens of times a round, and
// its allocations with sell_rank's were a sixth of a round's time.
struct Products {
  std::array<Product, 2> items{};
  std::size_t count = 0;

  Products() = default;
  Products(std::initializer_list<Product> products) {
    for (const Product& p : products) items[count++] = p;
  }
};

// Each bloc's government, as government_of finds it: nothing this step
// changes decides it, and sell_rank asks dozens of times a round.
using Governments = std::array<int, kBlocCount>;

// In one pass: each bloc's first government, as government_of finds it.
Governments governments(const State& state) {
  Governments govs;
  govs.fill(kNoActor);
  for (std::size_t i = 0; i < state.actors.size(); ++i) {
    const Actor& a = state.actors[i];
    int& gov = govs[static_cast<std::size_t>(bloc_index(a.bloc))];
    if (a.kind == ActorKind::Government && gov == kNoActor) gov = static_cast<int>(i);
  }
  return govs;
}

int government_in(const Governments& govs, Bloc bloc) { return govs[static_cast<std::size_t>(bloc_index(bloc))]; }

Products products_for(const State& state, const Governments& govs, const Actor& vendor, Bloc dest,
                      const Coefficients& coef) {
  const double list = vendor.policy.chip_price_usd;
  if (dest == vendor.bloc) return {{list, kUnlimited}};
  const int exporter = government_in(govs, vendor.bloc);
  const int tier = exporter == kNoActor ? 3
                                        : state.actors[static_cast<std::size_t>(exporter)]
                                              .policy.export_tier[static_cast<std::size_t>(bloc_index(dest))];
  const Product downgraded{list * coef.downgraded_price_factor, kUnlimited, true};
  switch (tier) {
    case 0:
      return {};
    case 1:
      return vendor.policy.compliant_chip ? Products{downgraded} : Products{};
    case 2: {
      const double licensed_h100e = state.actors[static_cast<std::size_t>(exporter)].policy.licensed_firms *
                                    coef.licence_chips_per_firm * coef.licensed_h100e_per_chip;
      const Product licensed{list, licensed_h100e};
      return vendor.policy.compliant_chip ? Products{licensed, downgraded} : Products{licensed};
    }
    default:
      return {{list, kUnlimited}};
  }
}

bool banned_foreign_chips(const State& state, const Governments& govs, Bloc buyer) {
  const int gov = government_in(govs, buyer);
  return gov != kNoActor && state.actors[static_cast<std::size_t>(gov)].policy.foreign_chip_ban;
}

int priority_of(const Actor& vendor, int buyer) {
  const auto& p = vendor.policy.allocation_priority;
  if (buyer == kNoActor || static_cast<std::size_t>(buyer) >= p.size()) return 0;
  return p[static_cast<std::size_t>(buyer)];
}

// The highest priority among buyers who want chips, below `below` when set;
// nullopt when there is none.
std::optional<int> next_priority(const Actor& vendor, const std::vector<Buyer>& buyers, std::optional<int> below) {
  std::optional<int> next;
  for (const Buyer& b : buyers) {
    if (!(b.want_h100e > 0)) continue;
    const int p = priority_of(vendor, b.actor);
    if ((!below || p < *below) && (!next || p > *next)) next = p;
  }
  return next;
}

// Grants each buyer's request within the vendor's supply: highest priority
// first, pro rata within a priority (members summed in buyer order).
void allocate(const Actor& vendor, std::vector<Buyer>& buyers, double& supply_h100e) {
  for (Buyer& b : buyers) b.got_h100e = 0;
  for (std::optional<int> priority = next_priority(vendor, buyers, std::nullopt); priority;
       priority = next_priority(vendor, buyers, priority)) {
    auto member = [&](const Buyer& b) { return b.want_h100e > 0 && priority_of(vendor, b.actor) == *priority; };
    double want = 0;
    for (const Buyer& b : buyers) {
      if (member(b)) want += b.want_h100e;
    }
    const double share = want <= supply_h100e ? 1.0 : supply_h100e / want;
    for (Buyer& b : buyers) {
      if (member(b)) b.got_h100e = b.want_h100e * share;
    }
    supply_h100e = std::max(0.0, supply_h100e - want * share);
  }
}

// What a vendor offers each destination bloc in one pass (domestic or
// foreign), none where the pass or a foreign-chip ban excludes it. Nothing
// sell_chips changes decides it, so it is found once for both ranks.
struct Offers {
  std::array<Products, kBlocCount> to_bloc{};
  std::size_t ranks = 0;  // the most products any bloc is offered
};

Offers offers_of(const State& state, const Governments& govs, const Actor& vendor, bool domestic,
                 const Coefficients& coef) {
  Offers out;
  for (const Bloc dest : {Bloc::US, Bloc::CN, Bloc::EU, Bloc::SEA, Bloc::ROW}) {
    if ((dest == vendor.bloc) != domestic) continue;
    if (!domestic && banned_foreign_chips(state, govs, dest)) continue;
    Products& products = out.to_bloc[static_cast<std::size_t>(bloc_index(dest))];
    products = products_for(state, govs, vendor, dest, coef);
    out.ranks = std::max(out.ranks, products.count);
  }
  return out;
}

// One allocation round of a vendor: every eligible buyer asks for its
// rank-th product (licensed before downgraded), capped per destination bloc.
void sell_rank(State& state, Actor& vendor, const Offers& offers, std::size_t rank, std::vector<Buyer>& buyers,
               double& supply_h100e) {
  for (Buyer& b : buyers) {
    b.want_h100e = 0;
    b.price_usd = 0;
    b.downgraded = false;
  }
  for (const Bloc dest : {Bloc::US, Bloc::CN, Bloc::EU, Bloc::SEA, Bloc::ROW}) {
    const Products& products = offers.to_bloc[static_cast<std::size_t>(bloc_index(dest))];
    if (rank >= products.count) continue;
    const Product& product = products.items[rank];
    double bloc_want = 0;
    for (Buyer& b : buyers) {
      if (b.bloc != dest) continue;
      b.price_usd = product.price_usd;
      b.downgraded = product.downgraded;
      const double money = product.downgraded ? std::min(b.money_usd_b, b.downgraded_allowance_usd_b) : b.money_usd_b;
      b.want_h100e = money * 1e9 / product.price_usd;
      bloc_want += b.want_h100e;
    }
    if (bloc_want > product.cap_h100e) {
      for (Buyer& b : buyers) {
        if (b.bloc == dest) b.want_h100e *= product.cap_h100e / bloc_want;
      }
    }
  }
  // Nobody asking (no product of this rank anywhere) leaves nothing to allocate.
  if (std::none_of(buyers.begin(), buyers.end(), [](const Buyer& b) { return b.want_h100e > 0; })) return;
  allocate(vendor, buyers, supply_h100e);
  for (Buyer& b : buyers) {
    if (b.got_h100e <= 0) continue;
    const double paid_usd_b = b.got_h100e * b.price_usd / 1e9;
    b.money_usd_b = std::max(0.0, b.money_usd_b - paid_usd_b);
    if (b.downgraded) b.downgraded_allowance_usd_b = std::max(0.0, b.downgraded_allowance_usd_b - paid_usd_b);
    b.bought_h100e += b.got_h100e;
    vendor.vendor.revenue_usd_b += paid_usd_b;
    vendor.vendor.sold_h100e += b.got_h100e;
    state.flows.legal_h100e[static_cast<std::size_t>(bloc_index(b.bloc))] += b.got_h100e;
    if (b.bloc == Bloc::CN && vendor.bloc == Bloc::CN) state.flows.cn_domestic_h100e += b.got_h100e;
  }
}

std::vector<Buyer> collect_buyers(State& state, const Coefficients& coef) {
  std::vector<Buyer> buyers;
  buyers.reserve(state.actors.size() + 1);  // the labs and the hubs
  for (std::size_t i = 0; i < state.actors.size(); ++i) {
    const Actor& a = state.actors[i];
    if (a.kind == ActorKind::Lab) buyers.push_back({static_cast<int>(i), a.bloc, a.spent.chips});
  }
  // Sovereignty money buys chips for the bloc's labs, split by their compute.
  for (const Actor& gov : state.actors) {
    if (gov.kind != ActorKind::Government || gov.spent.sovereignty <= 0) continue;
    const double money = gov.spent.sovereignty * coef.sovereignty_compute_share;
    const double compute = bloc_compute_h100e(state, gov.bloc);
    int labs = 0;
    for (const Buyer& b : buyers) labs += b.bloc == gov.bloc ? 1 : 0;
    for (Buyer& b : buyers) {
      if (b.bloc != gov.bloc) continue;
      const Actor& lab = state.actors[static_cast<std::size_t>(b.actor)];
      b.money_usd_b += compute > 0 ? money * lab.lab.compute_h100e / compute : money / labs;
    }
  }
  buyers.push_back({kNoActor, Bloc::SEA, state.hubs.capex_usd_b});
  for (Buyer& b : buyers) b.downgraded_allowance_usd_b = b.money_usd_b * coef.downgraded_budget_share;
  return buyers;
}

void deliver(State& state, const std::vector<Buyer>& buyers) {
  for (const Buyer& b : buyers) {
    if (b.actor == kNoActor) {
      state.hubs.compute_h100e += b.bought_h100e;
      continue;
    }
    LabState& lab = state.actors[static_cast<std::size_t>(b.actor)].lab;
    lab.compute_h100e += b.bought_h100e;
    lab.bought_h100e = b.bought_h100e;
    lab.chip_money_left_usd_b = b.money_usd_b;
  }
}

}  // namespace

void sell_chips(State& state, const Coefficients& coef) {
  std::vector<Buyer> buyers = collect_buyers(state, coef);
  const Governments govs = governments(state);
  for (Actor& a : state.actors) {
    if (a.kind == ActorKind::Vendor) {
      a.vendor.revenue_usd_b = 0;
      a.vendor.sold_h100e = 0;
    }
  }
  // Domestic vendors first, then foreign ones: a bloc buys at home when it can.
  for (const bool domestic : {true, false}) {
    for (Actor& vendor : state.actors) {
      if (vendor.kind != ActorKind::Vendor) continue;
      const Offers offers = offers_of(state, govs, vendor, domestic, coef);
      double supply = vendor.vendor.output_h100e - vendor.vendor.sold_h100e;
      // A rank no bloc is offered would allocate nothing.
      for (std::size_t rank = 0; rank < offers.ranks; ++rank) sell_rank(state, vendor, offers, rank, buyers, supply);
    }
  }
  deliver(state, buyers);
  // Output nobody here bought goes to the rest of the world at list price.
  for (Actor& vendor : state.actors) {
    if (vendor.kind != ActorKind::Vendor) continue;
    const double unsold = std::max(0.0, vendor.vendor.output_h100e - vendor.vendor.sold_h100e);
    vendor.vendor.revenue_usd_b += unsold * vendor.policy.chip_price_usd / 1e9;
  }
}

}  // namespace leadtime
