#include "batch/scenario_check.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <memory>
#include <ostream>
#include <sstream>

#include "batch/headless.h"
#include "engine/catalogue.h"
#include "engine/events.h"
#include "engine/fields.h"
#include "engine/lua/scenario_loader.h"
#include "engine/lua/scenario_sources.h"

namespace leadtime {
namespace {

namespace fs = std::filesystem;

// Below this chance of firing at all in a match, an event is as good as dead.
constexpr double kRareEvent = 0.01;

std::string number(double v, int precision = 3) {
  std::ostringstream out;
  out << std::setprecision(precision) << v;
  return out.str();
}

std::string item(const std::string& list, std::size_t index) { return list + "[" + std::to_string(index + 1) + "]"; }

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(std::floor(q * static_cast<double>(v.size() - 1)))];
}

class Checker {
 public:
  Checker(const LoadResult& loaded, const Scenario& s, CheckResult& out) : loaded_(loaded), s_(s), out_(out) {}

  void error(const std::string& field, const std::string& message) { out_.errors.push_back(find(field, message)); }
  void warn(const std::string& field, const std::string& message) { out_.warnings.push_back(find(field, message)); }
  // About a field the loaded file does not have: its line is the table's.
  void warn_missing(const std::string& field, const std::string& message) {
    CheckFinding f = find("", message);
    f.field = field;
    out_.warnings.push_back(std::move(f));
  }

  [[nodiscard]] const Scenario& scenario() const { return s_; }

 private:
  [[nodiscard]] CheckFinding find(const std::string& field, const std::string& message) const {
    const LoadError e = locate(loaded_, field, message);
    return {e.file, e.line, e.field, e.message};
  }

  const LoadResult& loaded_;
  const Scenario& s_;
  CheckResult& out_;
};

// --- Seats and bots -------------------------------------------------------

void check_bots(Checker& c) {
  const Scenario& s = c.scenario();
  for (std::size_t i = 0; i < s.initial.actors.size(); ++i) {
    const std::string& bot = s.default_bots[i];
    const std::string& id = s.initial.actors[i].id;
    if (bot.empty()) {
      c.warn(item("actors", i),
             "seat '" + id + "' has no bot: headless matches and a seat handed to a bot keep its standing orders");
    } else if (std::error_code ec; !fs::is_regular_file(bot, ec)) {
      c.error(item("actors", i) + ".bot", "cannot read the bot " + bot);
    }
  }
}

// --- Objectives -----------------------------------------------------------

// Metrics measured from the US side (positive: the US ahead).
bool us_sided(const std::string& metric) {
  return metric == "lead_months" || metric == "compute_ratio_log2" || metric == "norm_index";
}

// Metrics of the seat's own standing, which it should want more of.
bool own_good(const std::string& metric) { return metric.starts_with("own_") || metric == "political_capital"; }

void check_objectives(Checker& c) {
  const Scenario& s = c.scenario();
  for (std::size_t i = 0; i < s.initial.actors.size(); ++i) {
    const Actor& actor = s.initial.actors[i];
    const std::vector<Objective>& objectives = s.objectives[i];
    const std::string path = item("actors", i);
    if (objectives.empty()) {
      c.warn(path, "seat '" + actor.id + "' has no objectives: its score is always 0");
      continue;
    }
    double total = 0;
    for (std::size_t j = 0; j < objectives.size(); ++j) {
      const Objective& o = objectives[j];
      const std::string here = item(path + ".objectives", j);
      total += std::abs(o.weight);
      for (std::size_t k = 0; k < j; ++k) {
        if (objectives[k].metric == o.metric) {
          c.warn(here, "metric '" + o.metric + "' is listed twice (also objectives[" + std::to_string(k + 1) +
                           "]): the weights add up to " + number(o.weight + objectives[k].weight));
        }
      }
      if (us_sided(o.metric) && actor.bloc == Bloc::CN && o.weight > 0) {
        c.warn(here + ".weight", "weight " + number(o.weight) + " rewards the Chinese seat '" + actor.id +
                                     "' for a US lead (" + o.metric + " is positive when the US is ahead)");
      } else if (us_sided(o.metric) && actor.bloc == Bloc::US && o.weight < 0) {
        c.warn(here + ".weight", "weight " + number(o.weight) + " rewards the US seat '" + actor.id + "' when " +
                                     o.metric + " falls (it is positive when the US is ahead)");
      } else if (own_good(o.metric) && o.weight < 0) {
        c.warn(here + ".weight",
               "weight " + number(o.weight) + " rewards seat '" + actor.id + "' for less of its own " + o.metric);
      }
    }
    if (total == 0) c.warn(path, "every objective of seat '" + actor.id + "' has weight 0: its score is always 0");
  }
}

