#include "batch/experiments.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "batch/csv.h"
#include "batch/headless.h"
#include "batch/progress.h"
#include "batch/sweep_exec.h"
#include "batch/sweep_pool.h"
#include "batch/sweep_spec.h"
#include "files/files.h"

namespace leadtime::sweep {
namespace {

constexpr std::size_t kBatchRows = 1024;
constexpr auto kFlushEvery = std::chrono::milliseconds(250);

// What every run shares: the scenario, the bots, the outcomes.
struct Base {
  std::shared_ptr<const Scenario> scenario;
  std::vector<std::string> bots;
  std::vector<Outcome> outcomes;
};

// A parsed table: which column is what, and every row's seed and values.
struct Experiments {
  std::size_t seed_column = 0;
  std::vector<std::size_t> param_columns;
  std::vector<ParamTarget> targets;
  std::vector<std::uint64_t> seeds;
  std::vector<std::vector<ParamValue>> values;
};

struct BadInput {
  std::string message;
};

std::vector<Outcome> resolve_outcomes(const std::vector<std::string>& names) {
  std::vector<Outcome> out;
  for (const std::string& n : names) {
    auto resolved = resolve_outcome(n);
    if (auto* error = std::get_if<std::string>(&resolved)) throw BadInput{"--outcome: " + *error};
    out.push_back(std::get<Outcome>(std::move(resolved)));
  }
  return out;
}

Base make_base(const ExperimentsOptions& o) {
  Base base;
  if (!o.spec.empty()) {
    if (!o.scenario.empty() || !o.bots.empty()) throw BadInput{"give either --spec or --scenario/--bot, not both"};
    auto loaded = load_sweep_spec(o.spec);
    if (auto* error = std::get_if<std::string>(&loaded)) throw BadInput{*error};
    SweepSpec& spec = std::get<SweepSpec>(loaded);
    base.scenario = spec.scenario;
    base.bots = spec.bots;
    base.outcomes = std::move(spec.outcomes);
  } else {
    const std::string path = o.scenario.empty() ? "scenarios/2028.lua" : o.scenario;
    auto loaded = load_scenario_file(path);
    if (!loaded.scenario) throw BadInput{loaded.error};
    base.scenario = std::make_shared<const Scenario>(std::move(*loaded.scenario));
    auto assigned = assign_bots(*base.scenario, o.bots);
    if (auto* error = std::get_if<std::string>(&assigned)) throw BadInput{*error};
    base.bots = std::get<std::vector<std::string>>(std::move(assigned));
    base.outcomes = resolve_outcomes(default_outcomes());
  }
  if (!o.outcomes.empty()) base.outcomes = resolve_outcomes(o.outcomes);
  return base;
}

// `--experiments -`: a tool that runs one experiment per call pipes the
// table in, with no file to clean up.
std::optional<std::string> read_stream(std::istream& in) {
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<std::uint64_t> parse_seed(const std::string& text) {
  std::uint64_t v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec == std::errc() && p == end && !text.empty()) return v;
  // pandas writes whole numbers as 3.0 once a column has held a gap.
  double d = 0;
  auto [q, ec2] = std::from_chars(text.data(), end, d);
  if (ec2 == std::errc() && q == end && d >= 0 && d < 0x1p64 && d == std::floor(d)) {
    return static_cast<std::uint64_t>(d);
  }
  return std::nullopt;
}

ParamValue parse_value(const ParamTarget& target, const std::string& text) {
  if (target.kind == TargetKind::BotChoice) return text;
  double v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || p != end || text.empty()) {
    // Also accept the spellings Python writes for booleans, as 0 and 1.
    if (text == "True" || text == "true") return 1.0;
    if (text == "False" || text == "false") return 0.0;
    return text;  // check_value reports it
  }
  return v;
}

void classify_columns(const CsvTable& table, const ExperimentsOptions& o, const Scenario& scenario, Experiments& ex) {
  std::set<std::string> seen;
  std::optional<std::size_t> seed;
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    const std::string& name = table.header[c];
    if (!seen.insert(name).second) throw BadInput{o.table + ": column '" + name + "' appears twice"};
    if (name == "seed") {
      seed = c;
      continue;
    }
    if (std::find(o.keep.begin(), o.keep.end(), name) != o.keep.end()) continue;
    auto resolved = resolve_parameter(name, scenario);
    if (auto* error = std::get_if<std::string>(&resolved)) {
      throw BadInput{o.table + ": column '" + name + "': " + *error + " (--keep " + name +
                     " copies a column through untouched)"};
    }
    ex.param_columns.push_back(c);
    ex.targets.push_back(std::get<ParamTarget>(std::move(resolved)));
  }
  for (const std::string& k : o.keep) {
    if (!seen.count(k)) throw BadInput{"--keep " + k + ": " + o.table + " has no such column"};
  }
  if (!seed) throw BadInput{o.table + ": no 'seed' column (each row needs the seed of its match)"};
  ex.seed_column = *seed;
}

