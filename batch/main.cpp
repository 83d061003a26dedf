// leadtime-batch: headless matches, sweeps, experiments tables and result
// files from the command line (docs/sweeps.md).
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "batch/experiments.h"
#include "batch/headless.h"
#include "batch/report.h"
#include "batch/scenario_check.h"
#include "batch/sweep_exec.h"
#include "batch/sweep_merge.h"
#include "batch/sweep_mpi.h"
#include "batch/sweep_outcomes.h"
#include "batch/sweep_report.h"
#include "batch/sweep_store.h"
#include "batch/sweep_summary.h"

namespace {

namespace sw = leadtime::sweep;

struct MatchOptions {
  std::string scenario = "scenarios/2028.lua";
  std::uint64_t seed = 1;
  std::string line;
  std::vector<std::string> bots;
  bool no_bots = false;
  bool json = false;
  std::string csv;
};

int run_match(const MatchOptions& opt) {
  const std::string& scenario_path = opt.scenario;
  const std::string& line_path = opt.line;
  auto loaded = leadtime::load_scenario_file(scenario_path);
  if (!loaded.scenario) {
    std::cerr << "leadtime-batch: " << loaded.error << "\n";
    return 2;
  }
  auto scenario = std::make_shared<const leadtime::Scenario>(std::move(*loaded.scenario));
  std::optional<leadtime::OrderLine> line;
  if (!line_path.empty()) {
    auto parsed = leadtime::load_order_line(line_path, scenario->initial, scenario->start);
    if (auto* error = std::get_if<std::string>(&parsed)) {
      std::cerr << "leadtime-batch: " << *error << "\n";
      return 2;
    }
    line = std::get<leadtime::OrderLine>(std::move(parsed));
  }
  std::vector<std::string> bot_paths(scenario->initial.actors.size());
  if (!opt.no_bots) {
    auto assigned = leadtime::assign_bots(*scenario, opt.bots);
    if (auto* error = std::get_if<std::string>(&assigned)) {
      std::cerr << "leadtime-batch: " << *error << "\n";
      return 2;
    }
    bot_paths = std::get<std::vector<std::string>>(std::move(assigned));
  }
  leadtime::BotMatchResult result = leadtime::play_bots(scenario, opt.seed, bot_paths, line ? &*line : nullptr);
  if (!result.error.empty()) {
    std::cerr << "leadtime-batch: " << result.error << "\n";
    return 2;
  }
  for (const std::string& f : result.faults) std::cerr << "leadtime-batch: " << f << "\n";
  if (result.time_limited > 0) {
    std::cerr << "leadtime-batch: " << result.time_limited
              << " Lua call(s) stopped by the sandbox's CPU-time limit: this match is not reproducible\n";
  }
  const bool json = opt.json;
  const std::string& csv_path = opt.csv;
  if (json) {
    auto sources = leadtime::match_sources(scenario_path, bot_paths, line_path);
    if (auto* error = std::get_if<std::string>(&sources)) {
      std::cerr << "leadtime-batch: " << *error << "\n";
      return 2;
    }
    leadtime::print_json(std::cout, *result.match, std::get<leadtime::MatchSources>(sources));
  } else {
    leadtime::print_table(std::cout, *result.match);
  }
  if (!csv_path.empty()) {
    std::ofstream out(csv_path);
    if (!out) {
      std::cerr << "leadtime-batch: cannot write " << csv_path << "\n";
      return 2;
    }
    leadtime::print_csv(out, *result.match);
  }
  return 0;
}

void add_match_command(CLI::App& app, MatchOptions& opt) {
  auto* match = app.add_subcommand("match", "Play one whole match and print its outcome table");
  match->add_option("--scenario", opt.scenario, "Scenario file")->check(CLI::ExistingFile);
  match->add_option("--seed", opt.seed, "Match seed");
  match->add_option("--bot", opt.bots,
                    "SEAT=PATH: play a seat with a Lua bot (SEAT=none: standing orders); other seats get the "
                    "scenario's default bot");
  match->add_flag("--no-bots", opt.no_bots, "No bots at all: every seat keeps its standing orders");
  match->add_option("--orders", opt.line, "Order line file (e.g. scenarios/lines/tight.lua)")->check(CLI::ExistingFile);
  match->add_flag("--json", opt.json, "Print the match as JSON instead of a table");
  match->add_option("--csv", opt.csv, "Also write the per-round table as CSV to this file");
}

struct SweepArgs {
  sw::SweepOptions options;
  std::string shard;
  bool no_progress = false;
  bool no_summary = false;
};

// --shard, else the Slurm array task, else the whole sweep.
std::optional<std::string> resolve_shard(SweepArgs& args) {
  if (!args.shard.empty()) {
    auto parsed = sw::parse_shard(args.shard);
    if (auto* error = std::get_if<std::string>(&parsed)) return *error;
    args.options.shard = std::get<sw::Shard>(parsed);
    return std::nullopt;
  }
  auto from_env = sw::shard_from_env([](const char* name) { return std::getenv(name); });
  if (auto* error = std::get_if<std::string>(&from_env)) return *error;
  if (const auto& shard = std::get<std::optional<sw::Shard>>(from_env)) args.options.shard = *shard;
  return std::nullopt;
}

int run_sweep_command(SweepArgs& args) {
  if (auto error = resolve_shard(args)) {
    std::cerr << "leadtime-batch: " << *error << "\n";
    return sw::kExitBadInput;
  }
  args.options.progress = !args.no_progress;
  args.options.summary = !args.no_summary;
  if (sw::launched_by_mpi([](const char* name) { return std::getenv(name); })) {
#ifdef LEADTIME_WITH_MPI
    return sw::run_sweep_mpi(args.options, std::cout, std::cerr);
#else
    // Without MPI every rank would play (and write) the whole sweep.
    std::cerr << "leadtime-batch: started by an MPI launcher, but built without MPI (configure with "
                 "-DLEADTIME_MPI=ON), or run without mpirun\n";
    return sw::kExitBadInput;
#endif
  }
  return sw::run_sweep(args.options, std::cout, std::cerr);
}

void add_sweep_command(CLI::App& app, SweepArgs& args) {
  auto* sweep = app.add_subcommand("sweep", "Play every run of a sweep spec into a SQLite results file");
  sweep->add_option("spec", args.options.spec_path, "Sweep spec (a Lua file, see docs/sweeps.md)")
      ->required()
      ->check(CLI::ExistingFile);
  sweep->add_option("--out", args.options.out,
                    "Results file (default: the spec's name + .db, or + .shard-I-of-N.db for a shard); an existing "
                    "file of the same sweep is resumed");
  sweep->add_option("--csv", args.options.csv, "Also write the runs (joined with their points) as CSV");
  sweep->add_option("--threads", args.options.threads, "Worker threads (default: every core; under MPI: 1 per rank)");
  sweep->add_option("--shard", args.shard,
                    "I/N: play only shard I of N (default from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT)");
  sweep->add_flag("--no-progress", args.no_progress, "No progress bar (it only shows on a terminal anyway)");
  sweep->add_flag("--no-summary", args.no_summary, "Do not print the summary at the end");
}

struct MergeArgs {
  std::string out;
  std::vector<std::string> inputs;
  std::string csv;
  bool no_summary = false;
};

int run_merge(const MergeArgs& args) {
  sw::MergeReport report;
  if (auto error = sw::merge_results(args.out, args.inputs, report)) {
    std::cerr << "leadtime-batch: " << *error << "\n";
    return sw::kExitBadInput;
  }
  std::cerr << "leadtime-batch: " << args.out << " holds " << report.runs << " of " << report.total << " runs";
  if (report.runs < report.total) std::cerr << " (" << report.total - report.runs << " missing: unfinished shards?)";
  std::cerr << "\n";
  auto opened = sw::ResultStore::open_existing(args.out);
  if (auto* error = std::get_if<std::string>(&opened)) {
    std::cerr << "leadtime-batch: " << *error << "\n";
    return sw::kExitFailed;
  }
  sw::SweepOptions options;
  options.csv = args.csv;
  options.summary = !args.no_summary;
  return sw::finish_outputs(*std::get<std::unique_ptr<sw::ResultStore>>(opened), options, std::cout, std::cerr);
}

void add_merge_command(CLI::App& app, MergeArgs& args) {
  auto* merge = app.add_subcommand("merge", "Combine the result files of a sweep's shards into one");
  merge->add_option("--out", args.out, "The merged results file (an existing one of the same sweep is added to)")
      ->required();
  merge->add_option("files", args.inputs, "Shard result files")->required()->check(CLI::ExistingFile);
  merge->add_option("--csv", args.csv, "Also write the merged runs as CSV");
  merge->add_flag("--no-summary", args.no_summary, "Do not print the summary");
}

struct SummaryArgs {
  std::string file;
  bool all = false;
  std::string csv;
};

void add_summary_command(CLI::App& app, SummaryArgs& args) {
  auto* summary = app.add_subcommand("summary", "Print the per-point summary of a results file");
  summary->add_option("file", args.file, "Results file")->required()->check(CLI::ExistingFile);
  summary->add_flag("--all", args.all, "Every point (default: the first 50)");
  summary->add_option("--csv", args.csv, "Also write the runs as CSV");
}

int run_summary(const SummaryArgs& args) {
  auto opened = sw::ResultStore::open_existing(args.file);
  if (auto* error = std::get_if<std::string>(&opened)) {
    std::cerr << "leadtime-batch: " << *error << "\n";
    return sw::kExitBadInput;
  }
  sw::SweepOptions options;
  options.csv = args.csv;
  options.summary_points = args.all ? 0 : options.summary_points;
  return sw::finish_outputs(*std::get<std::unique_ptr<sw::ResultStore>>(opened), options, std::cout, std::cerr);
}

void add_run_command(CLI::App& app, sw::ExperimentsOptions& opt, bool& no_progress) {
  auto* run = app.add_subcommand("run", "Play one run per row of an experiments table (EMA Workbench, OpenMOLE)");
  run->add_option("--experiments", opt.table, "CSV: a seed column and one column per parameter (- reads stdin)")
      ->required();
  run->add_option("--out", opt.out, "Results CSV (default: standard output)");
  run->add_option("--spec", opt.spec, "Take the scenario, bots and outcomes from this sweep spec")
      ->check(CLI::ExistingFile);
  run->add_option("--scenario", opt.scenario, "Scenario file (default scenarios/2028.lua)")->check(CLI::ExistingFile);
  run->add_option("--bot", opt.bots, "SEAT=PATH (SEAT=none: standing orders); others keep the scenario's bot");
  run->add_option("--outcome", opt.outcomes, "An outcome to record (repeat; default as for sweeps)");
  run->add_option("--keep", opt.keep, "A column to copy through untouched (repeat), e.g. EMA's scenario and policy");
  run->add_option("--threads", opt.threads, "Worker threads (default: every core)");
  run->add_flag("--no-progress", no_progress, "No progress bar");
}

struct ReportArgs {
  std::string file;
  std::string out;
  std::size_t max_points = 24;
};

void add_report_command(CLI::App& app, ReportArgs& args) {
  auto* report = app.add_subcommand("report", "Write a results file as one HTML page of charts (docs/reports.md)");
  report->add_option("file", args.file, "Results file")->required()->check(CLI::ExistingFile);
  report->add_option("-o,--out", args.out, "The page to write (default: the results file's name + .html)");
  report->add_option("--max-points", args.max_points, "Points with a fan chart and a summary row (default 24)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
}

int run_report(const ReportArgs& args) {
  sw::SweepReportOptions options;
  options.max_points = args.max_points;
  options.generated_by = "Written by leadtime-batch report.";
  const std::string out =
      args.out.empty() ? std::filesystem::path(args.file).replace_extension(".html").string() : args.out;
  if (auto error = sw::write_sweep_report(args.file, out, options)) {
    std::cerr << "leadtime-batch: " << *error << "\n";
    return sw::kExitBadInput;
  }
  std::cerr << "leadtime-batch: wrote " << out << "\n";
  return 0;
}

void add_listing_commands(CLI::App& app) {
  app.add_subcommand("outcomes", "List the quantities sweeps can record");
  app.add_subcommand("parameters", "List the scenario coefficients sweeps can vary");
}

int list_outcomes() {
  std::cout << "Outcomes are these quantities at the end of the match, or over its rounds with a prefix\n"
               "min_, max_ or mean_ (e.g. min_lead_months).\n\n";
  for (const sw::Quantity& q : sw::quantities()) std::cout << "  " << q.name << "  " << q.help << "\n";
  return 0;
}

int list_parameters() {
  std::cout << "Coefficients (also TARGET.FIELD for starting fields, bot.SEAT and bot.SEAT.NAME for bots):\n\n";
  for (const leadtime::CoefficientField& f : leadtime::coefficient_fields()) {
    std::cout << "  " << f.name << "  [" << sw::number_text(f.min) << ", " << sw::number_text(f.max) << "]  " << f.help
              << "\n";
  }
  return 0;
}

struct CheckArgs {
  std::string file;
  int seeds = 20;
};

void add_check_command(CLI::App& app, CheckArgs& args) {
  auto* check = app.add_subcommand(
      "check", "Check a scenario before a room depends on it: errors, warnings, a summary (exit 0, 1 or 2)");
  check->add_option("file", args.file, "Scenario file (docs/scenarios.md)")->required();
  check->add_option("--seeds", args.seeds, "Bot matches for the summary (default 20; 0 for none)");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"leadtime-batch: headless Leadtime matches, sweeps and experiments"};
  app.require_subcommand(1);
  MatchOptions match;
  SweepArgs sweep;
  MergeArgs merge;
  SummaryArgs summary;
  ReportArgs report;
  sw::ExperimentsOptions experiments;
  bool no_progress = false;
  add_match_command(app, match);
  add_sweep_command(app, sweep);
  add_run_command(app, experiments, no_progress);
  add_merge_command(app, merge);
  add_summary_command(app, summary);
  add_report_command(app, report);
  add_listing_commands(app);
  CheckArgs check;
  add_check_command(app, check);
  CLI11_PARSE(app, argc, argv);
  if (app.got_subcommand("check")) return leadtime::run_check_command(check.file, check.seeds, std::cout);
  if (app.got_subcommand("match")) return run_match(match);
  if (app.got_subcommand("sweep")) return run_sweep_command(sweep);
  if (app.got_subcommand("run")) {
    experiments.progress = !no_progress;
    return sw::run_experiments(experiments, std::cout, std::cerr);
  }
  if (app.got_subcommand("merge")) return run_merge(merge);
  if (app.got_subcommand("summary")) return run_summary(summary);
  if (app.got_subcommand("report")) return run_report(report);
  if (app.got_subcommand("outcomes")) return list_outcomes();
  return list_parameters();
}