// --- Events ---------------------------------------------------------------

std::string condition_text(const Condition& c) {
  static constexpr std::array<const char*, 4> kOps = {"<", "<=", ">", ">="};
  return c.target + "." + c.field + " " + kOps[static_cast<std::size_t>(c.op)] + " " + number(c.value, 6);
}

std::string effect_text(const Effect& e) {
  static constexpr std::array<const char*, 3> kOps = {"add", "mul", "set"};
  return e.target + "." + e.field + " " + kOps[static_cast<std::size_t>(e.op)] + " " + number(e.value, 6);
}

// Two conditions on one field that no value satisfies together.
std::optional<std::pair<std::size_t, std::size_t>> contradiction(const std::vector<Condition>& conditions) {
  for (std::size_t a = 0; a < conditions.size(); ++a) {
    for (std::size_t b = a + 1; b < conditions.size(); ++b) {
      const Condition& x = conditions[a];
      const Condition& y = conditions[b];
      if (x.target != y.target || x.field != y.field) continue;
      const bool x_low = x.op == CompareOp::Greater || x.op == CompareOp::GreaterEqual;
      const bool y_low = y.op == CompareOp::Greater || y.op == CompareOp::GreaterEqual;
      if (x_low == y_low) continue;
      const Condition& low = x_low ? x : y;
      const Condition& high = x_low ? y : x;
      const bool strict = low.op == CompareOp::Greater || high.op == CompareOp::Less;
      if (low.value > high.value || (strict && low.value == high.value)) return std::make_pair(a, b);
    }
  }
  return std::nullopt;
}

bool named_by_hooks(const Scenario& s, const std::string& id) {
  if (s.hook_script.empty()) return false;
  return s.hook_script.find("\"" + id + "\"") != std::string::npos ||
         s.hook_script.find("'" + id + "'") != std::string::npos;
}

void check_events(Checker& c) {
  const Scenario& s = c.scenario();
  for (std::size_t i = 0; i < s.events.size(); ++i) {
    const ScenarioEvent& e = s.events[i];
    const std::string path = item("events", i);
    if (e.probability == 0) {
      if (!named_by_hooks(s, e.id)) {
        c.warn(path + ".probability", "event '" + e.id +
                                          "' has probability 0 and no hook names it: it never fires unless a "
                                          "facilitator injects it");
      }
      continue;
    }
    if (const auto pair = contradiction(e.conditions)) {
      c.warn(item(path + ".conditions", pair->second),
             "event '" + e.id + "' can never fire: " + condition_text(e.conditions[pair->first]) + " and " +
                 condition_text(e.conditions[pair->second]) + " cannot both hold");
      continue;
    }
    const int window = e.last_round - e.first_round + 1;
    const double at_most = 1 - std::pow(1 - e.probability, window);
    if (at_most < kRareEvent) {
      c.warn(path + ".probability", "event '" + e.id + "' fires in at most " + number(100 * at_most, 2) +
                                        "% of matches (probability " + number(e.probability) + " over " +
                                        std::to_string(window) + " rounds)");
    }
  }
}

// --- Coefficients ---------------------------------------------------------

std::string sources_path(const LoadResult& loaded, const CheckOptions& options) {
  if (!options.sources.empty()) return options.sources;
  const fs::path beside = fs::path(loaded.files.back()).parent_path() / "coefficient_sources.lua";
  std::error_code ec;
  return fs::is_regular_file(beside, ec) ? beside.string() : "";
}

