// The scenario on the wire (issue #17, item 2): seats with roles,
// objectives and briefings, the event table and the catalogue, told as the
// asker may know it.
#include <doctest/doctest.h>

#include <algorithm>

#include "engine/injects.h"
#include "engine/lua/scenario_loader.h"
#include "engine/metrics.h"
#include "protocol/convert.h"
#include "protocol/scenario_info.h"
#include "tests/protocol/helpers.h"

using namespace leadtime;
using namespace leadtime::protocol;
using namespace leadtime::protocoltest;

namespace {

const Scenario& default_scenario() {
  static const Scenario s = [] {
    auto loaded = load_scenario_file("scenarios/2028.lua");
    REQUIRE_MESSAGE(loaded.scenario, loaded.error);
    return std::move(*loaded.scenario);
  }();
  return s;
}

// Stand-ins for game::scenario_texts(): which text went where is what this
// layer must get right.
ScenarioTexts numbered_texts(const Scenario& s) {
  ScenarioTexts t;
  for (const Actor& a : s.initial.actors) t.briefings.push_back("briefing of " + a.id);
  for (const ScenarioEvent& e : s.events) t.event_descriptions.push_back("about " + e.id);
  return t;
}

ScenarioDetails through_wire(const ScenarioDetails& details) {
  flatbuffers::FlatBufferBuilder fbb;
  const auto payload = payload_of(frame_message(fbb, 4, to_wire(fbb, details)));
  const auto verified = verify_envelope(payload);
  REQUIRE_MESSAGE(verified, verified.error);
  const auto* info = verified.envelope->message_as_ScenarioInfo();
  REQUIRE(info != nullptr);
  return scenario_info_from_wire(*info);
}

const SeatDetails& seat(const ScenarioDetails& d, std::string_view id) {
  const auto it = std::find_if(d.seats.begin(), d.seats.end(), [&](const SeatDetails& s) { return s.id == id; });
  REQUIRE_MESSAGE(it != d.seats.end(), id);
  return *it;
}

bool has_event(const ScenarioDetails& d, std::string_view id) {
  return std::any_of(d.events.begin(), d.events.end(), [&](const EventDetails& e) { return e.id == id; });
}

}  // namespace

TEST_CASE("scenario info: the facilitator's copy holds every seat, objective, briefing and event, and survives") {
  const Scenario& s = default_scenario();
  const ScenarioDetails full = describe_scenario(s, numbered_texts(s), kFullScenario);
  const ScenarioDetails read = through_wire(full);
  CHECK(read == full);
  CHECK(read.name == "2028");
  CHECK(read.start == "2026Q3");
  CHECK(read.rounds == 10);
  REQUIRE(read.seats.size() == s.initial.actors.size());
  const SeatDetails& us = seat(read, "us");
  CHECK(us.name == "United States");
  CHECK(us.kind == ActorKind::Government);
  CHECK(us.bloc == Bloc::US);
  CHECK(us.default_bot == "scripts/bots/us_hawk.lua");
  CHECK(us.briefing == "briefing of us");
  REQUIRE(us.objectives.size() == 3);
  CHECK(us.objectives[0].metric == "lead_months");
  CHECK(us.objectives[0].weight == 1);
  CHECK(us.objectives[0].help == find_metric("lead_months")->help);
  CHECK(us.objectives[1].weight == 20);
  CHECK(seat(read, "cn").objectives[0].weight == -1);
  // A seat's actions are the catalogue's for it.
  CHECK(std::find(us.actions.begin(), us.actions.end(), "set_export_tier") != us.actions.end());
  CHECK(std::find(us.actions.begin(), us.actions.end(), "set_smuggling") == us.actions.end());
  CHECK(read.catalogue == describe_catalogue(&s.initial));
  // The engine's injects, with their parameters' ranges and the ids they may name.
  REQUIRE(read.injects.size() == inject_catalogue().size());
  const ActionDetails& shock = read.injects[2];
  CHECK(shock.name == "supply_shock");
  CHECK(shock.seats.empty());
  REQUIRE(shock.params.size() == 2);
  CHECK(shock.params[0].choices == std::vector<std::string>{"us_vendor", "cn_vendor"});
  CHECK(shock.params[1].min == doctest::Approx(0.01));
  CHECK(shock.params[1].max == doctest::Approx(0.9));
  // Every event of the table, with its title and description.
  REQUIRE(read.events.size() == s.events.size());
  CHECK(read.events[0].id == "euv_breakthrough");
  CHECK(read.events[0].title == s.events[0].text);
  CHECK(read.events[0].description == "about euv_breakthrough");
  CHECK(read.events[0].probability == doctest::Approx(0.04));
  CHECK(read.events[0].once);
  const auto talent = std::find_if(read.events.begin(), read.events.end(),
                                   [](const EventDetails& e) { return e.id == "talent_return"; });
  REQUIRE(talent != read.events.end());
  CHECK(talent->visibility == Visibility::Private);
  CHECK(talent->audience == std::vector<std::string>{"cn"});
}

TEST_CASE("scenario info: a seat learns only its own objectives and briefing, and only the events it may see") {
  const Scenario& s = default_scenario();
  const int us = s.initial.find_actor("us");
  const int cn = s.initial.find_actor("cn");
  const ScenarioDetails for_us = through_wire(describe_scenario(s, numbered_texts(s), us));
  CHECK(seat(for_us, "us").briefing == "briefing of us");
  CHECK(seat(for_us, "us").objectives.size() == 3);
  CHECK(seat(for_us, "cn").briefing.empty());
  CHECK(seat(for_us, "cn").objectives.empty());
  CHECK(seat(for_us, "cn").name == "China");        // who the others are is no secret
  CHECK_FALSE(seat(for_us, "cn").actions.empty());  // nor what they may do
  CHECK(seat(for_us, "us").default_bot.empty());    // which bot plays is the facilitator's
  CHECK_FALSE(has_event(for_us, "talent_return"));  // private to cn
  CHECK(has_event(for_us, "euv_breakthrough"));
  const ScenarioDetails for_cn = describe_scenario(s, numbered_texts(s), cn);
  CHECK(has_event(for_cn, "talent_return"));
  const ScenarioDetails for_observer = describe_scenario(s, numbered_texts(s), kNoActor);
  for (const SeatDetails& x : for_observer.seats) {
    CHECK(x.briefing.empty());
    CHECK(x.objectives.empty());
  }
  CHECK_FALSE(has_event(for_observer, "talent_return"));
  CHECK(for_observer.events.size() == s.events.size() - 1);
}

TEST_CASE("scenario info: build_scenario_info is the description and the wire in one call") {
  const Scenario& s = default_scenario();
  flatbuffers::FlatBufferBuilder fbb;
  const auto payload = payload_of(frame_message(fbb, 2, build_scenario_info(fbb, s, numbered_texts(s), kFullScenario)));
  const auto verified = verify_envelope(payload);
  REQUIRE(verified);
  CHECK(scenario_info_from_wire(*verified.envelope->message_as_ScenarioInfo()) ==
        describe_scenario(s, numbered_texts(s), kFullScenario));
  // Missing texts (an older caller) leave briefings and descriptions empty.
  const ScenarioDetails bare = describe_scenario(s, {}, kFullScenario);
  CHECK(bare.seats[0].briefing.empty());
  CHECK(bare.events[0].description.empty());
  CHECK(bare.seats[0].objectives.size() == 3);
}
