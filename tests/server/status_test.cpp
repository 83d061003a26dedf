// A game's status line (GameSummary) goes to its members at most once per
// status interval (issue #21): the first change after a quiet spell at
// once, the changes within the interval after it together at its end, so a
// game's frames grow with its members and the time it runs, not with
// members x changes. A new phase or round goes at once.
#include <array>
#include <thread>

#include "protocol/convert.h"
#include "tests/server/service_fixture.h"

using namespace std::chrono_literals;

namespace {

leadtime::server::ServerOptions status_every(std::chrono::milliseconds interval) {
  leadtime::server::ServerOptions o;
  o.status_interval = interval;
  return o;
}

// A game of people_game() whose facilitator has joined (the first status
// line, sent at once) and started it (news: a second line at once); the
// "us" seat joined after both went.
struct WatchedGame {
  std::shared_ptr<Inbox> fac_inbox = std::make_shared<Inbox>();
  std::shared_ptr<Inbox> us_inbox = std::make_shared<Inbox>();
  app::GameCreated created;
  app::Membership fac;
  app::Membership us;

  explicit WatchedGame(Service& s)
      : created(people_game_by(s, fac_inbox)), fac(join(s, created.facilitator_token, fac_inbox)) {
    settle(s, fac);
    start(s, fac);
    settle(s, fac);
    us = join(s, token_of(created, "us"), us_inbox);
  }
};

// A reply to wait for later.
template <class T>
struct Pending {
  std::promise<app::Result<T>> promise;
  app::Reply<T> reply() {
    return [this](app::Result<T> r) { promise.set_value(std::move(r)); };
  }
  void answered() {
    auto future = promise.get_future();
    REQUIRE(future.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    ok(future.get());
  }
};

// Runs `queue` with the service's event loop held, so the requests it makes
// wait and then run back to back: within one status interval however slow
// the machine, as the interval's timer takes its turn after them.
template <class Queue>
void back_to_back(Service& s, Queue queue) {
  std::promise<void> gate;
  asio::post(s.io, [opened = gate.get_future().share()] { opened.wait(); });
  queue();
  gate.set_value();
}

leadtime::OrderDraft tier_order(double tier) {
  return {"set_export_tier", {{"target", std::string("CN")}, {"tier", tier}}};
}

// The seat submits orders and says it is ready, back to back: two changes
// to the status line.
void submit_and_ready(Service& s, const app::Membership& seat) {
  Pending<app::OrdersTaken> taken;
  Pending<app::Done> ready;
  back_to_back(s, [&] {
    s.service->submit(seat, {tier_order(2.0)}, taken.reply());
    s.service->ready(seat, true, ready.reply());
  });
  taken.answered();
  ready.answered();
}

// A started game whose status interval outlasts the test, after "us"
// joined, submitted and said it is ready: only lines that go at once arrive.
struct HeldGame {
  Service s{status_every(60s)};
  WatchedGame g{s};
  HeldGame() {
    submit_and_ready(s, g.us);
    settle(s, g.fac);
  }
};

const wire::SeatSummary* seat_in(const std::vector<std::uint8_t>& envelope, const std::string& seat) {
  const auto* summary = wire::GetEnvelope(envelope.data())->message_as_GameSummary();
  REQUIRE(summary != nullptr);
  for (const auto* s : *summary->seats()) {
    if (s->seat()->str() == seat) return s;
  }
  FAIL("no seat " << seat << " in the status line");
  return nullptr;
}

}  // namespace

TEST_CASE("status line: the first change after a quiet spell is shown at once, later ones wait for the interval") {
  const HeldGame held;
  const WatchedGame& g = held.g;
  // The facilitator's join, then the start (a new phase: news).
  REQUIRE(g.fac_inbox->count(wire::Message::GameSummary) == 2);
  const auto joined = g.fac_inbox->nth(wire::Message::GameSummary, 0);
  CHECK(wire::GetEnvelope(joined.data())->message_as_GameSummary()->phase()->str() == "lobby");
  const auto started = g.fac_inbox->nth(wire::Message::GameSummary, 1);
  CHECK(wire::GetEnvelope(started.data())->message_as_GameSummary()->phase()->str() == "orders");
  // Nothing since: the join of "us", its orders and ready wait.
  CHECK(seat_in(started, "us")->connected() == 0);
  CHECK_FALSE(seat_in(started, "us")->ready());
  // A member who joins in the interval gets the line at once, with itself.
  REQUIRE(g.us_inbox->count(wire::Message::GameSummary) == 1);
  const auto on_joining = g.us_inbox->nth(wire::Message::GameSummary, 0);
  CHECK(seat_in(on_joining, "us")->connected() == 1);
  CHECK_FALSE(seat_in(on_joining, "us")->submitted());
}

TEST_CASE("status line: the changes held back are all shown at the end of the interval, in one line to each member") {
  constexpr auto kInterval = 1s;
  Service s(status_every(kInterval));
  const auto began = std::chrono::steady_clock::now();
  const WatchedGame g(s);
  settle(s, g.fac);
  const std::size_t lines_before = g.fac_inbox->count(wire::Message::GameSummary);
  // "cn" joins, submits and says it is ready, each answered before the next.
  auto cn_inbox = std::make_shared<Inbox>();
  const auto cn = join(s, token_of(g.created, "cn"), cn_inbox);
  settle(s, g.fac);
  ok(ask<app::OrdersTaken>([&](auto reply) { s.service->submit(cn, {tier_order(2.0)}, std::move(reply)); }));
  settle(s, g.fac);
  ok(ask<app::Done>([&](auto reply) { s.service->ready(cn, true, std::move(reply)); }));
  const auto changed = std::chrono::steady_clock::now() - began;

  // The first line that shows all three, and none after it.
  std::size_t at = lines_before;
  std::vector<std::uint8_t> last;
  for (;; ++at) {
    last = g.fac_inbox->nth(wire::Message::GameSummary, at);
    REQUIRE(!last.empty());
    if (seat_in(last, "cn")->ready()) break;
  }
  settle(s, g.fac);
  CHECK(g.fac_inbox->count(wire::Message::GameSummary) == at + 1);
  CHECK(wire::GetEnvelope(last.data())->message_as_GameSummary()->phase()->str() == "orders");
  CHECK(seat_in(last, "cn")->connected() == 1);
  CHECK(seat_in(last, "cn")->submitted());
  // Lines after the start are an interval apart, the last at most one
  // interval after the last change: on a quick machine one line for the
  // three changes (one after each without the interval); a slow one may
  // take longer than an interval and see more.
  const auto lines = at + 1 - lines_before;
  CHECK(lines <= 1 + static_cast<std::size_t>(changed / kInterval));
  // The seat that joined gets the same line (after its own on joining, if
  // the line had to wait).
  const auto seen_by_cn = cn_inbox->nth(wire::Message::GameSummary, cn_inbox->count(wire::Message::GameSummary) - 1);
  REQUIRE(!seen_by_cn.empty());
  CHECK(seen_by_cn == last);
}

TEST_CASE("status line: an interval of zero sends one after every change") {
  Service s(status_every(0ms));
  const WatchedGame g(s);
  settle(s, g.fac);
  CHECK(g.fac_inbox->count(wire::Message::GameSummary) == 3);  // join, start, the seat's join
  ok(ask<app::OrdersTaken>([&](auto reply) { s.service->submit(g.us, {tier_order(2.0)}, std::move(reply)); }));
  settle(s, g.fac);
  CHECK(g.fac_inbox->count(wire::Message::GameSummary) == 4);
  ok(ask<app::Done>([&](auto reply) { s.service->ready(g.us, true, std::move(reply)); }));
  settle(s, g.fac);
  CHECK(g.fac_inbox->count(wire::Message::GameSummary) == 5);
}

TEST_CASE("status line: a new phase or round is shown at once, with the changes held back before it") {
  HeldGame held;
  Service& s = held.s;
  const WatchedGame& g = held.g;
  REQUIRE(g.fac_inbox->count(wire::Message::GameSummary) == 2);
  const auto command_now = [&](wire::Command c) {
    ok(ask<app::Done>([&](auto reply) { s.service->command(g.fac, command(c), std::move(reply)); }));
    settle(s, g.fac);
  };
  command_now(wire::Command::Pause);
  REQUIRE(g.fac_inbox->count(wire::Message::GameSummary) == 3);
  const auto paused = g.fac_inbox->nth(wire::Message::GameSummary, 2);
  CHECK(wire::GetEnvelope(paused.data())->message_as_GameSummary()->phase()->str() == "paused");
  CHECK(seat_in(paused, "us")->connected() == 1);
  CHECK(seat_in(paused, "us")->ready());
  command_now(wire::Command::Resume);
  CHECK(g.fac_inbox->count(wire::Message::GameSummary) == 4);
  command_now(wire::Command::Force);
  REQUIRE(g.us_inbox->received(wire::Message::RoundResult));
  settle(s, g.fac);
  const std::size_t lines = g.fac_inbox->count(wire::Message::GameSummary);
  REQUIRE(lines >= 5);
  const auto next_round = g.fac_inbox->nth(wire::Message::GameSummary, lines - 1);
  const auto* summary = wire::GetEnvelope(next_round.data())->message_as_GameSummary();
  CHECK(summary->round() == 1);
  CHECK(summary->phase()->str() == "orders");
  // A change within the interval after it waits again.
  ok(ask<app::OrdersTaken>([&](auto reply) { s.service->submit(g.us, {tier_order(1.0)}, std::move(reply)); }));
  settle(s, g.fac);
  CHECK(g.fac_inbox->count(wire::Message::GameSummary) == lines);
}

TEST_CASE("status line: a burst of submissions costs the facilitator one view, the newest, with the line") {
  Service s(status_every(1s));
  const WatchedGame g(s);
  const std::size_t lines_before = g.fac_inbox->count(wire::Message::GameSummary);
  const std::size_t views_before = g.fac_inbox->count(wire::Message::FacilitatorView);
  std::array<Pending<app::OrdersTaken>, 3> taken;
  back_to_back(s, [&] {
    for (std::size_t i = 0; i < taken.size(); ++i) {
      s.service->submit(g.us, {tier_order(1.0 + static_cast<double>(i))}, taken[i].reply());
    }
  });
  for (auto& t : taken) t.answered();
  REQUIRE(!g.fac_inbox->nth(wire::Message::GameSummary, lines_before).empty());
  settle(s, g.fac);
  REQUIRE(g.fac_inbox->count(wire::Message::FacilitatorView) == views_before + 1);
  const auto view = g.fac_inbox->nth(wire::Message::FacilitatorView, views_before);
  const auto* fv = wire::GetEnvelope(view.data())->message_as_FacilitatorView();
  REQUIRE(fv->submitted() != nullptr);
  REQUIRE(fv->submitted()->size() == 1);
  const auto* orders = fv->submitted()->Get(0)->orders();
  REQUIRE(orders->size() == 1);
  const leadtime::NamedArgs args = proto::args_from_wire(orders->Get(0)->args());
  const leadtime::NamedArgs expected{{"target", std::string("CN")}, {"tier", 3.0}};
  CHECK(args == expected);
}

TEST_CASE("status line: the new round's line, sent with its result, is not sent again an interval later") {
  constexpr auto kInterval = 200ms;
  Service s(status_every(kInterval));
  const WatchedGame g(s);
  ok(ask<app::Done>([&](auto reply) { s.service->command(g.fac, command(wire::Command::Force), std::move(reply)); }));
  REQUIRE(g.us_inbox->received(wire::Message::RoundResult));
  settle(s, g.fac);
  const std::size_t lines = g.fac_inbox->count(wire::Message::GameSummary);
  const auto last = g.fac_inbox->nth(wire::Message::GameSummary, lines - 1);
  CHECK(wire::GetEnvelope(last.data())->message_as_GameSummary()->round() == 1);
  // Nothing changed since: a line now would only repeat it. (A slow machine
  // can only make this pass, never fail.)
  std::this_thread::sleep_for(3 * kInterval);
  settle(s, g.fac);
  CHECK(g.fac_inbox->count(wire::Message::GameSummary) == lines);
}

TEST_CASE("status pace: the server's interval, stretched when its members would pass the lines-a-second budget") {
  app::StatusPace pace(1000ms, 5000);
  CHECK(pace.interval() == 1000ms);
  pace.add_members(40);  // an exercise
  CHECK(pace.interval() == 1000ms);
  pace.add_members(10'000 - 40);  // a line each a second would be 10,000 a second
  CHECK(pace.interval() == 2000ms);
  pace.add_members(-10'000);
  CHECK(pace.members() == 0);
  CHECK(pace.interval() == 1000ms);
  app::StatusPace every_change(0ms, 5000);
  every_change.add_members(4);
  CHECK(every_change.interval() == 0ms);
}

TEST_CASE("status line: with more members than the server's budget, a game's lines go further apart") {
  // An interval of zero would send a line after each change; a budget of one
  // line a second for the game's two members spreads them two seconds apart.
  leadtime::server::ServerOptions o = status_every(0ms);
  o.status_lines_per_second = 1;
  Service s(o);
  const auto before_start = std::chrono::steady_clock::now();
  const WatchedGame g(s);
  const std::size_t lines = g.fac_inbox->count(wire::Message::GameSummary);
  submit_and_ready(s, g.us);
  settle(s, g.fac);
  // Held until two seconds after the start's line (a slow machine can only
  // skip this check, never fail it).
  if (std::chrono::steady_clock::now() - before_start < 2s) {
    CHECK(g.fac_inbox->count(wire::Message::GameSummary) == lines);
  }
  // Then one line shows the join and both changes.
  const auto held = g.fac_inbox->nth(wire::Message::GameSummary, lines);
  REQUIRE(!held.empty());
  CHECK(seat_in(held, "us")->connected() == 1);
  CHECK(seat_in(held, "us")->ready());
  // The pace counts the server's members in and out.
  CHECK(s.lobby->status_pace().members() == 2);
  s.service->leave(g.us, g.us_inbox.get());
  settle(s, g.fac);
  CHECK(s.lobby->status_pace().members() == 1);
}

TEST_CASE("delivery: a round's result, view and new status line reach each member in one hand-over, and a Join's") {
  // The interval outlasts the test: only news goes at once.
  Service s(status_every(60s));
  const WatchedGame g(s);
  const std::size_t lines_before = g.fac_inbox->count(wire::Message::GameSummary);
  ok(ask<app::Done>([&](auto reply) { s.service->command(g.fac, command(wire::Command::Force), std::move(reply)); }));
  REQUIRE(g.us_inbox->received(wire::Message::RoundResult));
  settle(s, g.fac);
  const std::vector<wire::Message> round{wire::Message::RoundResult, wire::Message::ViewMsg,
                                         wire::Message::GameSummary};
  const std::vector<wire::Message> round_fac{wire::Message::RoundResult, wire::Message::FacilitatorView,
                                             wire::Message::GameSummary};
  const auto us_batches = g.us_inbox->batches();
  CHECK(std::count(us_batches.begin(), us_batches.end(), round) == 1);
  const auto fac_batches = g.fac_inbox->batches();
  CHECK(std::count(fac_batches.begin(), fac_batches.end(), round_fac) == 1);
  // The new round's line went once, with the result, and shows the new round.
  REQUIRE(g.fac_inbox->count(wire::Message::GameSummary) == lines_before + 1);
  const auto line = g.fac_inbox->nth(wire::Message::GameSummary, lines_before);
  CHECK(wire::GetEnvelope(line.data())->message_as_GameSummary()->round() == 1);
  // Joining again after the round: Joined, the round's result, the view and
  // the status line (held for the others by the interval).
  auto again = std::make_shared<Inbox>();
  join(s, token_of(g.created, "us"), again);
  const std::vector<wire::Message> rejoin{wire::Message::Joined, wire::Message::RoundResult, wire::Message::ViewMsg,
                                          wire::Message::GameSummary};
  REQUIRE(again->received(wire::Message::GameSummary));
  REQUIRE(!again->batches().empty());
  CHECK(again->batches().front() == rejoin);
  CHECK(again->batches().size() == 1);
}
