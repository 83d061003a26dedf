// A game's life without sockets: tokens, phases, deadlines, pause, force,
// injects, bot seats, press privacy, and that a served game resolves exactly
// like a headless match given the same orders.
#include <doctest/doctest.h>

#include "batch/headless.h"
#include "game/game.h"
#include "tests/calibration/lines.h"
#include "tests/game/fixed_bots.h"

namespace lt = leadtime;
namespace srv = leadtime::game;
using namespace std::chrono_literals;

namespace {

const srv::TimePoint t0{};

lt::OrderDraft tier(double t) { return {"set_export_tier", {{"target", std::string("CN")}, {"tier", t}}}; }

// Every seat a person's, except the listed bot seats.
srv::GameOptions options(std::vector<int> bots = {}) {
  srv::GameOptions o;
  o.seed = 7;
  o.deadline = 600s;
  o.bot_seats.assign(lt::testing::default_scenario()->initial.actors.size(), false);
  for (int b : bots) o.bot_seats[static_cast<std::size_t>(b)] = true;
  return o;
}

srv::Game make_game(srv::GameOptions o = options(), srv::Game::BotPlayer bots = nullptr) {
  return srv::Game("g1", lt::testing::default_scenario(), std::move(o), std::move(bots));
}

void all_ready(srv::Game& g, srv::TimePoint now) {
  for (int s = 0; s < static_cast<int>(g.match().state().actors.size()); ++s) {
    if (!g.is_bot(s)) REQUIRE_FALSE(g.set_ready(s, true, now));
  }
}

}  // namespace

TEST_CASE("game: tokens are 128-bit, shown once, and name the right role") {
  srv::Game g = make_game();
  CHECK_FALSE(g.authenticate("anything"));
  const srv::Tokens t = g.issue_tokens();
  REQUIRE(t.seats.size() == 8);
  CHECK(t.facilitator.size() == 32);  // 16 random bytes in hex
  CHECK(t.seats[0] != t.seats[1]);
  CHECK(g.issue_tokens().seats.empty());
  CHECK(g.authenticate(t.facilitator)->role == srv::Role::Facilitator);
  CHECK(g.authenticate(t.observer)->role == srv::Role::Observer);
  const auto seat = g.authenticate(t.seats[5]);
  REQUIRE(seat);
  CHECK(seat->role == srv::Role::Seat);
  CHECK(seat->seat == 5);
  CHECK_FALSE(g.authenticate(t.seats[5] + "0"));
  CHECK_FALSE(g.authenticate(""));
}