void check_coefficients(Checker& c, const std::string& path, std::vector<std::string>& summary) {
  if (path.empty()) {
    summary.push_back("coefficient ranges: no coefficient_sources.lua beside the base scenario, not checked");
    return;
  }
  auto loaded = load_coefficient_sources(path);
  if (auto* problem = std::get_if<std::string>(&loaded)) {
    c.error("", "coefficient ranges: " + *problem);
    return;
  }
  const auto& sources = std::get<std::vector<CoefficientSource>>(loaded);
  for (const CoefficientSource& source : sources) {
    for (const CoefficientField& f : coefficient_fields()) {
      if (f.name != source.name) continue;
      const double v = c.scenario().coef.*(f.member);
      if (v < source.min || v > source.max) {
        c.warn("coefficients." + source.name, number(v, 6) + " is outside " + number(source.min, 6) + " to " +
                                                  number(source.max, 6) +
                                                  ", the range its source supports: " + source.source);
      }
    }
  }
  summary.push_back("coefficient ranges: " + std::to_string(sources.size()) + " checked against " + path);
}

void check_name(Checker& c, const LoadResult& loaded) {
  if (loaded.files.size() < 2) return;
  const LoadResult base = load_scenario_file(loaded.files[1]);
  if (base.scenario && base.scenario->name == c.scenario().name) {
    // Blamed on the variant, which lacks the field, not on the base.
    c.warn_missing("name", "the same as its base's ('" + base.scenario->name +
                               "'): results, saves and reports will not tell the two apart");
  }
}

// --- Bot matches ----------------------------------------------------------

// The value of a named field (fields.h), as events' conditions read it (the
// field tables hand out references, hence the mutable copy).
double field_value(State& state, const std::string& target, const std::string& field) {
  if (target == "SEA") {
    if (const HubField* f = find_hub_field(field)) return f->ref(state.hubs);
  }
  for (std::size_t m = 0; m < kMarketCount; ++m) {
    if (target == kMarketNames[m]) {
      if (const MarketField* f = find_market_field(field)) return f->ref(state.markets[m]);
    }
  }
  const int a = state.find_actor(target);
  const ActorField* f = find_actor_field(field);
  if (a == kNoActor || !f) return 0;
  return f->ref(state.actors[static_cast<std::size_t>(a)]);
}

struct EventTally {
  int fired = 0;  // matches it fired in
  bool conditions_held = false;
  std::vector<double> best;  // per condition: the value closest to holding seen
};

struct MatchTally {
  std::vector<double> lead;
  std::vector<double> ratio;
  std::vector<std::array<double, kStackCount>> row;
  std::vector<EventTally> events;
  std::map<std::size_t, std::pair<int, std::string>> faults;  // seat (actors.size(): hooks) -> (count, first)
};

bool closer(CompareOp op, double candidate, double best) {
  return op == CompareOp::Greater || op == CompareOp::GreaterEqual ? candidate > best : candidate < best;
}

// Walks back through the match's rounds (undoing each) to see whether each
// event's conditions held at the end of any round.
void tally_conditions(Match& match, MatchTally& t) {
  const Scenario& s = match.scenario();
  for (;;) {
    State state = match.state();
    for (std::size_t i = 0; i < s.events.size(); ++i) {
      const ScenarioEvent& e = s.events[i];
      EventTally& et = t.events[i];
      bool all = true;
      for (std::size_t k = 0; k < e.conditions.size(); ++k) {
        const Condition& cond = e.conditions[k];
        all = condition_holds(state, cond) && all;
        const double v = field_value(state, cond.target, cond.field);
        if (et.best.size() < e.conditions.size()) et.best.assign(e.conditions.size(), std::nan(""));
        if (std::isnan(et.best[k]) || closer(cond.op, v, et.best[k])) et.best[k] = v;
      }
      if (all) et.conditions_held = true;
    }
    if (match.history().empty()) break;
    match.undo_last_round();
  }
}

