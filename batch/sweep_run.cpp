#include "batch/sweep_run.h"

#include <xxhash.h>

#include <cmath>
#include <cstring>

#include "batch/headless.h"

namespace leadtime::sweep {
namespace {

// Bumped whenever the meaning of a stored row changes.
constexpr std::string_view kFormat = "leadtime-sweep-1";

class Fingerprint {
 public:
  Fingerprint() : state_(XXH3_createState()) { XXH3_64bits_reset(state_); }
  ~Fingerprint() { XXH3_freeState(state_); }
  Fingerprint(const Fingerprint&) = delete;
  Fingerprint& operator=(const Fingerprint&) = delete;

  void add(std::string_view text) {
    add(static_cast<std::uint64_t>(text.size()));
    XXH3_64bits_update(state_, text.data(), text.size());
  }
  void add(std::uint64_t v) {
    unsigned char bytes[8];
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(v >> (8U * static_cast<unsigned>(i)));
    XXH3_64bits_update(state_, bytes, sizeof bytes);
  }
  void add(double v) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    add(bits);
  }
  void add(const ParamValue& v) {
    add(static_cast<std::uint64_t>(v.index()));
    if (const auto* d = std::get_if<double>(&v)) {
      add(*d);
    } else {
      add(std::string_view(std::get<std::string>(v)));
    }
  }
  [[nodiscard]] std::uint64_t digest() const { return XXH3_64bits_digest(state_); }

 private:
  XXH3_state_t* state_;
};

// Everything a row depends on: the files (scenario and bots, by content),
// and the resolved spec; not the spec's text, so a comment edit keeps an
// interrupted sweep resumable.
std::uint64_t fingerprint_of(const SweepSpec& spec) {
  Fingerprint f;
  f.add(kFormat);
  for (const auto& [path, text] : spec.inputs) {
    f.add(std::string_view(path));
    f.add(std::string_view(text));
  }
  f.add(static_cast<std::uint64_t>(spec.scenario->rounds));
  for (const std::string& b : spec.bots) f.add(std::string_view(b));
  for (const SpecParameter& p : spec.parameters) {
    f.add(std::string_view(p.target.name));
    f.add(static_cast<std::uint64_t>(p.is_range));
    f.add(p.min);
    f.add(p.max);
    f.add(static_cast<std::uint64_t>(p.levels));
    f.add(static_cast<std::uint64_t>(p.values.size()));
    for (const ParamValue& v : p.values) f.add(v);
  }
  f.add(static_cast<std::uint64_t>(spec.design));
  f.add(spec.design_points);
  f.add(spec.master_seed);
  f.add(spec.seeds);
  f.add(static_cast<std::uint64_t>(spec.common_seeds));
  for (const Outcome& o : spec.outcomes) f.add(std::string_view(o.name));
  f.add(static_cast<std::uint64_t>(spec.series));
  return f.digest();
}

}  // namespace

SweepPlan::SweepPlan(SweepSpec s) : spec(std::move(s)), design(spec), targets(targets_of(spec)) {
  for (const Actor& a : spec.scenario->initial.actors) seats.push_back(a.id);
  for (const Outcome& o : spec.outcomes) {
    if (std::find(series_names.begin(), series_names.end(), o.base) != series_names.end()) continue;
    series_names.push_back(o.base);
    series_outcomes.push_back(&o);
  }
  fingerprint = fingerprint_of(spec);
}

RunRow failed_row(const RunRow& started, std::size_t outcomes, std::size_t seats, const std::string& why) {
  RunRow row;
  row.run = started.run;
  row.point = started.point;
  row.seed_index = started.seed_index;
  row.seed = started.seed;
  row.outcomes.assign(outcomes, std::nan(""));
  row.scores.assign(seats, std::nan(""));
  row.error = "internal error: " + why;
  return row;
}

void measure_match(const BotMatchResult& result, const MatchMeasure& what, std::size_t seats, RunRow& row) {
  const double nan = std::nan("");
  row.faults = static_cast<std::uint32_t>(result.faults.size());
  row.time_limited = result.time_limited;
  if (!result.match) {
    row.error = result.error;
    row.outcomes.assign(what.outcomes->size(), nan);
    row.scores.assign(seats, nan);
    return;
  }
  const Match& match = *result.match;
  for (const Outcome& o : *what.outcomes) row.outcomes.push_back(outcome_value(o, match.history()));
  const std::vector<double>& scores = match.state().outcomes.scores;
  for (std::size_t i = 0; i < seats; ++i) row.scores.push_back(i < scores.size() ? scores[i] : nan);
  if (!what.series) return;
  for (const RoundRecord& r : match.history()) {
    for (const Outcome* o : *what.series) row.series.push_back(o->per_round(r));
    for (std::size_t i = 0; i < seats; ++i) {
      row.series.push_back(i < r.outcomes.scores.size() ? r.outcomes.scores[i] : nan);
    }
  }
}

RunRow play_run(const SweepPlan& plan, std::uint64_t run) {
  RunRow row;
  row.run = run;
  row.point = run / plan.spec.seeds;
  row.seed_index = run % plan.spec.seeds;
  row.seed = run_seed(plan.spec, run);
  try {
    const Point point = plan.design.point(row.point);
    RunSetup setup = make_setup(plan.spec.scenario, plan.spec.bots, plan.targets, point);
    // One runner per worker thread: each row's bots restart from the last
    // row's (BotMatchRunner), which plays exactly as play_bots would.
    thread_local BotMatchRunner runner;
    const BotMatchResult result = runner.play(setup.scenario, row.seed, setup.bots, nullptr, std::move(setup.limits));
    measure_match(result, {&plan.spec.outcomes, plan.spec.series ? &plan.series_outcomes : nullptr}, plan.seats.size(),
                  row);
  } catch (const std::exception& e) {
    // Out of memory and the like: the run is recorded as failed rather than
    // taking the sweep down.
    row = failed_row(row, plan.spec.outcomes.size(), plan.seats.size(), e.what());
  }
  return row;
}

}  // namespace leadtime::sweep
