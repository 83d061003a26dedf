// A game's journal: replaying its changes rebuilds the same game (rounds,
// hashes, submissions, press, pause and deadline), a tampered journal names
// the first round that differs, and rolling back a round restores the state
// before it with the teams' orders editable again.
#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "engine/hash.h"
#include "game/journal.h"
#include "tests/calibration/lines.h"
#include "tests/game/fixed_bots.h"

namespace lt = leadtime;
namespace srv = leadtime::game;
using namespace std::chrono_literals;

namespace {

const srv::TimePoint t0 = srv::TimePoint{} + 1000s;

lt::OrderDraft tier(double t) { return {"set_export_tier", {{"target", std::string("CN")}, {"tier", t}}}; }

srv::GameOptions options() {
  srv::GameOptions o;
  o.seed = 21;
  o.deadline = 600s;
  o.bot_seats.assign(8, false);
  o.bot_seats[1] = true;  // cn, played by a fixed "bot" below
  return o;
}

// A bot that always funds fabs, a little more each round.
srv::Game::BotPlayer fab_bot() {
  return lt::testing::fixed_bots([](int, const lt::View& view, const lt::State&) {
    return std::variant<std::vector<lt::OrderDraft>, std::string>(
        std::vector<lt::OrderDraft>{{"set_fab_investment", {{"usd_b", 1.0 + view.round}}}});
  });
}

std::int64_t ms_of(srv::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// The game's changes through their stored form and back, as a store or a
// save file hands them to replay.
std::vector<srv::JournalLine> journal_of(const srv::Game& g) {
  std::vector<srv::JournalLine> out;
  for (const srv::Change& c : g.changes()) {
    auto line = srv::journal_line(srv::journal_entry(c, ms_of(c.at)));
    REQUIRE(std::holds_alternative<srv::JournalLine>(line));
    out.push_back(std::get<srv::JournalLine>(std::move(line)));
  }
  return out;
}

std::variant<std::vector<srv::JournalLine>, std::string> stored(
    const std::vector<std::tuple<std::string, int, std::string>>& entries) {
  std::vector<leadtime::server::store::JournalEntry> out;
  std::uint64_t seq = 0;
  for (const auto& [kind, seat, payload] : entries) out.push_back({++seq, 0, kind, seat, payload});
  return srv::journal_lines(out);
}

// A game with most of what a session does: orders, ready, press, pause,
// deadline moves, an inject, a deadline passing, a swap and a rollback.
srv::Game played_game() {
  srv::Game g("g1", lt::testing::default_scenario(), options(), fab_bot());
  (void)g.issue_tokens();
  REQUIRE_FALSE(g.start(t0));
  (void)g.submit(0, "ann", {tier(0)}, t0 + 5s);
  (void)g.submit(2, "eve", {{"set_regulation", {{"strictness", 0.3}}}}, t0 + 6s);
  REQUIRE_FALSE(g.send(0, {2}, "align?"));
  REQUIRE_FALSE(g.force(t0 + 10s));  // round 1
  REQUIRE_FALSE(g.pause(t0 + 20s));
  REQUIRE_FALSE(g.move_deadline(120s, t0 + 30s));
  REQUIRE_FALSE(g.resume(t0 + 40s));
  lt::Inject inject;
  inject.event_id = "gulf_hubs";
  REQUIRE_FALSE(g.inject(inject));
  (void)g.submit(0, "bob", {tier(2)}, t0 + 50s);
  g.tick(t0 + 2000s);  // round 2 at its deadline
  REQUIRE_FALSE(g.swap(3, true, "scripts/bots/vendor_revenue.lua", t0 + 2001s));
  (void)g.submit(0, "ann", {tier(1)}, t0 + 2002s);
  REQUIRE_FALSE(g.force(t0 + 2003s));     // round 3
  REQUIRE_FALSE(g.rollback(t0 + 2004s));  // back to after round 2
  (void)g.submit(2, "eve", {{"set_regulation", {{"strictness", 0.9}}}}, t0 + 2005s);
  REQUIRE_FALSE(g.set_ready(0, true, t0 + 2006s));
  REQUIRE_FALSE(g.send(lt::kNoActor, {}, "five minutes"));
  return g;
}

}  // namespace

TEST_CASE("journal: replaying a game's changes rebuilds the same game") {
  const srv::Game g = played_game();
  REQUIRE(g.match().history().size() == 2);
  srv::Game copy("g1", lt::testing::default_scenario(), options(), nullptr);
  const srv::ReplayResult r = srv::replay(copy, journal_of(g));
  REQUIRE_MESSAGE(r.error.empty(), r.error);
  CHECK(r.first_mismatch == -1);
  REQUIRE(copy.match().history().size() == 2);
  for (std::size_t i = 0; i < 2; ++i) CHECK(copy.match().history()[i].hash == g.match().history()[i].hash);
  CHECK(lt::state_hash(copy.match().state()) == lt::state_hash(g.match().state()));
  CHECK(copy.phase() == g.phase());
  CHECK(copy.is_bot(3));
  CHECK(copy.bot_path(3) == "scripts/bots/vendor_revenue.lua");
  CHECK(copy.is_ready(0));
  REQUIRE(copy.submission(2));
  CHECK(copy.submission(2)->member == "eve");
  CHECK(copy.submission(2)->orders == g.submission(2)->orders);
  REQUIRE(copy.submission(0));  // restored by the rollback
  CHECK(copy.submission(0)->orders == g.submission(0)->orders);
  CHECK(copy.messages().size() == 2);
  CHECK(copy.time_left(r.last_at) == g.time_left(t0 + 2006s));
  // The same log again, but for the "resolving" waits a game without
  // in-place bots adds.
  const auto kinds = [](const srv::Game& game) {
    std::vector<srv::ChangeKind> out;
    for (const srv::Change& c : game.changes()) {
      if (c.kind() != srv::ChangeKind::Resolving) out.push_back(c.kind());
    }
    return out;
  };
  CHECK(kinds(copy) == kinds(g));
}

TEST_CASE("journal: a tampered journal names the first round that differs") {
  const srv::Game g = played_game();
  std::vector<srv::JournalLine> lines = journal_of(g);
  // Change what the US ordered for round 2 (the second submission by ann's team).
  int seen = 0;
  for (srv::JournalLine& l : lines) {
    auto* submitted = std::get_if<srv::change::Submitted>(&l.change);
    if (submitted != nullptr && l.seat == 0 && ++seen == 2) submitted->orders[0].args[1] = 3.0;
  }
  REQUIRE(seen >= 2);
  srv::Game copy("g1", lt::testing::default_scenario(), options(), nullptr);
  const srv::ReplayResult r = srv::replay(copy, lines);
  CHECK(r.first_mismatch == 2);
  CHECK(r.error.find("round 2 differs") != std::string::npos);
}

TEST_CASE("journal: a stored line that cannot be read is named, with its kind and what is wrong") {
  auto lines = stored({{"started", lt::kNoActor, "{}"},
                       {"submitted", 0, R"({"member":"x","orders":[{"action":"fly"}]})"},
                       {"teleported", 0, "{}"}});
  REQUIRE(std::holds_alternative<std::string>(lines));
  CHECK(std::get<std::string>(lines) == "journal line 2 (submitted): order 1: unknown action 'fly'");
  lines = stored({{"started", lt::kNoActor, "{}"}, {"teleported", 0, "{}"}});
  CHECK(std::get<std::string>(lines) == "journal line 2 (teleported): unknown kind 'teleported'");
  lines = stored({{"ready", 0, R"({"ready":"yes"})"}});
  REQUIRE(std::holds_alternative<std::string>(lines));
  CHECK(std::get<std::string>(lines).starts_with("journal line 1 (ready): malformed arguments: "));
  lines = stored({{"message", 0, "[1,2]"}});
  CHECK(std::get<std::string>(lines) == "journal line 1 (message): the arguments are not a JSON object");
  lines = stored({{"injected", lt::kNoActor, R"({"engine":"supply_shock","args":{"share":[1]}})"}});
  CHECK(std::get<std::string>(lines) ==
        "journal line 1 (injected): argument 'share' is [1], not a number, flag or name");
  lines = stored({{"injected", lt::kNoActor, R"({"engine":"supply_shock","args":3})"}});
  CHECK(std::get<std::string>(lines) == "journal line 1 (injected): 'args' is not an object");
}

TEST_CASE("journal: a line that cannot be applied is named") {
  auto lines = stored({{"started", lt::kNoActor, "{}"}, {"started", lt::kNoActor, "{}"}});
  REQUIRE(std::holds_alternative<std::vector<srv::JournalLine>>(lines));
  srv::Game copy("g1", lt::testing::default_scenario(), options(), nullptr);
  const srv::ReplayResult r = srv::replay(copy, std::get<std::vector<srv::JournalLine>>(lines));
  CHECK(r.error == "journal line 2 (started): the game has already started");
}

TEST_CASE("journal: every kind of change is written and read back as it was") {
  const srv::Game g = played_game();
  std::set<srv::ChangeKind> seen;
  for (const srv::Change& c : g.changes()) {
    const auto entry = srv::journal_entry(c, 42);
    CHECK(entry.kind == srv::kind_name(c.kind()));
    auto line = srv::journal_line(entry);
    REQUIRE(std::holds_alternative<srv::JournalLine>(line));
    const srv::JournalLine& back = std::get<srv::JournalLine>(line);
    CHECK(back.seq == c.seq);
    CHECK(back.seat == c.seat);
    CHECK(back.change.index() == c.data.index());
    // Written again, the line is the same text: nothing is lost either way.
    CHECK(srv::journal_entry({back.seq, back.seat, back.change, {}}, 42).payload == entry.payload);
    seen.insert(c.kind());
  }
  CHECK(seen.size() >= 12);
  for (std::size_t k = 0; k < std::variant_size_v<srv::ChangeData>; ++k) {
    const auto kind = static_cast<srv::ChangeKind>(k);
    CHECK(srv::kind_named(srv::kind_name(kind)) == kind);
  }
}

TEST_CASE("journal: an engine inject with its parameters fires at the next resolution and replays the same") {
  srv::Game g("g1", lt::testing::default_scenario(), options(), fab_bot());
  REQUIRE_FALSE(g.start(t0));
  REQUIRE_FALSE(g.inject_by_id("supply_shock", {{"vendor", std::string("cn_vendor")}, {"share", 0.4}}));
  REQUIRE_FALSE(g.force(t0 + 10s));
  REQUIRE(g.match().history().size() == 1);
  const auto& events = g.match().history()[0].events;
  CHECK(std::any_of(events.begin(), events.end(), [](const lt::Event& e) {
    return e.kind == "supply_shock" && e.text.find("loses 40%") != std::string::npos;
  }));
  REQUIRE(g.changes().size() >= 2);
  const srv::Change& injected = *std::find_if(g.changes().begin(), g.changes().end(), [](const srv::Change& c) {
    return c.kind() == srv::ChangeKind::Injected;
  });
  CHECK(srv::describe(injected) == "injected supply_shock");

  // Refused with reasons, and nothing recorded.
  const std::size_t changes = g.changes().size();
  const auto out_of_range = g.inject_by_id("supply_shock", {{"vendor", std::string("cn_vendor")}, {"share", 2.0}});
  REQUIRE(out_of_range);
  CHECK(out_of_range->code == srv::RefusalCode::Invalid);
  CHECK(out_of_range->text.starts_with("supply_shock: parameter 'share' is 2, allowed a number from 0.01 to 0.9"));
  const auto unknown = g.inject_by_id("alien_landing", {});
  REQUIRE(unknown);
  CHECK(unknown->code == srv::RefusalCode::NotFound);
  CHECK(unknown->text.find("the engine's injects, with parameters: smuggling_case, model_theft, supply_shock") !=
        std::string::npos);
  const auto scenario_event = g.inject_by_id("gulf_hubs", {{"share", 0.5}});
  REQUIRE(scenario_event);
  CHECK(scenario_event->text == "the scenario's event 'gulf_hubs' takes no parameters");
  CHECK(g.changes().size() == changes);

  srv::Game copy("g1", lt::testing::default_scenario(), options(), nullptr);
  const srv::ReplayResult r = srv::replay(copy, journal_of(g));
  REQUIRE_MESSAGE(r.error.empty(), r.error);
  CHECK(r.first_mismatch == -1);
  CHECK(lt::state_hash(copy.match().state()) == lt::state_hash(g.match().state()));
  const auto stored = srv::journal_entry(injected, 0);
  CHECK(nlohmann::json::parse(stored.payload) ==
        nlohmann::json{{"engine", "supply_shock"}, {"args", {{"vendor", "cn_vendor"}, {"share", 0.4}}}});
}

TEST_CASE("journal: a server restart moves the deadline by the time it was down, in the game and in every replay") {
  srv::Game g("g1", lt::testing::default_scenario(), options(), fab_bot());
  REQUIRE_FALSE(g.start(t0));
  auto submitted = g.submit(0, "ann", {tier(1)}, t0 + 100s);
  REQUIRE(std::holds_alternative<lt::ValidatedOrders>(submitted));
  // Down from t0 + 100 s (the last change) to t0 + 1000 s: the 500 s left
  // at the crash are left after it.
  g.restarted(900s, t0 + 1000s);
  CHECK(g.time_left(t0 + 1000s) == 500s);
  REQUIRE(g.changes().back().kind() == srv::ChangeKind::Recovered);
  CHECK(srv::describe(g.changes().back()) == "recovered after 900s down");

  srv::Game copy("g1", lt::testing::default_scenario(), options(), nullptr);
  const srv::ReplayResult r = srv::replay(copy, journal_of(g));
  REQUIRE_MESSAGE(r.error.empty(), r.error);
  CHECK(copy.changes().size() == g.changes().size());  // the store's count of what it holds stays true
  CHECK(r.last_at == t0 + 1000s);
  CHECK(copy.time_left(r.last_at) == 500s);

  auto lines = stored({{"recovered", lt::kNoActor, R"({"downtime_ms":-5})"}});
  REQUIRE(std::holds_alternative<std::string>(lines));
  CHECK(std::get<std::string>(lines) ==
        "journal line 1 (recovered): 'downtime_ms' is -5, not a whole number of milliseconds from 0");
}

TEST_CASE("journal: a deadline move by a fraction or a huge float is refused, naming it; a huge integer saturates") {
  for (const nlohmann::json& by :
       {nlohmann::json(1e300), nlohmann::json(-1e300), nlohmann::json(2.5), nlohmann::json("60")}) {
    const auto lines =
        stored({{"started", lt::kNoActor, "{}"}, {"deadline", lt::kNoActor, nlohmann::json{{"by", by}}.dump()}});
    REQUIRE(std::holds_alternative<std::string>(lines));
    CHECK(std::get<std::string>(lines) ==
          "journal line 2 (deadline): 'by' is " + by.dump() + ", not a whole number of seconds");
  }
  srv::Game copy("g1", lt::testing::default_scenario(), options(), nullptr);
  auto lines =
      stored({{"started", lt::kNoActor, "{}"},
              {"deadline", lt::kNoActor, nlohmann::json{{"by", std::numeric_limits<std::int64_t>::max()}}.dump()}});
  REQUIRE(std::holds_alternative<std::vector<srv::JournalLine>>(lines));
  auto& replayable = std::get<std::vector<srv::JournalLine>>(lines);
  for (srv::JournalLine& l : replayable) l.at_ms = 1'000'000;
  const srv::ReplayResult r = srv::replay(copy, replayable);
  CHECK(r.error.empty());
  CHECK(copy.time_left(t0) == srv::Seconds{std::numeric_limits<std::uint32_t>::max()});
}

TEST_CASE("game: rolling back a round restores the state before it and its orders") {
  srv::Game g("g1", lt::testing::default_scenario(), options(), fab_bot());
  CHECK(g.rollback(t0) == srv::Refusal{srv::RefusalCode::WrongPhase, "no round has been resolved yet"});
  REQUIRE_FALSE(g.start(t0));
  REQUIRE_FALSE(g.force(t0));
  const std::uint64_t after_one = g.match().history()[0].hash;
  (void)g.submit(0, "ann", {tier(2)}, t0 + 1s);
  REQUIRE_FALSE(g.force(t0 + 2s));
  const std::uint64_t after_two = g.match().history()[1].hash;
  REQUIRE_FALSE(g.rollback(t0 + 3s));
  CHECK(g.match().history().size() == 1);
  CHECK(lt::state_hash(g.match().state()) == after_one);
  CHECK(g.phase() == srv::Phase::Orders);
  REQUIRE(g.submission(0));
  CHECK(g.submission(0)->member == "ann");
  CHECK(g.changes().back().kind() == srv::ChangeKind::RolledBack);
  // The same orders again give the same round.
  REQUIRE_FALSE(g.force(t0 + 4s));
  CHECK(g.match().history()[1].hash == after_two);
  // Different orders give another.
  REQUIRE_FALSE(g.rollback(t0 + 5s));
  (void)g.submit(0, "ann", {tier(0)}, t0 + 6s);
  REQUIRE_FALSE(g.force(t0 + 7s));
  CHECK(g.match().history()[1].hash != after_two);
}