void parse_rows(const CsvTable& table, const std::string& name, Experiments& ex) {
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const std::vector<std::string>& row = table.rows[r];
    const std::string where = name + ":" + std::to_string(table.lines[r]);
    const auto seed = parse_seed(row[ex.seed_column]);
    if (!seed) {
      throw BadInput{where + ": column 'seed': expected a whole number from 0 to 2^64-1, got '" + row[ex.seed_column] +
                     "'"};
    }
    ex.seeds.push_back(*seed);
    std::vector<ParamValue> values;
    for (std::size_t j = 0; j < ex.targets.size(); ++j) {
      const std::string& text = row[ex.param_columns[j]];
      ParamValue v = parse_value(ex.targets[j], text);
      if (auto problem = check_value(ex.targets[j], v)) {
        throw BadInput{where + ": column '" + ex.targets[j].name + "': " + *problem};
      }
      values.push_back(std::move(v));
    }
    ex.values.push_back(std::move(values));
  }
}

// Every bot any row gives a seat loads, and reads each parameter a column
// sets for that seat.
void check_bots(const Base& base, const Experiments& ex, const std::string& name) {
  const std::size_t seats = base.scenario->initial.actors.size();
  std::vector<std::set<std::string>> possible(seats);
  for (std::size_t s = 0; s < seats; ++s) possible[s].insert(base.bots[s]);
  for (std::size_t j = 0; j < ex.targets.size(); ++j) {
    if (ex.targets[j].kind != TargetKind::BotChoice) continue;
    auto& set = possible[static_cast<std::size_t>(ex.targets[j].index)];
    set.clear();
    for (const auto& row : ex.values) set.insert(std::get<std::string>(row[j]));
  }
  for (std::size_t s = 0; s < seats; ++s) {
    const std::vector<std::string> paths(possible[s].begin(), possible[s].end());
    if (auto error = check_seat_bots(*base.scenario, static_cast<int>(s), paths, {})) throw BadInput{*error};
  }
  for (std::size_t j = 0; j < ex.targets.size() && !ex.values.empty(); ++j) {
    const ParamTarget& t = ex.targets[j];
    if (t.kind != TargetKind::BotParam) continue;
    const std::set<std::string>& set = possible[static_cast<std::size_t>(t.index)];
    const std::vector<std::string> paths(set.begin(), set.end());
    const double sample = std::get<double>(ex.values.front()[j]);
    if (auto error = check_seat_bots(*base.scenario, t.index, paths, {{t.bot_param, sample}})) {
      throw BadInput{name + ": column '" + t.name + "': " + *error};
    }
  }
}

std::string output_header(const CsvTable& table, const Base& base) {
  std::vector<std::string> header = table.header;
  for (const Outcome& o : base.outcomes) header.push_back(o.name);
  for (const Actor& a : base.scenario->initial.actors) header.push_back("score_" + a.id);
  header.emplace_back("faults");
  header.emplace_back("error");
  header.emplace_back("time_limited");
  return csv_line(header);
}

