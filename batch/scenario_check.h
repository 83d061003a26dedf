#pragma once

// `leadtime-server check FILE` and `leadtime-batch check FILE`: load a
// scenario as a game would, before a room of people depends on it.
//
// Errors (exit 2): everything the loader refuses, each with file, line and
// field (every broken part, not just the first), a default bot that cannot
// be read or fails to load.
// Warnings (exit 1), for what is legal but suspicious:
//   - an event that can never fire within the rounds: probability 0 and no
//     hook names it (only a facilitator's inject fires it), conditions that
//     contradict each other, a chance so small it fires in under 1% of
//     matches, or conditions that never held in any round of the bot matches;
//   - objective weights that do not sum as docs/scenarios.md documents: a
//     seat with no objective or only zero weights, a metric listed twice (its
//     weights add up), a sign against the seat's side (a Chinese seat rewarded
//     for the US lead, any seat for losing its own share);
//   - a seat without a bot, a bot that faults in the bot matches;
//   - a coefficient outside the range its source supports
//     (scenarios/coefficient_sources.lua);
//   - a variant that keeps its base's name.
// Then a summary: seats and roles, the actions each seat may use, events
// with their windows, objectives, and a bot match summary over `seeds` seeds
// (median lead and compute ratio at the end).

#include <iosfwd>
#include <string>
#include <vector>

namespace leadtime {

struct CheckOptions {
  int seeds = 20;  // bot matches for the summary; 0 plays none
  // Coefficient ranges; empty: coefficient_sources.lua beside the root base
  // scenario, if there is one.
  std::string sources;
};

struct CheckFinding {
  std::string file;
  int line = 0;  // 0 when it cannot be told
  std::string field;
  std::string message;
};

// "file:line: field: message", leaving out what is unknown.
std::string finding_text(const CheckFinding& finding);

struct CheckResult {
  std::vector<CheckFinding> errors;
  std::vector<CheckFinding> warnings;
  std::vector<std::string> summary;  // lines, empty when the scenario does not load

  // 0 clean, 1 warnings only, 2 errors.
  [[nodiscard]] int exit_code() const;
};

CheckResult check_scenario(const std::string& path, const CheckOptions& options = {});

// Prints the errors, warnings and summary; returns exit_code().
int print_check(std::ostream& out, const std::string& path, const CheckResult& result);

// The `check FILE [--seeds N]` subcommand of both binaries.
int run_check_command(const std::string& path, int seeds, std::ostream& out);

}  // namespace leadtime
