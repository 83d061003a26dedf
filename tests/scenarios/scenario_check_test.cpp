// The scenario check (batch/scenario_check.h): errors with file, line and
// field and exit 2; each kind of warning and exit 1; a clean scenario, its
// summary and exit 0.
#include "batch/scenario_check.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>

namespace lt = leadtime;

namespace {

lt::CheckResult check(const std::string& path, int seeds = 0) {
  lt::CheckOptions options;
  options.seeds = seeds;
  return lt::check_scenario(path, options);
}

// The warning about `field`, which must be there exactly once.
lt::CheckFinding warning(const lt::CheckResult& r, const std::string& field) {
  const auto n =
      std::count_if(r.warnings.begin(), r.warnings.end(), [&](const lt::CheckFinding& f) { return f.field == field; });
  REQUIRE_MESSAGE(n == 1, "warnings about " << field << ": " << n);
  return *std::find_if(r.warnings.begin(), r.warnings.end(),
                       [&](const lt::CheckFinding& f) { return f.field == field; });
}

bool has_line(const std::vector<std::string>& lines, const std::string& start) {
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.starts_with(start); });
}

}  // namespace

TEST_CASE("check: the shipped scenario is clean, with its summary and a bot match summary") {
  const lt::CheckResult r = check("scenarios/2028.lua", 2);
  for (const lt::CheckFinding& f : r.errors) MESSAGE(lt::finding_text(f));
  for (const lt::CheckFinding& f : r.warnings) MESSAGE(lt::finding_text(f));
  CHECK(r.exit_code() == 0);
  CHECK(has_line(r.summary, "scenario '2028': 2026Q3 to 2028Q4, 10 rounds"));
  CHECK(has_line(r.summary, "  us (United States): government, US, bot scripts/bots/us_hawk.lua"));
  CHECK(has_line(r.summary, "  cn_lab: "));
  CHECK(has_line(r.summary,
                 "  euv_breakthrough: 2027Q1 to 2028Q4, probability 0.04 a round, once, if "
                 "cn.cum_fab_investment_usd_b >= 30: cn_vendor.euv_multiplier set 2"));
  CHECK(has_line(r.summary, "  us: 1 lead_months + 20 own_global_share + 1 political_capital"));
  CHECK(has_line(r.summary, "coefficient ranges: 19 checked against scenarios/coefficient_sources.lua"));
  CHECK(has_line(r.summary, "bot matches: 2 seeds with the default bots; at the end of 2028Q4 the median lead is "));
  std::ostringstream out;
  CHECK(lt::print_check(out, "scenarios/2028.lua", r) == 0);
  CHECK(out.str().ends_with("0 errors, 0 warnings: exit 0\n"));
}

TEST_CASE("check: every broken part is an error with file, line and field, and exit 2") {
  const lt::CheckResult r = check("tests/lua/data/variants/many_problems.lua");
  REQUIRE(r.errors.size() == 3);
  CHECK(lt::finding_text(r.errors[0]) ==
        "tests/lua/data/variants/many_problems.lua:5: coefficients.distill_k: expected a number from 0 to 1, got 3");
  CHECK(lt::finding_text(r.errors[1]) ==
        "tests/lua/data/variants/many_problems.lua:10: actors[2].kind: expected one of government, vendor, lab, got "
        "'bank'");
  CHECK(r.errors[2].line == 14);
  CHECK(r.exit_code() == 2);
  CHECK(r.summary.empty());
  std::ostringstream out;
  CHECK(lt::print_check(out, "many_problems.lua", r) == 2);
  CHECK(out.str().find("error: tests/lua/data/variants/many_problems.lua:5: coefficients.distill_k: ") !=
        std::string::npos);

  // In a variant, the override's own file and line.
  const lt::CheckResult v = check("tests/lua/data/variants/bad_override.lua");
  REQUIRE(v.errors.size() == 1);
  CHECK(lt::finding_text(v.errors[0]) ==
        "tests/lua/data/variants/bad_override.lua:5: coefficients.distill_k: expected a number from 0 to 1, got 2");
}

