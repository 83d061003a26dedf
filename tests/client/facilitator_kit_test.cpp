// The client's side of issues #17 and #19, through a fake server: the draft
// after a reconnect is the open round's, from the server; the facilitator's
// 'orders' and 'seat'; 'events scenario' and inject ids; a seat's
// 'briefing' and 'objectives' and the score in 'status'; 'create' writing a
// token file and a handout per person seat; the catalogue's JSON with seats.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <deque>
#include <filesystem>
#include <functional>

#include "client-cli/completion.h"
#include "client-cli/handouts.h"
#include "client-cli/render_json.h"
#include "client-cli/session.h"
#include "files/files.h"
#include "game/briefing.h"
#include "protocol/game_messages.h"
#include "tests/client/core_fixture.h"

namespace lt = leadtime;
namespace wire = leadtime::wire;
namespace proto = leadtime::protocol;
using namespace leadtime::cli;
using namespace client_testing;

namespace {

using Frames = std::vector<std::vector<std::uint8_t>>;

// A server in a test: answers each request with frames of its choosing, and
// can drop the line and take it back.
class ScriptedTransport final : public Transport {
 public:
  using Responder = std::function<Frames(const wire::Envelope&)>;
  // `web_url`: what the server's Welcome says of its browser pages.
  explicit ScriptedTransport(Responder respond, std::string web_url = {})
      : respond_(std::move(respond)), web_url_(std::move(web_url)) {
    events_.push_back({NetEvent::Kind::Connected, "fake", false, {}, web_url_});
  }
  bool send(std::vector<std::uint8_t> frame) override {
    std::vector<std::uint8_t> body(frame.begin() + proto::kLengthPrefixBytes, frame.end());
    const auto verified = proto::verify_envelope(body);
    REQUIRE(verified);
    sent.push_back(verified.envelope->message_type());
    sent_frames.push_back(body);
    for (auto& reply : respond_(*verified.envelope)) events_.push_back({NetEvent::Kind::Frame, {}, false, reply, {}});
    return true;
  }
  std::optional<NetEvent> next_event(std::chrono::milliseconds) override {
    if (events_.empty()) return std::nullopt;
    NetEvent e = std::move(events_.front());
    events_.pop_front();
    return e;
  }
  void reconnect() override {}
  [[nodiscard]] int wake_fd() const override { return -1; }
  [[nodiscard]] std::string address() const override { return "fake:1"; }
  // The line drops and comes back (the server restarted).
  void drop_and_return() {
    events_.push_back({NetEvent::Kind::Disconnected, "connection reset", false, {}, {}});
    events_.push_back({NetEvent::Kind::Connected, "fake", false, {}, web_url_});
  }
  std::vector<wire::Message> sent;
  std::vector<std::vector<std::uint8_t>> sent_frames;

