// leadtime-batch: headless matches (and, later, sweeps) from the command line.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "batch/headless.h"
#include "batch/report.h"

namespace {

int run_match(const std::string& scenario_path, std::uint64_t seed, const std::string& line_path, bool json,
              const std::string& csv_path) {
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
  leadtime::LineResult result = leadtime::play_line(scenario, seed, line ? &*line : nullptr);
  if (!result.errors.empty()) {
    for (const std::string& e : result.errors) std::cerr << "leadtime-batch: " << line_path << ": " << e << "\n";
    return 2;
  }
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
  std::string scenario = "scenarios/2028.lua";
  std::uint64_t seed = 1;
  std::string line;
  bool json = false;
  std::string csv;
  match->add_option("--scenario", scenario, "Scenario file")->check(CLI::ExistingFile);
  match->add_option("--seed", seed, "Match seed");
  match->add_option("--orders", line, "Order line file (e.g. scenarios/lines/tight.lua)")->check(CLI::ExistingFile);
  match->add_flag("--json", json, "Print the match as JSON instead of a table");
  match->add_option("--csv", csv, "Also write the per-round table as CSV to this file");
  CLI11_PARSE(app, argc, argv);
  return run_match(scenario, seed, line, json, csv);
}
