#include <algorithm>
#include <limits>
#include <map>

#include "engine/resolve.h"

namespace leadtime {
namespace {

constexpr double kUnlimited = std::numeric_limits<double>::infinity();

struct Buyer {
  int actor;  // kNoActor for the SEA hubs
  Bloc bloc;
  double money_usd_b;
  double bought_h100e = 0;
  double downgraded_allowance_usd_b = 0;  // set once, before any purchase
};

// What a vendor may sell into a bloc under the exporting government's tier:
// up to two products, each with a price per H100e and a volume cap per bloc.
struct Product {
  double price_usd;
  double cap_h100e;
  bool downgraded = false;
};

std::vector<Product> products_for(const State& state, const Actor& vendor, Bloc dest, const Coefficients& coef) {
  const double list = vendor.policy.chip_price_usd;
  if (dest == vendor.bloc) return {{list, kUnlimited}};
  const int exporter = government_of(state, vendor.bloc);
  const int tier = exporter == kNoActor ? 3
                                        : state.actors[static_cast<std::size_t>(exporter)]
                                              .policy.export_tier[static_cast<std::size_t>(bloc_index(dest))];
  const Product downgraded{list * coef.downgraded_price_factor, kUnlimited, true};
  switch (tier) {
    case 0:
      return {};
    case 1:
      return vendor.policy.compliant_chip ? std::vector<Product>{downgraded} : std::vector<Product>{};
    case 2: {
      const double licensed_h100e = state.actors[static_cast<std::size_t>(exporter)].policy.licensed_firms *
                                    coef.licence_chips_per_firm * coef.licensed_h100e_per_chip;
      std::vector<Product> out{{list, licensed_h100e}};
      if (vendor.policy.compliant_chip) out.push_back(downgraded);
      return out;
    }
    default:
      return {{list, kUnlimited}};
  }
}

bool banned_foreign_chips(const State& state, Bloc buyer) {
  const int gov = government_of(state, buyer);
  return gov != kNoActor && state.actors[static_cast<std::size_t>(gov)].policy.foreign_chip_ban;
}

int priority_of(const Actor& vendor, int buyer) {
  const auto& p = vendor.policy.allocation_priority;
  if (buyer == kNoActor || static_cast<std::size_t>(buyer) >= p.size()) return 0;
  return p[static_cast<std::size_t>(buyer)];
}

// Grants each buyer's request within the vendor's supply: highest priority
// first, pro rata within a priority.
std::vector<double> allocate(const Actor& vendor, const std::vector<Buyer>& buyers, const std::vector<double>& wants,
                             double& supply_h100e) {
  std::vector<double> got(buyers.size(), 0);
  std::map<int, std::vector<std::size_t>, std::greater<>> groups;
  for (std::size_t i = 0; i < buyers.size(); ++i) {
    if (wants[i] > 0) groups[priority_of(vendor, buyers[i].actor)].push_back(i);
  }
  for (const auto& [priority, members] : groups) {
    double want = 0;
    for (std::size_t i : members) want += wants[i];
    const double share = want <= supply_h100e ? 1.0 : supply_h100e / want;
    for (std::size_t i : members) got[i] = wants[i] * share;
    supply_h100e = std::max(0.0, supply_h100e - want * share);
  }
  return got;
}

// One allocation round of a vendor: every eligible buyer asks for its
// rank-th product (licensed before downgraded), capped per destination bloc.
void sell_rank(State& state, Actor& vendor, bool domestic, std::size_t rank, std::vector<Buyer>& buyers,
               double& supply_h100e, const Coefficients& coef) {
  std::vector<double> wants(buyers.size(), 0);
  std::vector<double> prices(buyers.size(), 0);
  std::vector<char> downgraded(buyers.size(), 0);
  for (const Bloc dest : {Bloc::US, Bloc::CN, Bloc::EU, Bloc::SEA, Bloc::ROW}) {
    if ((dest == vendor.bloc) != domestic) continue;
    if (!domestic && banned_foreign_chips(state, dest)) continue;
    const std::vector<Product> products = products_for(state, vendor, dest, coef);
    if (rank >= products.size()) continue;
    const Product& product = products[rank];
    double bloc_want = 0;
    for (std::size_t i = 0; i < buyers.size(); ++i) {
      if (buyers[i].bloc != dest) continue;
      prices[i] = product.price_usd;
      downgraded[i] = product.downgraded ? 1 : 0;
      const double money = product.downgraded ? std::min(buyers[i].money_usd_b, buyers[i].downgraded_allowance_usd_b)
                                              : buyers[i].money_usd_b;
      wants[i] = money * 1e9 / product.price_usd;
      bloc_want += wants[i];
    }
    if (bloc_want > product.cap_h100e) {
      for (std::size_t i = 0; i < buyers.size(); ++i) {
        if (buyers[i].bloc == dest) wants[i] *= product.cap_h100e / bloc_want;
      }
    }
  }
  const std::vector<double> got = allocate(vendor, buyers, wants, supply_h100e);
  for (std::size_t i = 0; i < buyers.size(); ++i) {
    if (got[i] <= 0) continue;
    const double paid_usd_b = got[i] * prices[i] / 1e9;
    buyers[i].money_usd_b = std::max(0.0, buyers[i].money_usd_b - paid_usd_b);
    if (downgraded[i] != 0) {
      buyers[i].downgraded_allowance_usd_b = std::max(0.0, buyers[i].downgraded_allowance_usd_b - paid_usd_b);
    }
    buyers[i].bought_h100e += got[i];
    vendor.vendor.revenue_usd_b += paid_usd_b;
    vendor.vendor.sold_h100e += got[i];
    state.flows.legal_h100e[static_cast<std::size_t>(bloc_index(buyers[i].bloc))] += got[i];
    if (buyers[i].bloc == Bloc::CN && vendor.bloc == Bloc::CN) state.flows.cn_domestic_h100e += got[i];
  }
}

std::vector<Buyer> collect_buyers(State& state, const Coefficients& coef) {
  std::vector<Buyer> buyers;
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
      double supply = vendor.vendor.output_h100e - vendor.vendor.sold_h100e;
      for (std::size_t rank = 0; rank < 2; ++rank) sell_rank(state, vendor, domestic, rank, buyers, supply, coef);
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
