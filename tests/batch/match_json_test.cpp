// `leadtime-batch match --json` names what played the match: the scenario
// file and each seat's bot by path and the XXH3 hash of its bytes, so a
// result can be traced to the exact files (batch/report.h).
#include <doctest/doctest.h>
#include <xxhash.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "batch/headless.h"
#include "batch/report.h"
#include "engine/hash.h"
#include "files/files.h"
#include "tests/batch/sweep_helpers.h"

namespace lt = leadtime;
using nlohmann::json;

namespace {

// The hash written out again here, from the file's bytes.
std::string xxh3_of(const std::string& path) {
  const auto bytes = lt::files::read_file(path);
  REQUIRE_MESSAGE(bytes, path);
  return lt::hash_hex(XXH3_64bits(bytes->data(), bytes->size()));
}

// A two-round match of the default scenario with `assignments`, as JSON.
json match_json(const std::vector<std::string>& assignments) {
  auto loaded = lt::load_scenario_file("scenarios/2028.lua");
  REQUIRE_MESSAGE(loaded.scenario, loaded.error);
  loaded.scenario->rounds = 2;
  auto scenario = std::make_shared<const lt::Scenario>(std::move(*loaded.scenario));
  auto assigned = lt::assign_bots(*scenario, assignments);
  REQUIRE(std::holds_alternative<std::vector<std::string>>(assigned));
  const auto bots = std::get<std::vector<std::string>>(assigned);
  const lt::BotMatchResult result = lt::play_bots(scenario, 3, bots);
  REQUIRE_MESSAGE(result.error.empty(), result.error);
  auto sources = lt::match_sources("scenarios/2028.lua", bots, "");
  REQUIRE(std::holds_alternative<lt::MatchSources>(sources));
  std::ostringstream out;
  lt::print_json(out, *result.match, std::get<lt::MatchSources>(sources));
  return json::parse(out.str());
}

}  // namespace

TEST_CASE("match --json records each seat's bot and the scenario by path and content hash") {
  lt::testing::TempDir dir;
  // A copy of us_hawk that differs by one comment: same path shape, other bytes.
  const std::string hawk = "scripts/bots/us_hawk.lua";
  const std::string copy =
      lt::testing::write_file(dir.file("us_hawk_copy.lua"), *lt::files::read_file(hawk) + "\n-- a copy\n");
  const json doc = match_json({"us=" + copy, "eu=none"});
  INFO(doc.dump(2));
  CHECK(doc["scenario_file"] == json{{"path", "scenarios/2028.lua"}, {"xxh3", xxh3_of("scenarios/2028.lua")}});
  CHECK(doc["bots"]["us"] == json{{"path", copy}, {"xxh3", xxh3_of(copy)}});
  CHECK(doc["bots"]["us"]["xxh3"] != xxh3_of(hawk));  // the bytes, not the name, identify a bot
  CHECK(doc["bots"]["eu"].is_null());                 // standing orders
  // Seats without --bot: the scenario's default bot, hashed too.
  CHECK(doc["bots"]["cn"] ==
        json{{"path", "scripts/bots/cn_shortcut.lua"}, {"xxh3", xxh3_of("scripts/bots/cn_shortcut.lua")}});
  CHECK(doc["bots"].size() == doc["scores"].size());  // one entry per seat
  CHECK(doc["orders_file"].is_null());
  CHECK(doc["rounds"].size() == 2);
}

TEST_CASE("match sources: a file that cannot be read is named") {
  auto missing = lt::match_sources("scenarios/2028.lua", {"", "nope/missing.lua"}, "");
  REQUIRE(std::holds_alternative<std::string>(missing));
  CHECK(std::get<std::string>(missing) == "bot: cannot read 'nope/missing.lua'");
  auto orders = lt::match_sources("scenarios/2028.lua", {}, "scenarios/lines/tight.lua");
  REQUIRE(std::holds_alternative<lt::MatchSources>(orders));
  CHECK(std::get<lt::MatchSources>(orders).orders->xxh3 != 0);
}