TEST_CASE("game: lobby, orders, ready, resolution, deadline, pause, resume, extend, end") {
  srv::Game g = make_game();
  CHECK(g.phase() == srv::Phase::Lobby);
  CHECK(std::get<srv::Refusal>(g.submit(0, "ann", {tier(0)}, t0)) ==
        srv::Refusal{srv::RefusalCode::WrongPhase, "the game has not started"});
  REQUIRE_FALSE(g.start(t0));
  CHECK(g.phase() == srv::Phase::Orders);
  CHECK(g.time_left(t0) == 600s);
  // Valid orders stand beside rejected ones, with the reason.
  auto v = std::get<lt::ValidatedOrders>(g.submit(0, "ann", {tier(0), tier(9)}, t0));
  CHECK(v.orders.size() == 1);
  REQUIRE(v.errors.size() == 1);
  CHECK(v.errors[0].message.find("allowed an integer from 0 to 3") != std::string::npos);
  // All people ready: the round resolves at once.
  all_ready(g, t0 + 10s);
  CHECK(g.match().state().round == 1);
  CHECK(g.match().state().actors[0].policy.export_tier[1] == 0);
  CHECK(g.time_left(t0 + 10s) == 600s);  // a fresh deadline for round 2
  // The deadline resolves a round nobody readied; standing orders carry on.
  g.tick(t0 + 500s);
  CHECK(g.match().state().round == 1);
  g.tick(t0 + 611s);
  CHECK(g.match().state().round == 2);
  // Paused: the clock stops, and resumes with the time that was left.
  REQUIRE_FALSE(g.pause(t0 + 711s));  // 500 s left of round 3
  CHECK(g.pause(t0 + 712s) == srv::Refusal{srv::RefusalCode::WrongPhase, "the game is already paused"});
  g.tick(t0 + 5000s);
  CHECK(g.match().state().round == 2);
  // Paused, teams still submit and say ready; only the round waits.
  REQUIRE(std::holds_alternative<lt::ValidatedOrders>(g.submit(0, "ann", {tier(1)}, t0 + 5000s)));
  for (int s = 0; s < 8; ++s) REQUIRE_FALSE(g.set_ready(s, true, t0 + 5000s));
  CHECK(g.match().state().round == 2);
  for (int s = 0; s < 8; ++s) REQUIRE_FALSE(g.set_ready(s, false, t0 + 5000s));
  REQUIRE_FALSE(g.move_deadline(60s, t0 + 5000s));
  REQUIRE_FALSE(g.resume(t0 + 6000s));
  CHECK(g.time_left(t0 + 6000s) == 560s);
  REQUIRE_FALSE(g.move_deadline(-500s, t0 + 6000s));
  CHECK(g.time_left(t0 + 6000s) == 60s);
  REQUIRE_FALSE(g.force(t0 + 6001s));
  CHECK(g.match().state().round == 3);
  REQUIRE_FALSE(g.end());
  CHECK(g.phase() == srv::Phase::Finished);
  CHECK(g.force(t0 + 6002s) == srv::Refusal{srv::RefusalCode::WrongPhase, "the game is over"});
  // The change log holds every step in order.
  std::vector<std::string> kinds;
  for (const srv::Change& c : g.changes()) kinds.push_back(std::string(srv::kind_name(c.kind())));
  CHECK(kinds.front() == "started");
  CHECK(kinds.back() == "ended");
  CHECK(std::count(kinds.begin(), kinds.end(), "resolved") == 3);
  CHECK(std::count(kinds.begin(), kinds.end(), "paused") == 1);
}

TEST_CASE("game: the last submission counts and names its member") {
  srv::Game g = make_game();
  REQUIRE_FALSE(g.start(t0));
  (void)g.submit(0, "ann", {tier(0)}, t0);
  (void)g.submit(0, "bob", {tier(2)}, t0);
  REQUIRE(g.submission(0));
  CHECK(g.submission(0)->member == "bob");
  REQUIRE_FALSE(g.force(t0));
  CHECK(g.match().state().actors[0].policy.export_tier[1] == 2);
}

TEST_CASE("game: a served game resolves like a headless match with the same orders") {
  const auto scenario = lt::testing::default_scenario();
  const lt::OrderLine tight = lt::testing::line("tight");
  srv::Game g = make_game();
  REQUIRE_FALSE(g.start(t0));
  for (std::size_t seat = 0; seat < tight.at_start.size(); ++seat) {
    if (!tight.at_start[seat].empty()) (void)g.submit(static_cast<int>(seat), "team", tight.at_start[seat], t0);
  }
  for (int r = 0; r < scenario->rounds; ++r) all_ready(g, t0 + std::chrono::seconds(r));
  CHECK(g.phase() == srv::Phase::Finished);
  const lt::LineResult headless = lt::play_line(scenario, 7, &tight);
  REQUIRE(headless.errors.empty());
  REQUIRE(g.match().history().size() == headless.match->history().size());
  for (std::size_t r = 0; r < headless.match->history().size(); ++r) {
    CHECK(g.match().history()[r].hash == headless.match->history()[r].hash);
  }
}

