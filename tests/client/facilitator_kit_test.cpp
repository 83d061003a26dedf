// The client's side of issues #17 and #19, through a fake server: the draft
// after a reconnect is the open round's, from the server; the facilitator's
// 'orders' and 'seat'; 'events scenario' and inject ids; a seat's
// 'briefing' and 'objectives' and the score in 'status'; the catalogue's
// JSON with seats. handouts_test.cpp has 'create' and 'branch' with their
// handouts.
#include <doctest/doctest.h>
#include "client-cli/completion.h"
#include "client-cli/render_json.h"
#include "engine/injects.h"

#include "tests/client/scripted_server.h"

using namespace kit_testing;

TEST_CASE("session: after an automatic reconnect the draft is the open round's orders, from the server") {
  lt::State state = lt::initial_state(scenario(), 5);
  const int us = state.find_actor("us");
  std::vector<lt::OrderDraft> held = {order("set_enforcement", "usd_b", 3)};
  std::uint32_t joins = 0;
  ScriptedTransport fake([&](const wire::Envelope& env) {
    Frames out;
    if (env.message_type() != wire::Message::Join) return Frames{error_payload(env.request_id(), "unexpected")};
    ++joins;
    proto::JoinedDetails j;
    j.game_id = "g1";
    j.seat = "us";
    j.role = wire::Role::Seat;
    j.orders = held;
    j.round = state.round;
    out.push_back(joined_payload(env.request_id(), j));
    if (env.message_as_Join()->last_round() < state.round) {
      flatbuffers::FlatBufferBuilder rr;
      out.push_back(payload(rr, 0, proto::build_round_result(rr, state.round, state.quarter, 1, {}, {})));
    }
    out.push_back(view_payload(lt::make_view(state, scenario().coef, us)));
    return out;
  });
  Collect sink;
  TempDir dir;
  Session session(fake, options_in(dir), sink);
  state.round = 3;
  REQUIRE(session.open());
  REQUIRE(session.model().draft.size() == 1);
  CHECK(session.model().draft.entries()[0].status == DraftStatus::Submitted);

  // The server restarts; round 3 resolves meanwhile and round 4 opens with
  // no orders of ours in. The draft must not show round 3's as submitted.
  state.round = 4;
  held.clear();
  fake.drop_and_return();
  session.pump(std::chrono::milliseconds(0));
  session.pump(std::chrono::milliseconds(0));
  CHECK(joins == 2);
  CHECK(session.model().round() == 4);
  CHECK(session.model().draft_round == 4);
  CHECK(session.model().draft.empty());
  CHECK(session.run_line("status"));
  CHECK(sink.text.find("Your orders: 0 in the draft") != std::string::npos);

  // Same round again, and a teammate's orders are what the server holds:
  // those are the draft, not this client's memory.
  held = {order("set_cloud_kyc", "strength", 0.8)};
  fake.drop_and_return();
  session.pump(std::chrono::milliseconds(0));
  session.pump(std::chrono::milliseconds(0));
  REQUIRE(session.model().draft.size() == 1);
  CHECK(session.model().draft.entries()[0].order.action == "set_cloud_kyc");
  CHECK(session.model().draft.entries()[0].status == DraftStatus::Submitted);

  // Changes typed for this round and not sent survive the reconnect.
  CHECK(session.run_line("set_intelligence 1"));
  fake.drop_and_return();
  session.pump(std::chrono::milliseconds(0));
  session.pump(std::chrono::milliseconds(0));
  CHECK(session.model().draft.size() == 2);
  CHECK(session.model().draft.dirty());
}

