// Sweep specs (batch/sweep_spec.h): a bad spec fails before anything runs,
// and the message names the file, the field and the problem.
#include <doctest/doctest.h>

#include <filesystem>

#include "batch/sweep_spec.h"
#include "tests/batch/sweep_helpers.h"

namespace lt = leadtime;
namespace sw = leadtime::sweep;

namespace {

// The error of a spec made of the given fields (the rest a small valid sweep).
std::string error_of(const std::string& fields) {
  const std::string source = "return { rounds = 2, seeds = 2, " + fields + " }";
  auto loaded = sw::load_sweep_spec_source(source, "spec.lua");
  REQUIRE_MESSAGE(std::holds_alternative<std::string>(loaded), "the spec loaded: " << source);
  return std::get<std::string>(loaded);
}

sw::SweepSpec spec_of(const std::string& fields) {
  const std::string source = "return { rounds = 2, seeds = 2, " + fields + " }";
  auto loaded = sw::load_sweep_spec_source(source, "spec.lua");
  if (auto* error = std::get_if<std::string>(&loaded)) FAIL(*error);
  return std::get<sw::SweepSpec>(std::move(loaded));
}

}  // namespace

TEST_CASE("a good spec resolves its parameters, bot choices first") {
  const sw::SweepSpec spec = spec_of(R"(
    bots = { us = "tests/batch/data/us_param.lua",
             cn = { "scripts/bots/cn_shortcut.lua", "scripts/bots/cn_builder.lua" } },
    parameters = { { name = "distill_k", min = 0.2, max = 0.8, levels = 4 },
                   { name = "bot.us.enforcement_usd_b", values = { 1, 2 } },
                   { name = "cn_vendor.capacity_growth", values = { 0.01 } },
                   { name = "ROW.size_usd_b", values = { 10 } } })");
  REQUIRE(spec.parameters.size() == 5);
  CHECK(spec.parameters[0].target.name == "bot.cn");
  CHECK(spec.parameters[0].target.kind == sw::TargetKind::BotChoice);
  CHECK(spec.parameters[1].target.kind == sw::TargetKind::Coefficient);
  CHECK(spec.parameters[2].target.kind == sw::TargetKind::BotParam);
  CHECK(spec.parameters[2].target.bot_param == "enforcement_usd_b");
  CHECK(spec.parameters[3].target.kind == sw::TargetKind::ActorField);
  CHECK(spec.parameters[4].target.kind == sw::TargetKind::MarketField);
  CHECK(spec.scenario->rounds == 2);
  CHECK(spec.outcomes.size() == sw::default_outcomes().size());
}

TEST_CASE("an unknown parameter is named, with the closest coefficient") {
  const std::string e = error_of(R"(parameters = { { name = "dstill_k", values = { 1 } } })");
  CHECK(e.starts_with("spec.lua: parameters[1].name: unknown parameter 'dstill_k' (did you mean 'distill_k'?)"));
}

TEST_CASE("an unknown field of an actor is named") {
  const std::string e = error_of(R"(parameters = { { name = "cn_vendor.capacity_grwth", values = { 1 } } })");
  CHECK(
      e.starts_with("spec.lua: parameters[1].name: unknown actor field 'capacity_grwth' (did you mean "
                    "'capacity_growth'?)"));
}

TEST_CASE("a field the actor's kind does not have is refused") {
  const std::string e = error_of(R"(parameters = { { name = "us.capacity_h100e", values = { 1 } } })");
  CHECK(e == "spec.lua: parameters[1].name: parameter 'us.capacity_h100e': a government has no field 'capacity_h100e'");
}

TEST_CASE("empty ranges are refused") {
  CHECK(error_of(R"(parameters = { { name = "distill_k", min = 0.9, max = 0.1, levels = 2 } })") ==
        "spec.lua: parameters[1]: empty range: min 0.9 is above max 0.1");
  CHECK(error_of(R"(parameters = { { name = "distill_k", values = { } } })") ==
        "spec.lua: parameters[1].values: empty range: no values listed");
}

TEST_CASE("a value outside the coefficient's allowed range is refused") {
  CHECK(error_of(R"(parameters = { { name = "months_per_oom", values = { 12, 500 } } })") ==
        "spec.lua: parameters[1].values[2]: expected a number from 1 to 120, got 500");
}