TEST_CASE("game: bot seats decide at resolution; a failing bot keeps standing orders and is told") {
  int calls = 0;
  lt::testing::FixedBot bots = [&](int seat, const lt::View& view,
                                   const lt::State&) -> std::variant<std::vector<lt::OrderDraft>, std::string> {
    ++calls;
    CHECK(view.viewer == seat);  // a bot gets its own seat's fog-of-war view
    if (seat == 1) return std::string("instruction budget exceeded");
    return std::vector<lt::OrderDraft>{};
  };
  std::vector<int> every_seat(8);
  for (int i = 0; i < 8; ++i) every_seat[static_cast<std::size_t>(i)] = i;
  srv::Game g = make_game(options(every_seat), lt::testing::fixed_bots(bots));
  REQUIRE_FALSE(g.start(t0));  // nobody to wait for: the whole match plays
  CHECK(g.phase() == srv::Phase::Finished);
  CHECK(calls == 80);
  int faults = 0;
  for (const lt::Event& e : g.match().history()[0].events) {
    if (e.kind != "bot_fault") continue;
    ++faults;
    CHECK(e.visibility == lt::Visibility::Private);
    CHECK(e.audience == std::vector<int>{1});
  }
  CHECK(faults == 1);
}

TEST_CASE("game: swapping the last waiting seat to a bot lets the round resolve") {
  srv::Game g =
      make_game(options(), lt::testing::fixed_bots([](int, const lt::View&, const lt::State&) {
                  return std::variant<std::vector<lt::OrderDraft>, std::string>(std::vector<lt::OrderDraft>{});
                }));
  REQUIRE_FALSE(g.start(t0));
  for (int s = 1; s < 8; ++s) REQUIRE_FALSE(g.set_ready(s, true, t0));
  CHECK(g.match().state().round == 0);
  REQUIRE_FALSE(g.swap(0, true, "scripts/bots/us_hawk.lua", t0));
  CHECK(g.match().state().round == 1);
  CHECK(g.is_bot(0));
}

TEST_CASE("game: injects are checked, then fire in the next resolution") {
  srv::Game g = make_game();
  REQUIRE_FALSE(g.start(t0));
  lt::Inject bad;
  bad.event_id = "alien_invasion";
  const auto unknown = g.inject(bad);
  REQUIRE(unknown);
  CHECK(unknown->code == srv::RefusalCode::NotFound);
  CHECK(unknown->text.find("unknown event 'alien_invasion'; the scenario's events: ") != std::string::npos);
  CHECK(unknown->text.find("gulf_hubs") != std::string::npos);  // the valid ids are listed
  lt::Inject custom;
  custom.custom.id = "custom";
  custom.custom.effects = {{"nobody", "cash_usd_b", lt::EffectOp::Add, 1}};
  CHECK(g.inject(custom)->text.find("unknown target 'nobody'") != std::string::npos);
  lt::Inject good;
  good.event_id = "gulf_hubs";
  REQUIRE_FALSE(g.inject(good));
  REQUIRE_FALSE(g.force(t0));
  bool fired = false;
  for (const lt::Event& e : g.match().history()[0].events) fired = fired || e.kind == "gulf_hubs";
  CHECK(fired);
}

TEST_CASE("game: press reaches only its addressees; reconnecting gets what was missed") {
  srv::Game g = make_game();
  REQUIRE_FALSE(g.start(t0));
  REQUIRE_FALSE(g.send(0, {2}, "us to eu: align tools?"));
  REQUIRE_FALSE(g.send(1, {}, "cn: we welcome investment"));
  REQUIRE_FALSE(g.send(lt::kNoActor, {}, "facilitator: 5 minutes left"));
  CHECK(g.send(0, {42}, "x")->text.find("unknown recipient") != std::string::npos);
  CHECK(g.send(0, {42}, "x")->code == srv::RefusalCode::NotFound);
  CHECK(g.send(0, {1}, "")->code == srv::RefusalCode::Invalid);
  const srv::Identity us{srv::Role::Seat, 0};
  const srv::Identity cn{srv::Role::Seat, 1};
  const srv::Identity eu{srv::Role::Seat, 2};
  const srv::Identity observer{srv::Role::Observer, lt::kNoActor};
  const srv::Identity facilitator{srv::Role::Facilitator, lt::kNoActor};
  CHECK(g.messages_for(us).size() == 3);
  CHECK(g.messages_for(eu).size() == 3);
  CHECK(g.messages_for(cn).size() == 2);  // not the US-EU message
  for (const srv::Message& m : g.messages_for(cn)) CHECK(m.text.find("align tools") == std::string::npos);
  CHECK(g.messages_for(observer).size() == 2);
  CHECK(g.messages_for(facilitator).size() == 3);
  const std::uint64_t seen = g.messages_for(eu)[1].seq;
  const auto missed = g.messages_for(eu, seen);
  REQUIRE(missed.size() == 1);
  CHECK(missed[0].text == "facilitator: 5 minutes left");
}

