#include "engine/views.h"

#include <cmath>

namespace leadtime {
namespace {

constexpr std::uint64_t kPublicStream = 0xFFFF;

double estimate_sd(const Actor& viewer, const Coefficients& coef) {
  return coef.view_noise * coef.intel_half_usd_b / (coef.intel_half_usd_b + viewer.spent.intelligence);
}

Estimate estimate(const State& state, std::size_t target, double sd, Rng& rng) {
  const Actor& a = state.actors[target];
  Estimate e{static_cast<int>(target), a.id, a.kind, a.bloc, 0, 0, 0, 0, sd};
  // Four draws always, whatever the kind, so one estimate never shifts another.
  const double z_cash = rng.normal();
  const double z_compute = rng.normal();
  const double z_capability = rng.normal();
  const double z_capacity = rng.normal();
  e.cash_usd_b = a.cash_usd_b * std::exp(sd * z_cash);
  if (a.kind == ActorKind::Lab) {
    e.compute_h100e = (a.lab.compute_h100e + a.lab.offshore_h100e) * std::exp(sd * z_compute);
    e.capability_oom = a.lab.capability_oom + 0.5 * sd * z_capability;
  }
  if (a.kind == ActorKind::Vendor) e.capacity_h100e = a.vendor.capacity_h100e * std::exp(sd * z_capacity);
  return e;
}

}  // namespace

bool may_see(const Event& event, int viewer) {
  switch (event.visibility) {
    case Visibility::Public:
      return true;
    case Visibility::Private:
      for (int a : event.audience) {
        if (a == viewer) return true;
      }
      return false;
    case Visibility::Facilitator:
      return false;
  }
  return false;
}

PublicIndicators public_indicators(const State& state, const Coefficients& coef) {
  Rng rng(derive_seed(state.seed, static_cast<std::uint64_t>(state.round), kPublicStream));
  const double sd = coef.view_noise / 2;
  PublicIndicators p;
  p.lead_months = state.outcomes.lead_months + sd * coef.months_per_oom * 0.5 * rng.normal();
  p.compute_ratio_us_cn = state.outcomes.compute_ratio_us_cn * std::exp(sd * rng.normal());
  for (std::size_t m = 0; m < kMarketCount; ++m) {
    p.shares[m] = state.markets[m].share;
    p.market_size_usd_b[m] = state.markets[m].size_usd_b;
  }
  p.norm_index = state.outcomes.norm_index;
  p.surveillance_exports = state.outcomes.surveillance_exports;
  for (const Event& e : state.events) {
    if (e.kind == "weight_theft" && e.visibility == Visibility::Public) p.thefts_public += 1;
    if (e.kind == "smuggling_case") p.seized_h100e = state.flows.seized_h100e;
  }
  return p;
}

double own_score(const State& state, int viewer) {
  if (viewer == kNoActor || static_cast<std::size_t>(viewer) >= state.outcomes.scores.size()) return 0;
  return state.outcomes.scores[static_cast<std::size_t>(viewer)];
}

std::vector<Estimate> estimates(const State& state, const Coefficients& coef, int viewer) {
  std::vector<Estimate> others;
  // Observers get public information only: no estimates of anyone.
  if (viewer == kNoActor) return others;
  const double sd = estimate_sd(state.actors[static_cast<std::size_t>(viewer)], coef);
  Rng rng(derive_seed(state.seed, static_cast<std::uint64_t>(state.round), static_cast<std::uint64_t>(viewer + 1)));
  others.reserve(state.actors.size() - 1);
  for (std::size_t i = 0; i < state.actors.size(); ++i) {
    if (static_cast<int>(i) == viewer) continue;
    others.push_back(estimate(state, i, sd, rng));
  }
  return others;
}

std::vector<Event> visible_events(const State& state, int viewer) {
  std::vector<Event> events;
  for (const Event& e : state.events) {
    if (may_see(e, viewer)) events.push_back(e);
  }
  return events;
}

View make_view(const State& state, const Coefficients& coef, int viewer) {
  View v;
  v.round = state.round;
  v.quarter = state.quarter;
  v.viewer = viewer;
  v.indicators = public_indicators(state, coef);
  if (viewer != kNoActor) v.self = state.actors[static_cast<std::size_t>(viewer)];
  v.own_score = own_score(state, viewer);
  v.others = estimates(state, coef, viewer);
  v.events = visible_events(state, viewer);
  return v;
}

ViewParts::ViewParts(const View& whole, const State& state) : whole_(&whole), state_(&state) {}

ViewParts::ViewParts(const State& state, const Coefficients& coef, int viewer)
    : state_(&state), coef_(&coef), viewer_(viewer) {}

double ViewParts::own_score() const { return whole_ ? whole_->own_score : leadtime::own_score(*state_, viewer_); }

const Actor* ViewParts::self() const {
  if (whole_) return whole_->self ? &*whole_->self : nullptr;
  return viewer_ == kNoActor ? nullptr : &state_->actors[static_cast<std::size_t>(viewer_)];
}

const std::vector<Estimate>& ViewParts::others() {
  if (whole_) return whole_->others;
  if (!others_) others_ = estimates(*state_, *coef_, viewer_);
  return *others_;
}

const PublicIndicators& ViewParts::indicators() {
  if (whole_) return whole_->indicators;
  if (!indicators_) indicators_ = public_indicators(*state_, *coef_);
  return *indicators_;
}

const std::vector<Event>& ViewParts::events() {
  if (whole_) return whole_->events;
  if (!events_) events_ = visible_events(*state_, viewer_);
  return *events_;
}

}  // namespace leadtime
