// The numbers of the world a scenario starts from: coefficients (with local
// preferences), the four markets and the SEA hubs.
#include <algorithm>
#include <cmath>
#include <lua.hpp>

#include "engine/coefficients.h"
#include "engine/fields.h"
#include "engine/lua/scenario_sections.h"

namespace leadtime::scenario_detail {
namespace {

constexpr double kShareTolerance = 1e-6;
// Local preference adds to a stack's attractiveness; beyond this it would
// swamp every other term of the adoption model.
constexpr double kPreferenceLimit = 100;

const CoefficientField* find_coefficient(std::string_view name) {
  const auto fields = coefficient_fields();
  const auto it = std::find_if(fields.begin(), fields.end(), [&](const CoefficientField& f) { return f.name == name; });
  return it == fields.end() ? nullptr : &*it;
}

void read_local_preference(lua_State* L, int coefficients, Coefficients& coef) {
  StackGuard guard(L);
  const std::string path = "coefficients.local_preference";
  const std::optional<int> table =
      open_table(L, coefficients, "coefficients", "local_preference", "a table of preferences per market");
  if (!table) return;
  check_keys(L, *table, path, any_of_names(kMarketNames));
  for (std::size_t m = 0; m < kMarketCount; ++m) {
    StackGuard market_guard(L);
    const std::optional<int> market = open_table(L, *table, path, kMarketNames[m],
                                                 "a table of preferences per stack, { US = ..., CN = ..., EU = ... }");
    if (!market) continue;
    const std::string here = field_path(path, kMarketNames[m]);
    check_keys(L, *market, here, any_of_names(kStackNames));
    for (std::size_t s = 0; s < kStackCount; ++s) {
      coef.local_preference[m][s] =
          optional_number(L, *market, here, kStackNames[s], number_range(-kPreferenceLimit, kPreferenceLimit))
              .value_or(0);
    }
  }
}

std::array<double, kStackCount> read_shares(lua_State* L, int market, const std::string& path) {
  StackGuard guard(L);
  const std::optional<int> table = open_table(L, market, path, "share", "a table of stack shares");
  if (!table) fail(path, missing("share", "stack shares { US = ..., CN = ..., EU = ... } summing to 1"));
  const std::string here = field_path(path, "share");
  check_keys(L, *table, here, any_of_names(kStackNames));
  NumberRule share_rule = number_range(0, 1);
  share_rule.expected = "a share from 0 to 1";
  std::array<double, kStackCount> shares{};
  double sum = 0;
  for (std::size_t s = 0; s < kStackCount; ++s) {
    shares[s] = optional_number(L, *table, here, kStackNames[s], share_rule).value_or(0);
    sum += shares[s];
  }
  if (std::abs(sum - 1) > kShareTolerance) fail(here, "shares must sum to 1, got " + format_number(sum, 12));
  return shares;
}

Market read_market(lua_State* L, int table, const std::string& path) {
  check_keys(L, table, path, [](std::string_view key) { return key == "share" || find_market_field(key) != nullptr; });
  Market market;
  for (const MarketField& f : market_fields()) {
    if (const auto v = optional_number(L, table, path, f.name, number_range(f.min, f.max))) f.ref(market) = *v;
  }
  market.share = read_shares(L, table, path);
  return market;
}

}  // namespace

Coefficients read_coefficients(lua_State* L, int root, Problems& problems) {
  Coefficients coef;
  StackGuard guard(L);
  const std::optional<int> table = open_table(L, root, "", "coefficients", "a table of coefficients");
  if (!table) return coef;
  const std::string path = "coefficients";
  problems.attempt([&] {
    check_keys(L, *table, path,
               [](std::string_view key) { return key == "local_preference" || find_coefficient(key) != nullptr; });
  });
  for (const CoefficientField& f : coefficient_fields()) {
    problems.attempt([&] {
      if (const auto v = optional_number(L, *table, path, f.name, number_range(f.min, f.max))) coef.*(f.member) = *v;
    });
  }
  problems.attempt([&] { read_local_preference(L, *table, coef); });
  return coef;
}

void read_markets(lua_State* L, int root, State& state, Problems& problems) {
  StackGuard guard(L);
  const std::optional<int> table = open_table(L, root, "", "markets", "a table of markets");
  if (!table) fail("", missing("markets", "a table with the markets US, CN, EU and ROW"));
  problems.attempt([&] { check_keys(L, *table, "markets", any_of_names(kMarketNames)); });
  for (std::size_t m = 0; m < kMarketCount; ++m) {
    problems.attempt([&] {
      StackGuard market_guard(L);
      constexpr std::string_view kExpected = "a market table { size_usd_b = ..., growth = ..., share = {...} }";
      const std::optional<int> market = open_table(L, *table, "markets", kMarketNames[m], kExpected);
      if (!market) fail("markets", missing(kMarketNames[m], kExpected));
      state.markets[m] = read_market(L, *market, field_path("markets", kMarketNames[m]));
    });
  }
}

Hubs read_hubs(lua_State* L, int root) {
  Hubs hubs;
  StackGuard guard(L);
  const std::optional<int> table = open_table(L, root, "", "hubs", "a table of hub fields");
  if (!table) return hubs;
  check_keys(L, *table, "hubs", [](std::string_view key) { return find_hub_field(key) != nullptr; });
  for (const HubField& f : hub_fields()) {
    if (const auto v = optional_number(L, *table, "hubs", f.name, number_range(f.min, f.max))) f.ref(hubs) = *v;
  }
  return hubs;
}

}  // namespace leadtime::scenario_detail
