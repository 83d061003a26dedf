// leadtime-batch: headless matches (and, later, sweeps) from the command line.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "batch/headless.h"
#include "batch/report.h"

namespace {

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
  const bool json = opt.json;
  const std::string& csv_path = opt.csv;
  if (json) {
    leadtime::print_json(std::cout, *result.match);
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"leadtime-batch: headless Leadtime matches"};
  app.require_subcommand(1);
  auto* match = app.add_subcommand("match", "Play one whole match and print its outcome table");
  MatchOptions opt;
  match->add_option("--scenario", opt.scenario, "Scenario file")->check(CLI::ExistingFile);
  match->add_option("--seed", opt.seed, "Match seed");
  match->add_option("--bot", opt.bots,
                    "SEAT=PATH: play a seat with a Lua bot (SEAT=none: standing orders); other seats get the "
                    "scenario's default bot");
  match->add_flag("--no-bots", opt.no_bots, "No bots at all: every seat keeps its standing orders");
  match->add_option("--orders", opt.line, "Order line file (e.g. scenarios/lines/tight.lua)")->check(CLI::ExistingFile);
  match->add_flag("--json", opt.json, "Print the match as JSON instead of a table");
  match->add_option("--csv", opt.csv, "Also write the per-round table as CSV to this file");
  CLI11_PARSE(app, argc, argv);
  return run_match(opt);
}