TEST_CASE("facilitator: 'orders' and 'seat' show last round's orders, bots' too, this round's, state and policies") {
  FacilitatorServer server;
  ScriptedTransport fake([&](const wire::Envelope& env) { return server.answer(env); });
  Collect sink;
  TempDir dir;
  Session session(fake, options_in(dir), sink);
  REQUIRE(session.open());
  CHECK(sink.text.find("'orders' and 'seat SEAT' for the seats") != std::string::npos);
  sink.text.clear();
  REQUIRE_MESSAGE(session.run_line("orders"), sink.errors);
  INFO(sink.text);
  CHECK(sink.text.find("us, played by people (1 online)\n  Round 1 (resolved), sent by ana:\n"
                       "    set_enforcement usd_b=2\n  Round 2 (open):\n    sent by bo:\n"
                       "    set_cloud_kyc strength=0.8\n") != std::string::npos);
  CHECK(sink.text.find("cn, played by the bot scripts/bots/cn_shortcut.lua\n  Round 1 (resolved), by its bot:\n"
                       "    set_smuggling usd_b=1\n  Round 2 (open):\n    a bot: it decides when the round resolves") !=
        std::string::npos);
  // eu sent nothing in round 1, and the summary says it has orders in now
  // that this view does not carry.
  CHECK(sink.text.find("    no orders: its standing policies stayed\n") != std::string::npos);
  CHECK(sink.text.find("    orders are in (this server shows them once the round resolves)") != std::string::npos);
  const auto json = sink.last("orders");
  REQUIRE(json.is_object());
  CHECK(json["seats"][1]["last_round"]["bot"] == true);
  CHECK(json["seats"][1]["last_round"]["orders"][0]["action"] == "set_smuggling");
  CHECK(json["seats"][0]["this_round"]["orders"][0]["strength"] == 0.8);

  sink.text.clear();
  CHECK(session.run_line("orders cn"));
  CHECK(sink.text.find("us, played") == std::string::npos);
  CHECK_FALSE(session.run_line("orders usa"));
  CHECK(sink.errors.find("orders: no seat 'usa'; did you mean us?") != std::string::npos);

  sink.text.clear();
  REQUIRE_MESSAGE(session.run_line("seat us"), sink.errors);
  CHECK(sink.text.find("Seat us (United States, government, US) · played by people (1 online) · orders in") !=
        std::string::npos);
  CHECK(sink.text.find("= 1 x lead_months + 20 x own_global_share + 1 x political_capital") != std::string::npos);
  CHECK(sink.text.find("Policies in force: ") != std::string::npos);
  CHECK(sink.text.find("export_tier") != std::string::npos);
  CHECK(sink.text.find("set_cloud_kyc strength=0.8") != std::string::npos);
  CHECK(sink.last("seat")["actor"]["policy"].is_object());
  CHECK_FALSE(session.run_line("seat"));
}

TEST_CASE("facilitator: the scenario's events with descriptions, inject ids completed and checked") {
  FacilitatorServer server;
  ScriptedTransport fake([&](const wire::Envelope& env) { return server.answer(env); });
  Collect sink;
  TempDir dir;
  Session session(fake, options_in(dir), sink);
  REQUIRE(session.open());
  REQUIRE(session.run_line("events scenario"));
  CHECK(sink.text.find("euv_breakthrough: China's domestic EUV lithography line enters production\n"
                       "      May fire each round with probability 4%") != std::string::npos);
  CHECK(sink.text.find("talent_return") != std::string::npos);  // the facilitator sees private ones
  CHECK(sink.last("scenario_events")["events"][0]["id"] == "euv_breakthrough");

  const Completion c = complete("inject eu", session.completion_context());
  CHECK(c.candidates == std::vector<std::string>{"euv_breakthrough"});
  // The scenario's events, then the engine's injects.
  CHECK(complete("inject ", session.completion_context()).candidates.size() ==
        scenario().events.size() + lt::inject_catalogue().size());
  CHECK(complete("inject sup", session.completion_context()).candidates == std::vector<std::string>{"supply_shock"});

  const std::size_t sent = fake.sent.size();
  CHECK_FALSE(session.run_line("inject alien_landing"));
  CHECK(sink.errors.find("inject: no event 'alien_landing'; the scenario's events are euv_breakthrough, "
                         "hbm_shortage, fab_disruption, gulf_hubs, talent_return; the engine's injects are "
                         "smuggling_case, model_theft, supply_shock") != std::string::npos);
  CHECK_FALSE(session.run_line("inject smuggling_case"));
  CHECK(sink.errors.find("inject: smuggling_case needs 'bound_for'") != std::string::npos);
  CHECK_FALSE(session.run_line("inject hbm_shortage share=0.3"));
  CHECK(sink.errors.find("inject: the scenario's event 'hbm_shortage' takes no parameters") != std::string::npos);
  CHECK_FALSE(session.run_line("inject euv_breakthroug"));
  CHECK(sink.errors.find("did you mean euv_breakthrough?") != std::string::npos);
  CHECK_FALSE(session.run_line("inject"));
  CHECK(sink.errors.find("Events of the scenario \"2028\"") != std::string::npos);
  CHECK(fake.sent.size() == sent);  // nothing wrong went to the server
  CHECK(session.run_line("inject hbm_shortage"));
  // An engine inject goes with its parameters, named or in order.
  CHECK(session.run_line("inject supply_shock cn_vendor share=0.3"));
  CHECK(server.injected == std::vector<std::string>{"hbm_shortage", "supply_shock vendor=cn_vendor share=0.3"});
  // 'events scenario' shows the facilitator the engine's injects with their parameters.
  REQUIRE(session.run_line("events scenario"));
  CHECK(sink.text.find("supply_shock VENDOR SHARE: A chip supply shock") != std::string::npos);
  CHECK(sink.text.find("vendor: the vendor hit (a vendor: us_vendor, cn_vendor)") != std::string::npos);
  CHECK(sink.last("scenario_events")["injects"][2]["id"] == "supply_shock");
}

