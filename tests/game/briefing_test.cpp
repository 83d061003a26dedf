// A seat's briefing written from the scenario (issue #19): role, starting
// figures, the seat's actions (and only those), objectives with how the
// score is computed, what it can and cannot see; and the event table in
// words.
#include <doctest/doctest.h>

#include "engine/catalogue.h"
#include "engine/lua/scenario_loader.h"
#include "engine/match.h"
#include "engine/text.h"
#include "game/briefing.h"

using namespace leadtime;
using leadtime::game::event_description;
using leadtime::game::objectives_text;
using leadtime::game::seat_briefing;

namespace {

const Scenario& default_scenario() {
  static const Scenario s = [] {
    auto loaded = load_scenario_file("scenarios/2028.lua");
    REQUIRE_MESSAGE(loaded.scenario, loaded.error);
    return std::move(*loaded.scenario);
  }();
  return s;
}

int seat_of(std::string_view id) { return default_scenario().initial.find_actor(id); }

const ScenarioEvent& event_of(std::string_view id) {
  for (const ScenarioEvent& e : default_scenario().events) {
    if (e.id == id) return e;
  }
  FAIL("no event " << id);
  throw std::logic_error("unreachable");
}

bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("briefing: role, starting situation and standing policy come from the scenario") {
  const std::string b = seat_briefing(default_scenario(), seat_of("us"));
  INFO(b);
  CHECK(b.starts_with("# Briefing: United States (us)\n"));
  CHECK(has(b, "You play United States, a government of the US bloc, in the scenario \"2028\""));
  CHECK(has(b, "10 rounds, one quarter each, from 2026Q3 to 2028Q4"));
  CHECK(has(b, "cn (China)"));
  CHECK(has(b, "- Cash: $20B\n"));
  CHECK(has(b, "- Budget: $20B a quarter\n"));
  // The scenario's starting orders, as the policy they set.
  CHECK(has(b, "export_tier: CN 1"));
  CHECK(has(b, "cloud_kyc 0.3"));
  CHECK(has(b, "export_promotion_usd_b: ROW 1"));

  const std::string lab = seat_briefing(default_scenario(), seat_of("us_lab"));
  CHECK(has(lab, "a lab of the US bloc"));
  CHECK(has(lab, "- Compute: 15M H100e installed\n"));
  CHECK(has(lab, "26.78 OOM"));
  const std::string vendor = seat_briefing(default_scenario(), seat_of("cn_vendor"));
  CHECK(has(vendor, "- Production capacity: 120k H100e a quarter"));
}

TEST_CASE("briefing: exactly the actions the engine lets the seat use, with ranges and units") {
  for (const Actor& a : default_scenario().initial.actors) {
    const std::string b = seat_briefing(default_scenario(), seat_of(a.id));
    for (const ActionSpec& spec : catalogue()) {
      const bool listed = has(b, "- `" + std::string(spec.name) + " ") || has(b, "- `" + std::string(spec.name) + "`");
      CHECK_MESSAGE(listed == action_allowed(spec, a), a.id << " " << spec.name);
    }
  }
  const std::string us = seat_briefing(default_scenario(), seat_of("us"));
  CHECK(has(us, "- `set_export_tier TARGET TIER`: Chip export tier for a destination"));
  CHECK(has(us, "  - TIER: 0 ban, 1 downgraded only, 2 licensed, 3 open; an integer from 0 to 3 (tier)\n"));
  CHECK(has(us, "  - USD_B: enforcement spending; a number from 0 to 20 ($B per quarter)\n"));
  const std::string lab = seat_briefing(default_scenario(), seat_of("cn_lab"));
  CHECK(has(lab, "  - TARGET: lab to distil from; one of us_lab, cn_lab, eu_lab\n"));
}

TEST_CASE("briefing: objectives say how the score is computed, and the start adds up to the engine's score") {
  const Scenario& s = default_scenario();
  const int cn = seat_of("cn");
  const std::string o = objectives_text(s, cn);
  INFO(o);
  CHECK(has(o, "- -1 x lead_months: lead of the best US lab over the best CN lab, months (now "));
  CHECK(has(o, "- 20 x own_global_share: your bloc stack's share of all markets, by size"));
  CHECK(has(o, "- 10 x own_row_share"));
  CHECK(has(o, "A negative weight rewards less of that metric."));
  // The score at the start is the engine's own.
  const Match match(std::make_shared<const Scenario>(s), 1);
  const double engine_score = match.state().outcomes.scores[static_cast<std::size_t>(cn)];
  CHECK(has(o, "At the start your score would be " + format_number(engine_score, 4) + ";"));
  CHECK(has(seat_briefing(s, cn), o));  // the briefing carries it whole
  CHECK_FALSE(has(objectives_text(s, seat_of("us")), "negative weight"));
}

TEST_CASE("briefing: what the seat can and cannot see, with the intelligence figures of the scenario") {
  const std::string b = seat_briefing(default_scenario(), seat_of("eu"));
  CHECK(has(b, "## What you can and cannot see"));
  CHECK(has(b, "spread of 30% with no intelligence spending); spending $0.5B a quarter on intelligence"));
  CHECK(has(b, "**You cannot see:** other actors' policies, orders or spending"));
  CHECK(has(b, "Private events** about eu reach you and the facilitator only"));
  CHECK(seat_briefing(default_scenario(), -1).empty());
  CHECK(seat_briefing(default_scenario(), 99).empty());
  CHECK(objectives_text(default_scenario(), 99).empty());
}

TEST_CASE("events in words: when they may fire, what they change, and who sees them") {
  const Scenario& s = default_scenario();
  CHECK(event_description(s, event_of("euv_breakthrough")) ==
        "May fire each round with probability 4%, from 2027Q1, at most once, while cn's cum_fab_investment_usd_b >= "
        "30. It sets cn_vendor's euv_multiplier to 2. Everyone sees it.");
  CHECK(has(event_description(s, event_of("gulf_hubs")), "It adds 300000 to the SEA hubs' compute_h100e."));
  CHECK(has(event_description(s, event_of("fab_disruption")), "It multiplies us_vendor's capacity_h100e by 0.9."));
  CHECK(has(event_description(s, event_of("talent_return")), "Only cn sees it."));
  const protocol::ScenarioTexts texts = game::scenario_texts(s);
  CHECK(texts.briefings.size() == s.initial.actors.size());
  CHECK(texts.event_descriptions.size() == s.events.size());
  CHECK(texts.briefings[1] == seat_briefing(s, 1));
}
