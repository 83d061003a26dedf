// CreateGame's seats in both forms (issue #17, item 3), what a seat gets on
// Join (its briefing, objectives and the round its orders are for), the
// facilitator's view with this round's submissions, events naming their
// actors, and an envelope without a message (items 5 and 6).
#include <doctest/doctest.h>

#include "engine/lua/scenario_loader.h"
#include "protocol/convert.h"
#include "protocol/game_messages.h"
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

struct CreateForm {
  std::vector<std::pair<std::string, std::string>> bots;
  std::vector<std::string> people;
};

// CreateGame as a client sends it, read back as the server reads it.
std::variant<SeatPlan, SeatPlanError> plan_of(const CreateForm& form) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<wire::SeatBot>> bots;
  for (const auto& [seat, path] : form.bots) bots.push_back(wire::CreateSeatBotDirect(fbb, seat.c_str(), path.c_str()));
  std::vector<flatbuffers::Offset<flatbuffers::String>> people;
  for (const std::string& p : form.people) people.push_back(fbb.CreateString(p));
  const auto create =
      wire::CreateCreateGameDirect(fbb, "", 0, 0, &bots, "key", form.people.empty() ? nullptr : &people);
  wire::FinishEnvelopeBuffer(fbb,
                             wire::CreateEnvelope(fbb, kProtocolVersion, 1, wire::Message::CreateGame, create.Union()));
  const std::vector<std::uint8_t> bytes(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
  const auto verified = verify_envelope(bytes);
  REQUIRE(verified);
  return seat_plan(*verified.envelope->message_as_CreateGame(), default_scenario());
}

std::vector<std::string> person_seats(const SeatPlan& plan) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < plan.bot_paths.size(); ++i) {
    if (plan.bot_paths[i].empty()) out.push_back(default_scenario().initial.actors[i].id);
  }
  return out;
}

template <typename T>
const T* message(const std::vector<std::uint8_t>& payload) {
  const auto verified = verify_envelope(payload);
  REQUIRE_MESSAGE(verified, verified.error);
  const T* m = verified.envelope->template message_as<T>();
  REQUIRE(m != nullptr);
  return m;
}

}  // namespace

TEST_CASE("CreateGame: people are named explicitly; every other seat is its bot's") {
  const auto plan = plan_of({{{"eu", "scripts/bots/eu_custom.lua"}}, {"us", "cn"}});
  REQUIRE(std::holds_alternative<SeatPlan>(plan));
  const SeatPlan& p = std::get<SeatPlan>(plan);
  CHECK(person_seats(p) == std::vector<std::string>{"us", "cn"});
  CHECK(p.bot_paths[2] == "scripts/bots/eu_custom.lua");
  CHECK(p.bot_paths[3] == default_scenario().default_bots[3]);
  // In the new form a SeatBot with no path means the scenario's bot, and a
  // person seat may be told "no bot" (what a client speaking both forms sends).
  const auto both = plan_of({{{"us", "none"}, {"eu", ""}}, {"us"}});
  REQUIRE(std::holds_alternative<SeatPlan>(both));
  CHECK(person_seats(std::get<SeatPlan>(both)) == std::vector<std::string>{"us"});
  CHECK(std::get<SeatPlan>(both).bot_paths[2] == default_scenario().default_bots[2]);
}

TEST_CASE("CreateGame: the old form still works: no SeatBot means the scenario's bot, an empty path a person") {
  const auto all_bots = plan_of({});
  REQUIRE(std::holds_alternative<SeatPlan>(all_bots));
  CHECK(std::get<SeatPlan>(all_bots).bot_paths == default_scenario().default_bots);
  CHECK(person_seats(std::get<SeatPlan>(all_bots)).empty());
  const auto old = plan_of({{{"us", ""}, {"cn", "none"}, {"eu", "scripts/bots/eu_custom.lua"}}, {}});
  REQUIRE(std::holds_alternative<SeatPlan>(old));
  CHECK(person_seats(std::get<SeatPlan>(old)) == std::vector<std::string>{"us", "cn"});
  CHECK(std::get<SeatPlan>(old).bot_paths[2] == "scripts/bots/eu_custom.lua");
}

TEST_CASE("CreateGame: an unknown seat lists the valid ones; a person seat given a bot is refused") {
  const auto unknown = plan_of({{}, {"us", "usa"}});
  REQUIRE(std::holds_alternative<SeatPlanError>(unknown));
  CHECK(std::get<SeatPlanError>(unknown).code == wire::ErrorCode::NotFound);
  CHECK(std::get<SeatPlanError>(unknown).text ==
        "unknown seat 'usa' in people (seats: us, cn, eu, us_vendor, cn_vendor, us_lab, cn_lab, eu_lab)");
  const auto unknown_bot = plan_of({{{"chna", "x.lua"}}, {}});
  REQUIRE(std::holds_alternative<SeatPlanError>(unknown_bot));
  CHECK(std::get<SeatPlanError>(unknown_bot).text.starts_with("unknown seat 'chna' in bots (seats: us, cn,"));
  const auto both = plan_of({{{"us", "scripts/bots/us_hawk.lua"}}, {"us"}});
  REQUIRE(std::holds_alternative<SeatPlanError>(both));
  CHECK(std::get<SeatPlanError>(both).code == wire::ErrorCode::BadMessage);
  CHECK(std::get<SeatPlanError>(both).text.find("seat 'us' is listed in people and given the bot") == 0);
}

