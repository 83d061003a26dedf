#pragma once

#include <vector>

#include "engine/orders.h"
#include "engine/scenario.h"
#include "engine/state.h"

namespace leadtime {

// Resolves one round in model.md's fixed order. Everything the round depends
// on is in the arguments (the generator lives in the state), so the same
// inputs always give the same state.
void resolve(State& state, const Scenario& scenario, const RoundOrders& orders,
             const std::vector<Inject>& injects = {});

// The steps, in order; each is tested on its own.
void apply_policies(State& state, const Coefficients& coef, const RoundOrders& orders);        // 1
void pay_budgets(State& state, const Coefficients& coef);                                      // 2
void produce_chips(State& state, const Coefficients& coef);                                    // 3
void sell_chips(State& state, const Coefficients& coef);                                       // 4
void smuggle_chips(State& state, const Coefficients& coef);                                    // 5
void rent_offshore(State& state, const Coefficients& coef);                                    // 6
void train_models(State& state, const Coefficients& coef);                                     // 7
void leak_models(State& state, const Coefficients& coef);                                      // 8
void accelerate_research(State& state, const Coefficients& coef);                              // 9
void adopt_stacks(State& state, const Coefficients& coef);                                     // 10
void settle_money(State& state, const Coefficients& coef);                                     // 11
void fire_events(State& state, const Scenario& scenario, const std::vector<Inject>& injects);  // 12
void compute_outcomes(State& state, const Scenario& scenario);                                 // 13

// Shared helpers used by several steps.
double interdiction(double enforcement_usd_b, double half_usd_b);
double defence_level(double level, double invest_usd_b, const Coefficients& coef);
int government_of(const State& state, Bloc bloc);  // kNoActor if the bloc has none
double bloc_compute_h100e(const State& state, Bloc bloc);
int best_lab(const State& state, Bloc bloc);  // highest capability, kNoActor if none
// A stack's price: its bloc's cheapest lab, discounted once the bloc has
// released open weights; 0 if the bloc has no lab.
double stack_price(const State& state, Bloc bloc, const Coefficients& coef);

}  // namespace leadtime