TEST_CASE("game: a seat's view never holds another seat's private state; observers see public only") {
  srv::Game g = make_game();
  REQUIRE_FALSE(g.start(t0));
  (void)g.submit(1, "li", {{"set_smuggling", {{"usd_b", 3.0}}}}, t0);
  REQUIRE_FALSE(g.force(t0));
  const lt::View us = g.view_for({srv::Role::Seat, 0});
  REQUIRE(us.self);
  CHECK(us.self->id == "us");
  for (const lt::Estimate& e : us.others) CHECK(e.id != "us");
  const lt::State& truth = g.match().state();
  const auto& cn_est = us.others[0];
  CHECK(cn_est.id == "cn");
  CHECK(cn_est.cash_usd_b != truth.actors[1].cash_usd_b);  // an estimate, not the figure
  const lt::View obs = g.view_for({srv::Role::Observer, lt::kNoActor});
  CHECK_FALSE(obs.self);
  CHECK(obs.others.empty());
  for (const lt::Event& e : obs.events) CHECK(e.visibility == lt::Visibility::Public);
}

TEST_CASE("game: without a BotPlayer a due round waits in Resolving for the bots' orders") {
  srv::Game g = make_game(options({1}));
  REQUIRE_FALSE(g.start(t0));
  all_ready(g, t0);
  CHECK(g.phase() == srv::Phase::Resolving);
  CHECK(g.match().state().round == 0);
  // Nothing may change the round while its bots decide.
  CHECK(std::get<srv::Refusal>(g.submit(0, "ann", {tier(1)}, t0)).text.find("resolving") != std::string::npos);
  CHECK(g.force(t0)->text.find("resolving") != std::string::npos);
  CHECK(g.swap(1, false, "", t0)->text.find("resolving") != std::string::npos);
  CHECK(g.status(t0).phase == srv::Phase::Resolving);
  srv::BotOrders bots;
  bots.orders.resize(8);
  bots.orders[1] = lt::validate_orders(g.match().state(), 1, {{"set_fab_investment", {{"usd_b", 3.0}}}}).orders;
  REQUIRE(bots.orders[1].size() == 1);
  bots.orders[0] = lt::validate_orders(g.match().state(), 0, {tier(0)}).orders;  // not a bot seat: ignored
  g.complete_round(std::move(bots), t0 + 5s);
  CHECK(g.phase() == srv::Phase::Orders);
  CHECK(g.match().state().round == 1);
  CHECK(g.match().state().actors[1].policy.fab_investment_usd_b == doctest::Approx(3.0));
  CHECK(g.match().state().actors[0].policy.export_tier[1] != 0);
  REQUIRE(g.last_played().size() == 8);
  CHECK(g.last_played()[1].bot);
  CHECK_FALSE(g.last_played()[0].bot);
  CHECK(g.time_left(t0 + 5s) == 600s);
  const srv::GameStatus st = g.status(t0 + 5s);
  CHECK(st.round == 1);
  CHECK(st.seats[1].bot);
  CHECK_FALSE(st.seats[0].ready);
}