void play_matches(Checker& c, int seeds, std::vector<std::string>& summary) {
  const Scenario& s = c.scenario();
  auto shared = std::make_shared<const Scenario>(s);
  MatchTally t;
  t.events.resize(s.events.size());
  for (int seed = 1; seed <= seeds; ++seed) {
    BotMatchResult result = play_bots(shared, static_cast<std::uint64_t>(seed), s.default_bots);
    if (!result.error.empty()) {
      std::string field;
      for (std::size_t i = 0; i < s.default_bots.size(); ++i) {
        if (!s.default_bots[i].empty() && result.error.find(s.default_bots[i]) != std::string::npos) {
          field = item("actors", i) + ".bot";
          break;
        }
      }
      c.error(field, "the bot does not load: " + result.error);
      return;
    }
    for (const std::string& fault : result.faults) {
      // Bots' faults name their seat, "bot PATH (seat ID) round N: ..."; the rest are the hooks'.
      std::size_t seat = s.initial.actors.size();
      for (std::size_t i = 0; i < s.initial.actors.size(); ++i) {
        if (fault.find("(seat " + s.initial.actors[i].id + ")") != std::string::npos) seat = i;
      }
      auto& [count, first] = t.faults[seat];
      if (count == 0) first = fault;
      ++count;
    }
    const auto& history = result.match->history();
    const Outcomes& o = history.back().outcomes;
    t.lead.push_back(o.lead_months);
    t.ratio.push_back(o.compute_ratio_us_cn);
    t.row.push_back(o.shares[3]);
    for (std::size_t i = 0; i < s.events.size(); ++i) {
      const bool fired = std::any_of(history.begin(), history.end(), [&](const RoundRecord& r) {
        return std::any_of(r.events.begin(), r.events.end(), [&](const Event& e) { return e.kind == s.events[i].id; });
      });
      t.events[i].fired += fired ? 1 : 0;
    }
    tally_conditions(*result.match, t);
  }
  for (const auto& [seat, fault] : t.faults) {
    const bool hooks = seat == s.initial.actors.size();
    c.warn(hooks ? "hooks" : item("actors", seat) + ".bot",
           std::string(hooks ? "the hooks" : "the bot") + " faulted " + std::to_string(fault.first) + " times in " +
               std::to_string(seeds) + " bot matches, first: " + fault.second);
  }
  for (std::size_t i = 0; i < s.events.size(); ++i) {
    const ScenarioEvent& e = s.events[i];
    const EventTally& et = t.events[i];
    if (e.probability == 0 || e.conditions.empty() || et.conditions_held || contradiction(e.conditions)) continue;
    std::string reached;
    for (std::size_t k = 0; k < e.conditions.size(); ++k) {
      const Condition& cond = e.conditions[k];
      const bool up = cond.op == CompareOp::Greater || cond.op == CompareOp::GreaterEqual;
      reached += (k > 0 ? "; " : "") + cond.target + "." + cond.field +
                 (up ? " reached at most " : " fell to at least ") + number(et.best[k], 4) + ", needs " +
                 condition_text(cond).substr(cond.target.size() + cond.field.size() + 2);
    }
    c.warn(item("events", i) + ".conditions", "event '" + e.id +
                                                  "' can never fire in the bot matches: its conditions "
                                                  "never held at the end of a round in " +
                                                  std::to_string(seeds) + " matches (" + reached + ")");
  }
  std::vector<double> row_us;
  std::vector<double> row_cn;
  for (const auto& shares : t.row) {
    row_us.push_back(shares[0]);
    row_cn.push_back(shares[1]);
  }
  summary.push_back("bot matches: " + std::to_string(seeds) + " seeds with the default bots; at the end of " +
                    s.start.plus(s.rounds - 1).str() + " the median lead is " + number(median(t.lead)) +
                    " months (10th-90th percentile " + number(quantile(t.lead, 0.1)) + " to " +
                    number(quantile(t.lead, 0.9)) + "), the median US:CN compute ratio " + number(median(t.ratio)) +
                    ", ROW shares US " + number(median(row_us), 2) + " CN " + number(median(row_cn), 2));
  for (std::size_t i = 0; i < s.events.size(); ++i) {
    summary.push_back("  event " + s.events[i].id + " fired in " + std::to_string(t.events[i].fired) + " of " +
                      std::to_string(seeds) + " matches");
  }
}

// --- Summary --------------------------------------------------------------