 private:
  Responder respond_;
  std::string web_url_;
  std::deque<NetEvent> events_;
};

struct Collect final : Sink {
  void emit(const Output& o) override {
    text += o.text + "\n";
    if (o.error) errors += o.text + "\n";
    if (!o.json.is_null()) json.push_back(o.json);
  }
  std::string text;
  std::string errors;
  std::vector<nlohmann::json> json;
  // The last JSON output of a type.
  nlohmann::json last(const std::string& type) const {
    for (auto it = json.rbegin(); it != json.rend(); ++it) {
      if ((*it)["type"] == type) return *it;
    }
    return nullptr;
  }
};

struct ScratchDir {
  ScratchDir() {
    static int counter = 0;
    path = std::filesystem::temp_directory_path() /
           ("leadtime-client-kit-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~ScratchDir() { std::filesystem::remove_all(path); }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::filesystem::path path;
};

SessionOptions options_in(const ScratchDir& dir, std::string token = "t") {
  SessionOptions o;
  o.token = std::move(token);
  o.tokens_file = (dir.path / "tokens.json").string();
  o.facilitator_key = "key";
  return o;
}

lt::OrderDraft order(std::string action, std::string param, double value) {
  return lt::OrderDraft{std::move(action), {{std::move(param), lt::ArgValue{value}}}};
}

std::vector<std::uint8_t> joined_payload(std::uint32_t rid, const proto::JoinedDetails& details) {
  flatbuffers::FlatBufferBuilder fbb;
  return payload(fbb, rid, proto::build_joined(fbb, details));
}

std::vector<std::uint8_t> scenario_payload(std::uint32_t rid, int asker) {
  flatbuffers::FlatBufferBuilder fbb;
  return payload(fbb, rid, proto::build_scenario_info(fbb, scenario(), lt::game::scenario_texts(scenario()), asker));
}

std::vector<std::uint8_t> error_payload(std::uint32_t rid, const char* text) {
  flatbuffers::FlatBufferBuilder fbb;
  return payload(fbb, rid, proto::build_error(fbb, rid, wire::ErrorCode::BadMessage, text));
}

// A game after round 1 as its facilitator sees it: us played by people,
// cn by a bot; us has sent orders for round 2, cn's bot decides later.
struct FacilitatorServer {
  lt::State state = lt::initial_state(scenario(), 5);
  std::vector<std::string> injected;

  Frames answer(const wire::Envelope& env) {
    Frames out;
    const std::uint32_t rid = env.request_id();
    flatbuffers::FlatBufferBuilder fbb;
    switch (env.message_type()) {
      case wire::Message::Join: {
        proto::JoinedDetails j;
        j.game_id = "g1";
        j.role = wire::Role::Facilitator;
        j.round = 1;
        out.push_back(joined_payload(rid, j));
        out.push_back(view());
        out.push_back(summary());
        break;
      }
      case wire::Message::ScenarioInfoRequest:
        out.push_back(scenario_payload(rid, proto::kFullScenario));
        break;
      case wire::Message::FacilitatorCommand:
        injected.push_back(env.message_as_FacilitatorCommand()->event_id()->str());
        out.push_back(payload(fbb, rid, wire::CreateAck(fbb, rid)));
        break;
      default:
        out.push_back(error_payload(rid, "unexpected"));
    }
    return out;
  }

  std::vector<std::uint8_t> view() {
    state.round = 1;
    const std::vector<proto::SeatOrdersDetails> played = {{"us", false, "ana", {order("set_enforcement", "usd_b", 2)}},
                                                          {"cn", true, "", {order("set_smuggling", "usd_b", 1)}},
                                                          {"eu", false, "", {}}};
    const std::vector<proto::SeatOrdersDetails> submitted = {
        {"us", false, "bo", {order("set_cloud_kyc", "strength", 0.8)}}};
    flatbuffers::FlatBufferBuilder fbb;
    return payload(fbb, 0,
                   proto::build_facilitator_view(fbb, state, lt::public_indicators(state, scenario().coef), {}, played,
                                                 submitted));
  }

  static std::vector<std::uint8_t> summary() {
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<wire::SeatSummary>> seats = {
        wire::CreateSeatSummaryDirect(fbb, "us", false, "", 1, true, false),
        wire::CreateSeatSummaryDirect(fbb, "cn", true, "scripts/bots/cn_shortcut.lua", 0),
        wire::CreateSeatSummaryDirect(fbb, "eu", false, "", 0, true, false)};
    return payload(
        fbb, 0, wire::CreateGameSummaryDirect(fbb, "g1", "2028", 1, 10, "orders", nullptr, &seats, 300, "2026Q4", 5));
  }
};

}  // namespace

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
  ScratchDir dir;
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
  ScratchDir dir;
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
  ScratchDir dir;
  Session session(fake, options_in(dir), sink);
  REQUIRE(session.open());
  REQUIRE(session.run_line("events scenario"));
  CHECK(sink.text.find("euv_breakthrough: China's domestic EUV lithography line enters production\n"
                       "      May fire each round with probability 4%") != std::string::npos);
  CHECK(sink.text.find("talent_return") != std::string::npos);  // the facilitator sees private ones
  CHECK(sink.last("scenario_events")["events"][0]["id"] == "euv_breakthrough");

  const Completion c = complete("inject eu", session.completion_context());
  CHECK(c.candidates == std::vector<std::string>{"euv_breakthrough"});
  CHECK(complete("inject ", session.completion_context()).candidates.size() == scenario().events.size());