std::string output_line(const std::vector<std::string>& input, const RunRow& row) {
  std::vector<std::string> fields = input;
  const auto number = [](double v) { return std::isnan(v) ? std::string() : number_text(v); };
  for (double v : row.outcomes) fields.push_back(number(v));
  for (double v : row.scores) fields.push_back(number(v));
  fields.push_back(std::to_string(row.faults));
  fields.push_back(row.error);
  fields.push_back(std::to_string(row.time_limited));
  return csv_line(fields);
}

RunRow play_row(const Base& base, const Experiments& ex, std::uint64_t index) {
  RunRow row;
  row.run = index;
  row.seed = ex.seeds[index];
  try {
    RunSetup setup = make_setup(base.scenario, base.bots, ex.targets, ex.values[index]);
    // One runner per worker thread: each row's bots restart from the last
    // row's (BotMatchRunner), which plays exactly as play_bots would.
    thread_local BotMatchRunner runner;
    const BotMatchResult result = runner.play(setup.scenario, row.seed, setup.bots, nullptr, std::move(setup.limits));
    measure_match(result, {&base.outcomes, nullptr}, base.scenario->initial.actors.size(), row);
  } catch (const std::exception& e) {
    row = failed_row(row, base.outcomes.size(), base.scenario->initial.actors.size(), e.what());
  }
  return row;
}

// Plays every row on the local threads and writes the results in input
// order as soon as each prefix of rows is complete.
void play_all(const Base& base, const Experiments& ex, const CsvTable& table, unsigned threads, std::ostream& sink,
              Progress& progress) {
  std::vector<std::uint64_t> todo(ex.seeds.size());
  for (std::uint64_t i = 0; i < todo.size(); ++i) todo[i] = i;
  RunDispenser dispenser(std::move(todo));
  RowQueue queue;
  WorkerPool pool(threads, dispenser, queue, [&](std::uint64_t i) { return play_row(base, ex, i); });
  std::map<std::uint64_t, RunRow> waiting;
  std::uint64_t next = 0;
  for (;;) {
    const bool finished = pool.finished();
    std::vector<RunRow> rows = queue.take(kBatchRows, finished ? std::chrono::milliseconds(0) : kFlushEvery);
    progress.advance(rows.size());
    for (RunRow& r : rows) waiting.emplace(r.run, std::move(r));
    while (!waiting.empty() && waiting.begin()->first == next) {
      sink << output_line(table.rows[next], waiting.begin()->second);
      waiting.erase(waiting.begin());
      ++next;
    }
    if (finished && rows.empty()) break;
  }
}

}  // namespace

int run_experiments(const ExperimentsOptions& options, std::ostream& out, std::ostream& err) {
  Base base;
  Experiments ex;
  CsvTable table;
  try {
    base = make_base(options);
    const std::optional<std::string> text =
        options.table == "-" ? read_stream(std::cin) : files::read_file(options.table);
    if (!text) throw BadInput{options.table + ": cannot read the file"};
    auto parsed = parse_csv(*text, options.table);
    if (auto* error = std::get_if<std::string>(&parsed)) throw BadInput{*error};
    table = std::get<CsvTable>(std::move(parsed));
    classify_columns(table, options, *base.scenario, ex);
    parse_rows(table, options.table, ex);
    check_bots(base, ex, options.table);
  } catch (const BadInput& bad) {
    err << "leadtime-batch: " << bad.message << "\n";
    return kExitBadInput;
  }
  std::ofstream file;
  if (!options.out.empty()) {
    file.open(options.out, std::ios::binary);
    if (!file) {
      err << "leadtime-batch: cannot write " << options.out << "\n";
      return kExitFailed;
    }
  }
  std::ostream& sink = options.out.empty() ? out : file;
  sink << output_header(table, base);
  Progress progress(err, ex.seeds.size(), options.progress && Progress::stderr_is_terminal());
  play_all(base, ex, table, resolve_threads(options.threads), sink, progress);
  progress.finish();
  sink.flush();
  if (!sink) {
    err << "leadtime-batch: writing the results failed\n";
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace leadtime::sweep