void describe(const LoadResult& loaded, const Scenario& s, std::vector<std::string>& out) {
  std::string chain;
  for (std::size_t i = 1; i < loaded.files.size(); ++i) chain += (i > 1 ? ", which extends " : "") + loaded.files[i];
  out.push_back("scenario '" + s.name + "'" + (chain.empty() ? "" : " (extends " + chain + ")") + ": " + s.start.str() +
                " to " + s.start.plus(s.rounds - 1).str() + ", " + std::to_string(s.rounds) + " rounds" +
                (s.description.empty() ? "" : "; " + s.description));
  out.push_back("seats and roles:");
  for (std::size_t i = 0; i < s.initial.actors.size(); ++i) {
    const Actor& a = s.initial.actors[i];
    out.push_back("  " + a.id + " (" + a.name + "): " + kActorKindNames[static_cast<std::size_t>(a.kind)] + ", " +
                  kBlocNames[static_cast<std::size_t>(bloc_index(a.bloc))] + ", bot " +
                  (s.default_bots[i].empty() ? "none" : s.default_bots[i]));
  }
  out.push_back("actions each seat may use:");
  for (const Actor& a : s.initial.actors) {
    std::string actions;
    for (const ActionSpec& spec : catalogue()) {
      if (action_allowed(spec, a)) actions += (actions.empty() ? "" : ", ") + std::string(spec.name);
    }
    out.push_back("  " + a.id + ": " + actions);
  }
  out.push_back("events:");
  if (s.events.empty()) out.push_back("  none");
  for (const ScenarioEvent& e : s.events) {
    std::string line = "  " + e.id + ": " + s.start.plus(e.first_round).str() + " to " +
                       s.start.plus(e.last_round).str() + ", probability " + number(e.probability) + " a round" +
                       (e.once ? ", once" : ", repeats");
    for (std::size_t k = 0; k < e.conditions.size(); ++k) {
      line += (k == 0 ? ", if " : " and ") + condition_text(e.conditions[k]);
    }
    for (std::size_t k = 0; k < e.effects.size(); ++k) line += (k == 0 ? ": " : ", ") + effect_text(e.effects[k]);
    out.push_back(line);
  }
  out.push_back("objectives (score = sum of weight x metric):");
  for (std::size_t i = 0; i < s.initial.actors.size(); ++i) {
    std::string line;
    for (const Objective& o : s.objectives[i]) line += (line.empty() ? "" : " + ") + number(o.weight) + " " + o.metric;
    out.push_back("  " + s.initial.actors[i].id + ": " + (line.empty() ? "none" : line));
  }
}

}  // namespace

std::string finding_text(const CheckFinding& f) {
  std::string out = f.file;
  if (f.line > 0) out += ":" + std::to_string(f.line);
  if (!out.empty()) out += ": ";
  if (!f.field.empty()) out += f.field + ": ";
  return out + f.message;
}

int CheckResult::exit_code() const {
  if (!errors.empty()) return 2;
  return warnings.empty() ? 0 : 1;
}

CheckResult check_scenario(const std::string& path, const CheckOptions& options) {
  CheckResult result;
  LoadOptions load_options;
  load_options.every_problem = true;
  const LoadResult loaded = load_scenario_file(path, load_options);
  for (const LoadError& e : loaded.errors) result.errors.push_back({e.file, e.line, e.field, e.message});
  if (!loaded.scenario) return result;
  const Scenario& s = *loaded.scenario;
  Checker checker(loaded, s, result);
  std::vector<std::string> summary;
  describe(loaded, s, summary);
  check_bots(checker);
  check_objectives(checker);
  check_events(checker);
  check_coefficients(checker, sources_path(loaded, options), summary);
  check_name(checker, loaded);
  if (result.errors.empty() && options.seeds > 0) play_matches(checker, options.seeds, summary);
  result.summary = std::move(summary);
  return result;
}

int print_check(std::ostream& out, const std::string& path, const CheckResult& result) {
  out << "checking " << path << "\n";
  for (const CheckFinding& f : result.errors) out << "error: " << finding_text(f) << "\n";
  for (const CheckFinding& f : result.warnings) out << "warning: " << finding_text(f) << "\n";
  for (const std::string& line : result.summary) out << line << "\n";
  out << result.errors.size() << (result.errors.size() == 1 ? " error, " : " errors, ") << result.warnings.size()
      << (result.warnings.size() == 1 ? " warning" : " warnings") << ": exit " << result.exit_code() << "\n";
  return result.exit_code();
}

int run_check_command(const std::string& path, int seeds, std::ostream& out) {
  CheckOptions options;
  options.seeds = seeds;
  return print_check(out, path, check_scenario(path, options));
}

}  // namespace leadtime