TEST_CASE("an unknown bot is named with its seat") {
  CHECK(error_of(R"(bots = { us = "scripts/bots/nope.lua" })") ==
        "spec.lua: bots.us: seat us: cannot read bot file 'scripts/bots/nope.lua'");
  CHECK(error_of(R"(bots = { usa = "scripts/bots/us_hawk.lua" })")
            .starts_with("spec.lua: bots: unknown seat 'usa' (seats: us, cn, eu"));
}

TEST_CASE("a bot that refuses its seat fails the spec") {
  const std::string e = error_of(R"(bots = { cn = "scripts/bots/us_hawk.lua" })");
  CHECK(e.starts_with("spec.lua: bots.cn: seat cn: scripts/bots/us_hawk.lua: init failed"));
}

TEST_CASE("a parameter the bot does not read is named with what it reads") {
  CHECK(error_of(R"(bots = { us = "tests/batch/data/us_param.lua" },
                    parameters = { { name = "bot.us.enforcment", values = { 1 } } })") ==
        "spec.lua: parameters[1]: seat us: tests/batch/data/us_param.lua: no parameter 'enforcment' (the bot reads "
        "enforcement_usd_b, export_tier_cn)");
  CHECK(error_of(R"(parameters = { { name = "bot.us.licences", values = { 1 } } })")
            .find("spec.lua: parameters[1]: seat us: scripts/bots/us_hawk.lua: no parameter 'licences' (the bot reads "
                  "cloud_kyc, ") == 0);
}

TEST_CASE("unknown outcomes, fields and designs are named") {
  CHECK(error_of(R"(outcomes = { "lead_months", "lead_month" })")
            .starts_with("spec.lua: outcomes[2]: unknown outcome 'lead_month'"));
  CHECK(error_of(R"(sede = 3)").starts_with("spec.lua: unknown field 'sede'"));
  CHECK(error_of(R"(design = "sobol")") == "spec.lua: design: unknown design 'sobol' (grid, random or lhs)");
  CHECK(error_of(R"(design = { kind = "lhs" })") ==
        "spec.lua: design: missing field 'points' (how many points the lhs design draws)");
  CHECK(error_of(R"(parameters = { { name = "distill_k", min = 0.1, max = 0.9 } })") ==
        "spec.lua: parameters[1]: a grid needs levels = N for a range (or listed values)");
  CHECK(error_of(R"(design = { kind = "random", points = 3 },
                    parameters = { { name = "distill_k", min = 0.1, max = 0.9, levels = 3 } })") ==
        "spec.lua: parameters[1].levels: levels is for grid designs; random and lhs draw from the whole range");
}

TEST_CASE("of several keys that are not names, the smallest is named whatever the table's hash order") {
  // Stock lua_next order over these differs between Lua states.
  for (int i = 0; i < 20; ++i) {
    CHECK(error_of(R"([true] = 1, [7] = 2, [3.5] = 3, [false] = 4, [12] = 5)") == "spec.lua: unexpected key 12");
  }
}

TEST_CASE("seeds are required and the master seed is a whole number") {
  auto loaded = sw::load_sweep_spec_source("return { rounds = 2 }", "spec.lua");
  REQUIRE(std::holds_alternative<std::string>(loaded));
  CHECK(std::get<std::string>(loaded) == "spec.lua: missing field 'seeds' (runs per point)");
  CHECK(error_of("seed = 1.5") == "spec.lua: seed: expected a whole number from 0 to 2^63-1, got 1.5");
}

TEST_CASE("a spec that is not valid Lua names its line") {
  auto loaded = sw::load_sweep_spec_source("return { seeds = }", "spec.lua");
  REQUIRE(std::holds_alternative<std::string>(loaded));
  CHECK(std::get<std::string>(loaded).starts_with("spec.lua:1:"));
}

TEST_CASE("a bad spec writes no results file") {
  lt::testing::TempDir dir;
  const std::string spec = lt::testing::write_file(
      dir.file("bad.lua"), R"(return { seeds = 2, parameters = { { name = "nope", values = { 1 } } } })");
  const auto run = lt::testing::run_sweep_quietly(lt::testing::sweep_options(spec, dir.file("bad.db"), 1));
  CHECK(run.code == sw::kExitBadInput);
  CHECK(run.err.find("parameters[1].name: unknown parameter 'nope'") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.file("bad.db")));
}