TEST_CASE("check: a bot that cannot be read or does not load is an error") {
  const lt::CheckResult missing = check("tests/scenarios/data/missing_bot.lua");
  REQUIRE(missing.errors.size() == 1);
  CHECK(missing.errors[0].file == "tests/scenarios/data/missing_bot.lua");
  CHECK(missing.errors[0].field == "actors[1].bot");
  CHECK(missing.errors[0].line == 5);
  CHECK(missing.errors[0].message == "cannot read the bot scripts/bots/no_such_bot.lua");
  CHECK(missing.exit_code() == 2);

  const lt::CheckResult wrong = check("tests/scenarios/data/faulty_bot.lua", 1);
  REQUIRE(wrong.errors.size() == 1);
  CHECK(wrong.errors[0].field == "actors[1].bot");
  CHECK(wrong.errors[0].message.find("lab_racer plays a lab") != std::string::npos);
  CHECK(wrong.exit_code() == 2);
}

TEST_CASE("check: a bot that faults in the bot matches is a warning naming its seat") {
  const lt::CheckResult r = check("tests/scenarios/data/faulting_bot.lua", 2);
  REQUIRE(r.errors.empty());
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].field == "actors[1].bot");
  CHECK(r.warnings[0].line == 6);
  CHECK(r.warnings[0].message.find("the bot faulted 20 times in 2 bot matches, first: bot "
                                   "tests/bots/data/out_of_range.lua (seat us) round 1: ") == 0);
  CHECK(r.exit_code() == 1);
}

TEST_CASE("check: what is legal but suspicious is a warning, and exit 1") {
  const std::string path = "tests/scenarios/data/suspicious.lua";
  const lt::CheckResult r = check(path, 2);
  for (const lt::CheckFinding& f : r.errors) MESSAGE(lt::finding_text(f));
  REQUIRE(r.errors.empty());
  CHECK(r.exit_code() == 1);

  // Kept its base's name: a warning about the variant as a whole.
  const lt::CheckFinding name = warning(r, "name");
  CHECK(name.file == path);
  CHECK(name.line == 3);
  CHECK(name.message.find("the same as its base's ('2028')") != std::string::npos);
  // A coefficient outside its source's range, blamed on the override.
  const lt::CheckFinding k = warning(r, "coefficients.distill_k");
  CHECK(k.file == path);
  CHECK(k.line == 6);
  CHECK(k.message.find("0.99 is outside 0.5 to 0.95, the range its source supports") == 0);
  // A Chinese seat rewarded for the US lead.
  CHECK(warning(r, "actors[1].objectives[1].weight").message.find("rewards the Chinese seat 'cn' for a US lead") !=
        std::string::npos);
  // A seat without a bot, named where the variant removed it.
  const lt::CheckFinding bot = warning(r, "actors[2]");
  CHECK(bot.message.find("seat 'eu_lab' has no bot") == 0);
  CHECK(bot.line == 9);
  // Events that cannot fire: only by inject, contradictory, out of reach in
  // the bot matches, or too rare. Numbered as the variant lists them.
  CHECK(warning(r, "events[1].probability").message.find("'inject_only' has probability 0 and no hook names it") !=
        std::string::npos);
  CHECK(warning(r, "events[2].conditions[2]").message.find("cannot both hold") != std::string::npos);
  CHECK(warning(r, "events[3].conditions").message.find("cn.cum_fab_investment_usd_b reached at most") !=
        std::string::npos);
  CHECK(warning(r, "events[4].probability").message.find("fires in at most 0.2% of matches") != std::string::npos);
  CHECK(r.warnings.size() == 8);
}

TEST_CASE("check: objective weights that do not sum as documented are warnings") {
  const lt::CheckResult r = check("tests/scenarios/data/objectives.lua");
  REQUIRE(r.errors.empty());
  CHECK(warning(r, "actors[1].objectives[2]").message ==
        "metric 'lead_months' is listed twice (also objectives[1]): the weights add up to 3");
  CHECK(warning(r, "actors[2].objectives[1].weight").message ==
        "weight -10 rewards seat 'cn' for less of its own own_global_share");
  CHECK(warning(r, "actors[3]").message == "every objective of seat 'us_lab' has weight 0: its score is always 0");
  CHECK(warning(r, "actors[4]").message == "seat 'cn_lab' has no objectives: its score is always 0");
  CHECK(r.warnings.size() == 4);
  CHECK(r.exit_code() == 1);
}
