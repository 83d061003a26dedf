#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/scenario.h"
#include "engine/state.h"

namespace leadtime {

// What one actor believes about another: estimates whose noise shrinks with
// the viewer's intelligence spending. Fields that make no sense for the kind
// stay 0.
struct Estimate {
  int actor = kNoActor;
  std::string id;
  ActorKind kind = ActorKind::Government;
  Bloc bloc = Bloc::US;
  double cash_usd_b = 0;
  double compute_h100e = 0;
  double capability_oom = 0;
  double capacity_h100e = 0;
  double noise_sd = 0;  // log-normal sd used, so a client can show error bars
};

// Public indicators: the same noisy public estimate for everyone (published
// benchmarks and compute trackers), exact market shares and sizes.
struct PublicIndicators {
  double lead_months = 0;
  double compute_ratio_us_cn = 0;
  std::array<std::array<double, kStackCount>, kMarketCount> shares{};
  std::array<double, kMarketCount> market_size_usd_b{};
  double norm_index = 0;
  double surveillance_exports = 0;
  int thefts_public = 0;
  double seized_h100e = 0;  // seized this round, borders and cases, told in a round with a public case
};

struct View {
  int round = 0;
  Quarter quarter;
  int viewer = kNoActor;      // kNoActor: an observer
  std::optional<Actor> self;  // exact, with standing policy and spending
  double own_score = 0;
  std::vector<Estimate> others;  // every actor but the viewer
  PublicIndicators indicators;
  std::vector<Event> events;  // events of the last round this viewer may see
};

// The view of a seat (viewer = actor index) or of an observer (kNoActor).
// Deterministic: derived from the state and its seed, never from the match
// generator, so building views cannot change a match.
View make_view(const State& state, const Coefficients& coef, int viewer);
PublicIndicators public_indicators(const State& state, const Coefficients& coef);
bool may_see(const Event& event, int viewer);

// The parts of a view, each as make_view builds it.
double own_score(const State& state, int viewer);
std::vector<Estimate> estimates(const State& state, const Coefficients& coef, int viewer);
std::vector<Event> visible_events(const State& state, int viewer);

// A view whose parts are built when first asked for, for readers that look
// at a few of them: a bot's decision reads a field or two, and the
// estimates alone (four normal draws per actor) cost more than most
// decisions. Every part equals make_view's, whenever it is built. Either
// over a view built whole or over the state itself; the state (and the view)
// must outlive it.
class ViewParts {
 public:
  ViewParts(const View& whole, const State& state);
  ViewParts(const State& state, const Coefficients& coef, int viewer);

  [[nodiscard]] const State& state() const { return *state_; }
  [[nodiscard]] int round() const { return whole_ ? whole_->round : state_->round; }
  [[nodiscard]] Quarter quarter() const { return whole_ ? whole_->quarter : state_->quarter; }
  [[nodiscard]] double own_score() const;
  [[nodiscard]] const Actor* self() const;  // null for an observer
  const std::vector<Estimate>& others();
  const PublicIndicators& indicators();
  const std::vector<Event>& events();

 private:
  const View* whole_ = nullptr;
  const State* state_;
  const Coefficients* coef_ = nullptr;
  int viewer_ = kNoActor;
  std::optional<std::vector<Estimate>> others_;
  std::optional<PublicIndicators> indicators_;
  std::optional<std::vector<Event>> events_;
};

}  // namespace leadtime