  const std::size_t sent = fake.sent.size();
  CHECK_FALSE(session.run_line("inject smuggling_case"));
  CHECK(sink.errors.find("inject: the scenario has no event 'smuggling_case'; its events are euv_breakthrough, "
                         "hbm_shortage, fab_disruption, gulf_hubs, talent_return") != std::string::npos);
  CHECK_FALSE(session.run_line("inject euv_breakthroug"));
  CHECK(sink.errors.find("did you mean euv_breakthrough?") != std::string::npos);
  CHECK_FALSE(session.run_line("inject"));
  CHECK(sink.errors.find("Events of the scenario \"2028\"") != std::string::npos);
  CHECK(fake.sent.size() == sent);  // nothing wrong went to the server
  CHECK(session.run_line("inject hbm_shortage"));
  CHECK(server.injected == std::vector<std::string>{"hbm_shortage"});
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
  ScratchDir dir;
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

TEST_CASE("create: one token file and one printable handout per person seat, with the join command and link") {
  FacilitatorServer server;
  std::vector<std::string> people_sent;
  std::vector<std::pair<std::string, std::string>> bots_sent;
  ScriptedTransport fake([&](const wire::Envelope& env) {
    const std::uint32_t rid = env.request_id();
    if (env.message_type() != wire::Message::CreateGame) return server.answer(env);
    const wire::CreateGame& c = *env.message_as_CreateGame();
    for (const auto* p : *c.people()) people_sent.push_back(p->str());
    for (const auto* b : *c.bots()) bots_sent.emplace_back(b->seat()->str(), b->bot_path()->str());
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<wire::SeatToken>> seats = {wire::CreateSeatTokenDirect(fbb, "us", "tok-us"),
                                                               wire::CreateSeatTokenDirect(fbb, "cn", "tok-cn")};
    return Frames{payload(fbb, rid, wire::CreateGameCreatedDirect(fbb, "g1", "tok-f", "tok-o", &seats))};
  });
  Collect sink;
  ScratchDir dir;
  SessionOptions options = options_in(dir, "");
  options.web_url = "http://10.0.0.5:8080";
  Session session(fake, options, sink);
  REQUIRE(session.open());
  const std::string out = (dir.path / "handouts-here").string();
  REQUIRE_MESSAGE(session.run_line("create people=us,cn handouts=" + out + " address=10.0.0.5:7700"), sink.errors);
  // Person seats in both of CreateGame's forms.
  CHECK(people_sent == std::vector<std::string>{"us", "cn"});
  CHECK(bots_sent == std::vector<std::pair<std::string, std::string>>{{"us", "none"}, {"cn", "none"}});

  const auto token = lt::files::read_file(out + "/us.token");
  REQUIRE(token);
  CHECK(*token == "tok-us\n");
  struct stat st {};
  REQUIRE(::stat((out + "/us.token").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  const auto page = lt::files::read_file(out + "/cn-handout.md");
  REQUIRE(page);
  INFO(*page);
  CHECK(page->starts_with("# Leadtime: your seat is China (cn)\n"));
  CHECK(page->find("    leadtime-cli connect 10.0.0.5:7700 --token-file cn.token\n") != std::string::npos);
  CHECK(page->find("    http://10.0.0.5:8080/#token=tok-cn\n") != std::string::npos);
  CHECK(page->find("After each round: -1 x lead_months + 20 x own_global_share + 10 x own_row_share") !=
        std::string::npos);
  CHECK(page->find(lt::game::seat_briefing(scenario(), scenario().initial.find_actor("cn"))) != std::string::npos);
  CHECK(sink.text.find("Handouts for 2 seats in " + out) != std::string::npos);
  CHECK(sink.last("handouts")["files"].size() == 4);

  // Without handouts=, they go beside the saved tokens, a folder per server
  // and game.
  REQUIRE(session.run_line("create people=us,cn"));
  CHECK(std::filesystem::exists(dir.path / "handouts" / "fake_1" / "g1" / "us-handout.md"));
}

TEST_CASE("create: without --web-url the links are the server's pages from its Welcome, at the teams' host") {
  FacilitatorServer server;
  ScriptedTransport fake(
      [&](const wire::Envelope& env) {
        if (env.message_type() != wire::Message::CreateGame) return server.answer(env);
        flatbuffers::FlatBufferBuilder fbb;
        std::vector<flatbuffers::Offset<wire::SeatToken>> seats = {wire::CreateSeatTokenDirect(fbb, "eu", "tok-eu")};
        return Frames{
            payload(fbb, env.request_id(), wire::CreateGameCreatedDirect(fbb, "g2", "tok-f", "tok-o", &seats))};
      },
      "http://127.0.0.1:8080/");
  Collect sink;
  ScratchDir dir;
  Session session(fake, options_in(dir, ""), sink);
  REQUIRE(session.open());
  const std::string out = (dir.path / "h").string();
  REQUIRE_MESSAGE(session.run_line("create people=eu handouts=" + out + " address=192.168.1.20:7700"), sink.errors);
  const auto page = lt::files::read_file(out + "/eu-handout.md");
  REQUIRE(page);
  CHECK(page->find("    http://192.168.1.20:8080/#token=tok-eu\n") != std::string::npos);
  CHECK(sink.text.find("No browser links") == std::string::npos);
}

TEST_CASE("handouts: without a web address the page says to ask, and a link keeps the token in the fragment") {
  CHECK(browser_link("http://h:8080", "T") == "http://h:8080/#token=T");
  CHECK(browser_link("http://h:8080/#old", "T") == "http://h:8080/#token=T");
  CHECK(browser_link("", "T").empty());
  Handouts h{"g2", "2028", "h:7700", "", {{"us", "", "T", "", {}}}};
  const std::string page = handout_text(h, h.seats[0]);
  CHECK(page.find("ask the facilitator for the link") != std::string::npos);
  CHECK(page.find("(The server sent no briefing; type `briefing` once joined.)") != std::string::npos);
}

TEST_CASE("handouts: the server's own link for its machine takes the host the teams are given") {
  CHECK(web_url_for("http://127.0.0.1:8080/", "10.0.0.5:7700") == "http://10.0.0.5:8080/");
  CHECK(web_url_for("https://localhost:8443/play", "room.example.org:7700") == "https://room.example.org:8443/play");
  CHECK(web_url_for("http://[::1]:8080/", "[fd00::5]:7700") == "http://[fd00::5]:8080/");
  // A public address stays; so does loopback when the teams are given one.
  CHECK(web_url_for("https://exercise.example.org/", "10.0.0.5:7700") == "https://exercise.example.org/");
  CHECK(web_url_for("http://127.0.0.1:8080/", "127.0.0.1:7700") == "http://127.0.0.1:8080/");
  CHECK(web_url_for("", "10.0.0.5:7700").empty());
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

TEST_CASE("branch: the new game's people get handouts with the parent's scenario, and it starts paused") {
  FacilitatorServer server;
  ScriptedTransport fake([&](const wire::Envelope& env) {
    const std::uint32_t rid = env.request_id();
    const auto* command = env.message_as_FacilitatorCommand();
    if (command == nullptr || command->command() != wire::Command::Branch) return server.answer(env);
    CHECK(command->round() == 1);
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<wire::SeatToken>> seats = {wire::CreateSeatTokenDirect(fbb, "us", "tok-b-us")};
    return Frames{payload(fbb, rid, wire::CreateGameCreatedDirect(fbb, "g3", "tok-bf", "tok-bo", &seats))};
  });
  Collect sink;
  ScratchDir dir;
  Session session(fake, options_in(dir), sink);
  REQUIRE(session.open());
  const std::string out = (dir.path / "branch").string();
  REQUIRE_MESSAGE(session.run_line("branch 1 handouts=" + out), sink.errors);
  CHECK(sink.text.find("it starts paused: 'resume' when the room is ready") != std::string::npos);
  const auto page = lt::files::read_file(out + "/us-handout.md");
  REQUIRE(page);
  CHECK(page->find("Game g3, scenario \"2028\", server fake:1.") != std::string::npos);
  CHECK(page->find(lt::game::seat_briefing(scenario(), scenario().initial.find_actor("us"))) != std::string::npos);
  CHECK(*lt::files::read_file(out + "/us.token") == "tok-b-us\n");

  const std::size_t sent = fake.sent.size();
  CHECK_FALSE(session.run_line("branch"));
  CHECK(sink.errors.find("branch: expected the number of rounds to keep, e.g. 'branch 3'") != std::string::npos);
  CHECK_FALSE(session.run_line("branch 1 handout=x"));
  CHECK(sink.errors.find("branch: unknown option 'handout'; did you mean handouts?") != std::string::npos);
  CHECK(fake.sent.size() == sent);
}

TEST_CASE("create: a wrong option or address is named before anything is sent") {
  auto error = [](std::vector<std::string> args) {
    const auto parsed = parse_create(args);
    const auto* why = std::get_if<std::string>(&parsed);
    return why != nullptr ? *why : std::string();
  };
  CHECK(error({"address=10.0.0.5"}) ==
        "create: expected HOST:PORT after address= (what the handouts tell teams), got '10.0.0.5'");
  CHECK(error({"handouts="}) == "create: expected a folder after handouts=");
  CHECK(error({"handout=x"}).starts_with("create: unknown option 'handout'; did you mean handouts?"));
  CHECK(error({"a.lua", "b.lua"}) == "create: one scenario only, got 'a.lua' and 'b.lua'");
  const auto parsed =
      parse_create({"variants/x.lua", "people=us,cn", "bot=eu:b.lua", "deadline=5m", "handouts=h", "address=h:1"});
  const auto* o = std::get_if<CreateOptions>(&parsed);
  REQUIRE(o != nullptr);
  CHECK(o->scenario == "variants/x.lua");
  CHECK(o->people == std::vector<std::string>{"us", "cn"});
  CHECK(o->deadline_s == 300);
  CHECK(o->place.dir == "h");
  CHECK(o->place.address == "h:1");
}