TEST_CASE("seat: its briefing and objectives come with Joined, and 'status' shows how the score adds up") {
  lt::State state = lt::initial_state(scenario(), 5);
  const int us = state.find_actor("us");
  ScriptedTransport fake([&](const wire::Envelope& env) {
    const std::uint32_t rid = env.request_id();
    switch (env.message_type()) {
      case wire::Message::Join: {
        proto::JoinedDetails j;
        j.game_id = "g1";
        j.seat = "us";
        j.role = wire::Role::Seat;
        j.briefing = lt::game::seat_briefing(scenario(), us);
        j.objectives = proto::describe_objectives(scenario(), us);
        return Frames{joined_payload(rid, j), view_payload(lt::make_view(state, scenario().coef, us))};
      }
      case wire::Message::ScenarioInfoRequest:
        return Frames{scenario_payload(rid, us)};
      default:
        return Frames{error_payload(rid, "unexpected")};
    }
  });
  Collect sink;
  TempDir dir;
  Session session(fake, options_in(dir), sink);
  REQUIRE(session.open());
  CHECK(sink.text.find("'briefing' for your role, 'objectives' for your score") != std::string::npos);
  REQUIRE(session.run_line("briefing"));
  CHECK(sink.text.find("# Briefing: United States (us)") != std::string::npos);
  CHECK(sink.last("briefing")["text"] == lt::game::seat_briefing(scenario(), us));
  CHECK_FALSE(session.run_line("briefing cn"));
  CHECK(sink.errors.find("you may read only your own seat's briefing") != std::string::npos);

  sink.text.clear();
  REQUIRE(session.run_line("objectives"));
  CHECK(sink.text.find("Your score now: 0 (after round 0)\n  = 1 x lead_months + 20 x own_global_share + 1 x "
                       "political_capital, after every round:\n") != std::string::npos);
  CHECK(sink.text.find("20 x own_global_share  your bloc stack's share of all markets, by size") != std::string::npos);
  CHECK(sink.last("objectives")["seats"][0]["objectives"][1]["weight"] == 20);
  sink.text.clear();
  REQUIRE(session.run_line("help score"));
  CHECK(sink.text.find("20 x own_global_share") != std::string::npos);

  sink.text.clear();
  REQUIRE(session.run_line("status"));
  CHECK(sink.text.find("score = 1 x lead_months + 20 x own_global_share + 1 x political_capital ('objectives'") !=
        std::string::npos);
  CHECK(sink.last("status")["objectives"].size() == 3);

  // The catalogue in JSON: the seat's own actions, each with who may use it.
  REQUIRE(session.run_line("actions"));
  const auto actions = sink.last("actions")["actions"];
  REQUIRE(actions.is_array());
  bool tier = false;
  for (const auto& a : actions) {
    CHECK(a["seats"].is_array());
    if (a["action"] == "set_export_tier") tier = a["seats"] == nlohmann::json::array({"us"});
  }
  CHECK(tier);

  // A seat's look at the event table: the public events, not cn's private one.
  sink.text.clear();
  REQUIRE(session.run_line("events scenario"));
  CHECK(sink.text.find("gulf_hubs") != std::string::npos);
  CHECK(sink.text.find("talent_return") == std::string::npos);
}

TEST_CASE("actions --json: each action says which of the scenario's seats may use it, and its defaults") {
  const auto details = proto::describe_catalogue(&scenario().initial);
  const nlohmann::json tier = catalogue_json(details[static_cast<std::size_t>(lt::action_index("set_export_tier"))]);
  CHECK(tier["seats"] == nlohmann::json::array({"us"}));
  CHECK(tier["bloc"] == "US");
  CHECK(tier["kinds"] == nlohmann::json::array({"government"}));
  CHECK(tier["params"][1]["default"] == 3);
  CHECK(tier["params"][0]["choices"].size() == 5);
  const nlohmann::json intel = catalogue_json(details[static_cast<std::size_t>(lt::action_index("set_intelligence"))]);
  CHECK(intel["seats"].size() == scenario().initial.actors.size());
  CHECK(intel["bloc"].is_null());
}