TEST_CASE("Joined: a seat's orders, the round they are for, its briefing and objectives") {
  const Scenario& s = default_scenario();
  const int us = s.initial.find_actor("us");
  JoinedDetails j;
  j.game_id = "g4";
  j.seat = "us";
  j.role = wire::Role::Seat;
  j.orders = {OrderDraft{"set_enforcement", {{"usd_b", 3.0}}}};
  j.orders_member = "ana";
  j.ready = true;
  j.round = 3;
  j.briefing = "# Briefing: United States (us)";
  j.objectives = describe_objectives(s, us);
  j.scenario = s.name;
  flatbuffers::FlatBufferBuilder fbb;
  const auto payload = payload_of(frame_message(fbb, 7, build_joined(fbb, j)));
  const auto* joined = message<wire::Joined>(payload);
  CHECK(joined->game_id()->str() == "g4");
  CHECK(joined->seat()->str() == "us");
  CHECK(joined->role() == wire::Role::Seat);
  REQUIRE(joined->orders()->size() == 1);
  CHECK(from_wire(*joined->orders()->Get(0)).action == "set_enforcement");
  CHECK(joined->orders_member()->str() == "ana");
  CHECK(joined->ready());
  CHECK(joined->round() == 3);
  CHECK(joined->briefing()->str() == j.briefing);
  CHECK(objectives_from_wire(joined->objectives()) == j.objectives);
  CHECK(joined->scenario()->str() == "2028");
}

TEST_CASE("FacilitatorView: last round's orders, bots' included, and this round's submissions so far") {
  const Scenario& s = default_scenario();
  State state = initial_state(s, 3);
  state.events = {{"talent_return", "Returning researchers", Visibility::Private, {state.find_actor("cn")}}};
  const std::vector<SeatOrdersDetails> played = {
      {"us", false, "ana", {OrderDraft{"set_enforcement", {{"usd_b", 2.0}}}}},
      {"cn", true, "", {OrderDraft{"set_smuggling", {{"usd_b", 1.0}}}}}};
  const std::vector<SeatOrdersDetails> submitted = {
      {"us", false, "bo", {OrderDraft{"set_cloud_kyc", {{"strength", 0.8}}}}}};
  flatbuffers::FlatBufferBuilder fbb;
  const auto payload = payload_of(frame_message(
      fbb, 0, build_facilitator_view(fbb, state, public_indicators(state, s.coef), state.events, played, submitted)));
  const auto* view = message<wire::FacilitatorView>(payload);
  CHECK(view->actors()->size() == state.actors.size());
  REQUIRE(view->orders()->size() == 2);
  CHECK(view->orders()->Get(1)->seat()->str() == "cn");
  CHECK(view->orders()->Get(1)->bot());
  CHECK(from_wire(*view->orders()->Get(1)->orders()->Get(0)).action == "set_smuggling");
  REQUIRE(view->submitted()->size() == 1);
  CHECK(view->submitted()->Get(0)->member()->str() == "bo");
  CHECK(from_wire(*view->submitted()->Get(0)->orders()->Get(0)).action == "set_cloud_kyc");
  REQUIRE(view->events()->size() == 1);
  REQUIRE(view->events()->Get(0)->actors() != nullptr);
  CHECK(view->events()->Get(0)->actors()->Get(0)->str() == "cn");
}

TEST_CASE("events name the seats they concern: a view by its own ids, a round result by the state's") {
  const Scenario& s = default_scenario();
  State state = initial_state(s, 3);
  const int cn = state.find_actor("cn");
  const int cn_lab = state.find_actor("cn_lab");
  state.events = {{"weight_theft", "stolen", Visibility::Private, {cn, cn_lab}},
                  {"public_news", "everyone", Visibility::Public, {}}};
  flatbuffers::FlatBufferBuilder fbb;
  const auto view_payload = payload_of(frame_message(fbb, 0, build_view(fbb, make_view(state, s.coef, cn))));
  const auto* view = message<wire::ViewMsg>(view_payload);
  REQUIRE(view->events()->size() == 2);
  REQUIRE(view->events()->Get(0)->actors() != nullptr);
  CHECK(view->events()->Get(0)->actors()->size() == 2);
  CHECK(view->events()->Get(0)->actors()->Get(0)->str() == "cn");
  CHECK(view->events()->Get(0)->actors()->Get(1)->str() == "cn_lab");
  CHECK(view->events()->Get(1)->actors() == nullptr);  // a public event names no one

  flatbuffers::FlatBufferBuilder rb;
  const auto ids = actor_ids(state);
  const auto rr_payload = payload_of(frame_message(
      rb, 0, build_round_result(rb, 1, state.quarter, 1, public_indicators(state, s.coef), state.events, ids)));
  const auto* rr = message<wire::RoundResult>(rr_payload);
  CHECK(rr->events()->Get(0)->actors()->Get(1)->str() == "cn_lab");
}

TEST_CASE("an envelope without a message is readable: its request id is there for the BadMessage answer") {
  flatbuffers::FlatBufferBuilder empty;
  wire::FinishEnvelopeBuffer(empty, wire::CreateEnvelope(empty, kProtocolVersion, 41));
  const std::vector<std::uint8_t> none(empty.GetBufferPointer(), empty.GetBufferPointer() + empty.GetSize());
  const auto verified = verify_envelope(none);
  CHECK_FALSE(verified);
  CHECK(verified.readable);
  CHECK(verified.request_id == 41);
  // A buffer that fails verification is not: nothing in it can be trusted.
  std::vector<std::uint8_t> broken = none;
  broken[broken.size() / 2] ^= 0xFF;
  broken[0] = 0xFF;
  const auto bad = verify_envelope(broken);
  CHECK_FALSE(bad);
  CHECK_FALSE(bad.readable);
  CHECK(bad.request_id == 0);
}
