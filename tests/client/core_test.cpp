// The client's socket-free core: words, suggestions, orders as typed, the
// draft, completion, the model fed by wire messages, the status screen, the
// agent protocol, and the session driven through a fake transport.
#include <doctest/doctest.h>

#include <unistd.h>

#include <deque>
#include <filesystem>

#include "client-cli/agent_protocol.h"
#include "client-cli/commands.h"
#include "client-cli/completion.h"
#include "client-cli/order_text.h"
#include "client-cli/render_json.h"
#include "client-cli/render_text.h"
#include "client-cli/session.h"
#include "client-cli/suggest.h"
#include "client-cli/words.h"
#include "engine/lua/scenario_loader.h"
#include "engine/match.h"
#include "files/files.h"
#include "protocol/convert.h"

namespace lt = leadtime;
namespace wire = leadtime::wire;
namespace proto = leadtime::protocol;
using namespace leadtime::cli;

namespace {

const lt::Scenario& scenario() {
  static const lt::Scenario s = [] {
    auto loaded = lt::load_scenario_file("scenarios/2028.lua");
    REQUIRE_MESSAGE(loaded.scenario, loaded.error);
    return std::move(*loaded.scenario);
  }();
  return s;
}

lt::View view_of(const std::string& seat) {
  const lt::State state = lt::initial_state(scenario(), 5);
  return lt::make_view(state, scenario().coef, state.find_actor(seat));
}

// A finished envelope without its length prefix, as the transport hands it on.
template <typename T>
std::vector<std::uint8_t> payload(flatbuffers::FlatBufferBuilder& fbb, std::uint32_t request_id,
                                  flatbuffers::Offset<T> message) {
  auto framed = proto::frame_message(fbb, request_id, message);
  return {framed.begin() + proto::kLengthPrefixBytes, framed.end()};
}

std::vector<std::uint8_t> view_payload(const lt::View& view) {
  flatbuffers::FlatBufferBuilder fbb;
  return payload(fbb, 0, proto::build_view(fbb, view));
}

std::vector<std::uint8_t> press_payload(const std::string& from, const std::string& text, std::uint64_t seq) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<flatbuffers::String>> to = {fbb.CreateString("us")};
  return payload(fbb, 0, wire::CreatePressDirect(fbb, &to, text.c_str(), from.c_str(), seq));
}

std::vector<std::uint8_t> summary_payload(bool cn_bot) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<wire::SeatSummary>> seats = {
      wire::CreateSeatSummaryDirect(fbb, "us", false, "", 1),
      wire::CreateSeatSummaryDirect(fbb, "cn", cn_bot, cn_bot ? "scripts/bots/cn_shortcut.lua" : "", 1)};
  return payload(fbb, 0,
                 wire::CreateGameSummaryDirect(fbb, "g1", "2028", 1, 10, "orders", nullptr, &seats, 300, "2026Q4", 7));
}

void feed(ClientModel& model, const std::vector<std::uint8_t>& bytes) {
  const auto verified = proto::verify_envelope(bytes);
  REQUIRE(verified);
  model.apply_push(*verified.envelope, std::chrono::steady_clock::now());
}

ClientModel seat_model(const std::string& seat) {
  ClientModel m;
  m.role = Role::Seat;
  m.seat = seat;
  m.game_id = "g1";
  feed(m, view_payload(view_of(seat)));
  return m;
}

std::string error_of(const std::variant<lt::OrderDraft, std::string>& parsed) {
  const auto* e = std::get_if<std::string>(&parsed);
  return e ? *e : std::string();
}

}  // namespace

TEST_CASE("words: quotes keep blanks, backslashes escape, semicolons split commands outside quotes") {
  auto words = std::get<std::vector<std::string>>(split_words(R"(send cn,eu "hello there" x\ y 'it''s')"));
  CHECK(words == std::vector<std::string>{"send", "cn,eu", "hello there", "x y", "its"});
  CHECK(std::get<std::string>(split_words("say \"oops")) == "unclosed double quote");
  CHECK(split_commands("a; b 'c;d' ;; ") == std::vector<std::string>{"a", "b 'c;d'"});
  CHECK(last_word("set_export_tier tar") == "tar");
  CHECK(last_word("submit; dr") == "dr");
  CHECK(quote_word("two words") == "\"two words\"");
}

TEST_CASE("suggestions: typos and fragments find what was meant, unrelated words find nothing") {
  const auto actions = action_names(nullptr);
  CHECK(did_you_mean("sel_price", actions) == "; did you mean set_chip_price or set_model_price?");
  CHECK(did_you_mean("set_enforcment", actions) == "; did you mean set_enforcement?");
  CHECK(did_you_mean("tire", {"target", "tier"}) == "; did you mean tier?");
  CHECK(did_you_mean("stauts", command_names()) == "; did you mean status?");
  CHECK(did_you_mean("xx", {"us", "cn", "eu"}).empty());
}

TEST_CASE("orders as typed: values in catalogue order or by name, errors say what was expected") {
  const auto positional = std::get<lt::OrderDraft>(parse_order(std::vector<std::string>{"set_export_tier", "cn", "1"}));
  const auto named =
      std::get<lt::OrderDraft>(parse_order(std::vector<std::string>{"set_export_tier", "tier=1", "target=CN"}));
  CHECK(format_order(positional) == "set_export_tier target=CN tier=1");
  CHECK(format_order(named) == format_order(positional));
  CHECK(format_order(std::get<lt::OrderDraft>(parse_order(std::vector<std::string>{"set_open_weights", "true"}))) ==
        "set_open_weights on=on");
  CHECK(error_of(parse_order(std::vector<std::string>{"sel_price", "3"})) ==
        "unknown action 'sel_price'; did you mean set_chip_price or set_model_price?");
  CHECK(error_of(parse_order(std::vector<std::string>{"set_chip_budget", "lots"})) ==
        "expected a number for 'share' of set_chip_budget (0..1 share of cash), got 'lots'");
  CHECK(error_of(parse_order(std::vector<std::string>{"set_export_tier", "CN", "1.5x"})) ==
        "expected a whole number for 'tier' of set_export_tier (0..3 tier), got '1.5x'");
  CHECK(error_of(parse_order(std::vector<std::string>{"set_open_weights", "maybe"})) ==
        "expected on or off (or true or false) for 'on' of set_open_weights, got 'maybe'");
  CHECK(error_of(parse_order(std::vector<std::string>{"set_export_tier", "CN", "1", "2"})) ==
        "set_export_tier takes 2 values (target, tier); '2' is one too many. Usage: set_export_tier TARGET TIER");
  CHECK(error_of(parse_order(std::vector<std::string>{"set_export_tier", "tire=1", "CN"})) ==
        "set_export_tier has no parameter 'tire'; did you mean tier? (parameters: target, tier)");
  CHECK(error_of(parse_order(std::vector<std::string>{"set_export_tier", "CN"})) ==
        "set_export_tier needs 'tier' (0..3 tier). Usage: set_export_tier TARGET TIER");
  CHECK(error_of(parse_order(std::vector<std::string>{"set_export_tier", "tier=1", "tier=2"})) ==
        "'tier' is given twice");
}

TEST_CASE("order text: one rule gives typed values to parameters, for orders, edit and completion alike") {
  const lt::ActionSpec& tier = *lt::find_action("set_export_tier");  // target, tier
  auto match = [&](std::vector<std::string> words) { return match_values(tier, words); };
  const auto values = [](const std::variant<TypedValues, std::string>& m) {
    REQUIRE_MESSAGE(std::holds_alternative<TypedValues>(m), std::get<std::string>(m));
    return std::get<TypedValues>(m).values;
  };
  using V = std::vector<std::optional<std::string>>;
  // Unnamed values fill the parameters not named, in catalogue order,
  // wherever the named ones stand.
  CHECK(values(match({"CN", "1"})) == V{"CN", "1"});
  CHECK(values(match({"tier=1", "CN"})) == V{"CN", "1"});
  CHECK(values(match({"2", "target=EU"})) == V{"EU", "2"});
  CHECK(values(match({"tier=3"})) == V{std::nullopt, "3"});
  CHECK(std::get<TypedValues>(match({"tier=3"})).next(tier) == &tier.params[0]);
  CHECK(std::get<TypedValues>(match({"CN"})).next(tier) == &tier.params[1]);
  CHECK(std::get<TypedValues>(match({"CN", "1"})).next(tier) == nullptr);
  CHECK(std::get<TypedValues>(match({"CN", "1", "2"})).extra == std::vector<std::string>{"2"});
  CHECK(std::get<std::string>(match({"tier=1", "tier=2"})) == "'tier' is given twice");
  CHECK(std::get<std::string>(match({"tire=1"})) ==
        "set_export_tier has no parameter 'tire'; did you mean tier? (parameters: target, tier)");

  // Completion reads the same rule: after a named tier, the next value is the target.
  ClientModel m = seat_model("us");
  CompletionContext ctx{&m, {}};
  CHECK(complete("set_export_tier tier=1 ", ctx).hint.starts_with("target: "));
  CHECK(complete("set_export_tier 2 target=EU ", ctx).hint.find("every value is given") != std::string::npos);
  CHECK(complete("set_export_tier tire=1 ", ctx).hint.find("has no parameter 'tire'") != std::string::npos);
}

TEST_CASE("order text: on/off values are exactly the words the engine reads, no more and no fewer") {
  const lt::State state = lt::initial_state(scenario(), 5);
  const int lab = state.find_actor("us_lab");
  const lt::ActionSpec& open = *lt::find_action("set_open_weights");
  REQUIRE(open.params.size() == 1);
  REQUIRE(open.params[0].type == lt::ParamType::Bool);
  std::vector<std::string> accepted;
  for (const std::string word : {"on", "off", "true", "false", "ON", "On", "True", "FALSE", "yes", "no", "1", "0", "",
                                 "onn", "of", "y", " on"}) {
    INFO("'" << word << "'");
    const lt::OrderDraft as_text{"set_open_weights", {{"on", lt::ArgValue{word}}}};
    const auto engine = lt::validate_orders(state, lab, {as_text});
    const auto client = parse_value(open, open.params[0], word);
    CHECK(engine.errors.empty() == std::holds_alternative<lt::ArgValue>(client));
    if (!engine.errors.empty()) continue;
    accepted.push_back(word);
    // ... and with the same meaning.
    const lt::OrderDraft typed{"set_open_weights", {{"on", std::get<lt::ArgValue>(client)}}};
    CHECK(lt::validate_orders(state, lab, {typed}).orders == engine.orders);
  }
  CHECK(accepted == std::vector<std::string>{"on", "off", "true", "false"});
}

TEST_CASE("help for an action comes from the catalogue: parameters, ranges, units and a working example") {
  const lt::View view = view_of("cn");
  const lt::State actors = actors_from_view(view);
  const lt::ActionSpec& cyber = *lt::find_action("set_cyber_operations");
  const std::string help = action_help(cyber, &actors, &*view.self);
  CHECK(help.find("who:     the CN government") != std::string::npos);
  CHECK(help.find("usd_b   number    0..10 $B per quarter  - cyber budget") != std::string::npos);
  CHECK(help.find("a lab: us_lab, cn_lab, eu_lab") != std::string::npos);
  // The example passes the engine's own check for this seat.
  const auto words = std::get<std::vector<std::string>>(split_words(example(cyber, &actors, &*view.self)));
  const auto order = std::get<lt::OrderDraft>(parse_order(words));
  CHECK(lt::validate_orders(actors, view.viewer, {order}).errors.empty());
  for (const lt::ActionSpec& a : lt::catalogue()) {
    CHECK_MESSAGE(std::holds_alternative<lt::OrderDraft>(
                      parse_order(std::get<std::vector<std::string>>(split_words(example(a, nullptr, nullptr))))),
                  a.name);
  }
}

TEST_CASE("draft: an order for the same slot replaces, the server's verdict marks each order") {
  Draft d;
  auto parse = [](std::vector<std::string> w) { return std::get<lt::OrderDraft>(parse_order(w)); };
  CHECK(d.add(parse({"set_export_tier", "CN", "1"})) == std::pair<std::size_t, bool>{1, false});
  CHECK(d.add(parse({"set_export_tier", "EU", "2"})) == std::pair<std::size_t, bool>{2, false});
  CHECK(d.add(parse({"set_export_tier", "CN", "0"})) == std::pair<std::size_t, bool>{1, true});
  CHECK(d.add(parse({"set_enforcement", "3"})) == std::pair<std::size_t, bool>{3, false});
  CHECK(d.dirty());
  d.mark_submitted({{1, "set_export_tier: no"}});
  CHECK_FALSE(d.dirty());
  CHECK(d.entries()[0].status == DraftStatus::Submitted);
  CHECK(d.entries()[1].status == DraftStatus::Rejected);
  CHECK(d.entries()[1].error == "set_export_tier: no");
  CHECK(draft_text(d, 0).find("2. ✗ set_export_tier target=EU tier=2\n       ✗ set_export_tier: no") !=
        std::string::npos);
  CHECK(d.check_number(4) == "no order #4; expected a number from 1 to 3");
  d.remove(2);
  CHECK(d.size() == 2);
  CHECK(d.dirty());
}

TEST_CASE("completion: actions the seat may order, parameters, their values, and hints for numbers") {
  ClientModel m = seat_model("us");
  CompletionContext ctx{&m, {"g1"}};
  CHECK(complete("set_export_t", ctx).candidates == std::vector<std::string>{"set_export_tier"});
  CHECK(complete("set_fab", ctx).candidates.empty());  // China's, not the US's
  CHECK(complete("he", ctx).candidates == std::vector<std::string>{"help"});
  const Completion target = complete("set_export_tier ", ctx);
  CHECK(target.candidates == std::vector<std::string>{"CN", "EU", "ROW", "SEA", "US", "target=", "tier="});
  CHECK(target.hint == "target: US, CN, EU, SEA or ROW - destination bloc (CN, EU, SEA, ROW)");
  CHECK(complete("set_export_tier target=S", ctx).candidates == std::vector<std::string>{"target=SEA"});
  const Completion tier = complete("set_export_tier CN ", ctx);
  CHECK(tier.candidates.empty());
  CHECK(tier.hint == "tier: 0..3 tier - 0 ban, 1 downgraded only, 2 licensed, 3 open");
  CHECK(complete("set_export_tier CN 1 ", ctx).hint.find("every value is given") != std::string::npos);
  CHECK(complete("send cn", ctx).candidates == std::vector<std::string>{"cn", "cn_lab", "cn_vendor"});
  CHECK(complete("send eu,us_l", ctx).candidates == std::vector<std::string>{"eu,us_lab"});
  CHECK(complete("wait r", ctx).candidates == std::vector<std::string>{"round"});
  CHECK(complete("join ", ctx).candidates == std::vector<std::string>{"g1"});
  CHECK(complete("draft; set_intel", ctx).candidates == std::vector<std::string>{"set_intelligence"});
  CHECK(common_prefix({"set_fab_investment", "set_foreign_chip_ban"}) == "set_f");
}

TEST_CASE("model: views, round results and press build the status screen with history charts") {
  ClientModel m = seat_model("us");
  REQUIRE(m.self() != nullptr);
  CHECK(m.self()->id == "us");
  CHECK(m.actors.actors.size() == scenario().initial.actors.size());
  CHECK(m.actors.actors[static_cast<std::size_t>(m.actors.find_actor("cn_lab"))].kind == lt::ActorKind::Lab);
  // Play two rounds and feed their results and views.
  auto shared = std::make_shared<const lt::Scenario>(scenario());
  lt::Match match(shared, 5);
  for (int r = 0; r < 2; ++r) {
    const lt::RoundRecord& rec = match.play_round(lt::RoundOrders(shared->initial.actors.size()));
    flatbuffers::FlatBufferBuilder fbb;
    const auto ind = lt::public_indicators(match.state(), shared->coef);
    feed(m, payload(fbb, 0, proto::build_round_result(fbb, rec.round + 1, rec.quarter, rec.hash, ind, rec.events)));
    feed(m, view_payload(lt::make_view(match.state(), shared->coef, 0)));
  }
  CHECK(m.round() == 2);
  CHECK(m.rounds.size() == 3);
  m.quiet = true;
  feed(m, press_payload("cn", "caught up", 1));
  m.quiet = false;
  feed(m, press_payload("eu", "live", 2));
  CHECK(m.unread() == 1);  // shown live counts as read; caught up waits in the inbox
  CHECK(m.last_press_seq == 2);
  const std::string screen = status_screen(m, std::chrono::steady_clock::now());
  CHECK(screen.find("you are us (United States, government, US)") != std::string::npos);
  CHECK(screen.find("Round 3 (") != std::string::npos);  // the round being played
  CHECK(screen.find("lead US over CN") != std::string::npos);
  CHECK(screen.find("1 unread of 2") != std::string::npos);
  const auto lead = std::vector<double>{m.rounds[0].indicators.lead_months, m.rounds[1].indicators.lead_months,
                                        m.rounds[2].indicators.lead_months};
  CHECK(screen.find(sparkline(lead)) != std::string::npos);
  CHECK(sparkline({1, 2, 3, 4, 5, 6, 7, 8}) == "▁▂▃▄▅▆▇█");
  CHECK(sparkline({2, 2}) == "▄▄");
}

TEST_CASE("agent protocol: the view line, and answers in every accepted shape or with a clear fault") {
  ClientModel m = seat_model("cn_lab");
  SubmitResult last;
  last.accepted = 1;
  const nlohmann::json line = agent_view(m, {}, AgentFeedback{last, {"late"}}, 30);
  CHECK(line["type"] == "view");
  CHECK(line["seat"] == "cn_lab");
  CHECK(line["self"]["kind"] == "lab");
  CHECK(line["last_submission"]["accepted"] == 1);
  CHECK(line["faults"][0] == "late");
  bool distill = false;
  for (const auto& a : line["actions"]) {
    CHECK(a["action"] != "set_export_tier");  // only what this seat may order
    distill = distill || a["action"] == "set_distillation";
  }
  CHECK(distill);

  auto reply = [](std::string_view text) { return parse_agent_reply(text); };
  const auto full = std::get<AgentReply>(reply(
      R"({"orders":[{"action":"set_distillation","target":"us_lab","intensity":0.5}],"press":[{"to":"all","text":"hi"}],"ready":false})"));
  REQUIRE(full.orders.size() == 1);
  CHECK(format_order(full.orders[0]) == "set_distillation target=us_lab intensity=0.5");
  CHECK(full.press[0].to.empty());
  CHECK_FALSE(full.ready);
  CHECK(std::get<AgentReply>(reply(R"([{"action":"set_safety_investment","args":{"usd_b":1}}])")).orders.size() == 1);
  CHECK(std::get<AgentReply>(reply("null")).keep_standing);
  CHECK(std::get<AgentReply>(reply("{}")).keep_standing);
  CHECK(std::get<std::string>(reply("orders please")).starts_with("bad JSON ("));
  CHECK(std::get<std::string>(reply(R"({"order":[]})")) ==
        "unknown key \"order\"; an answer may have \"orders\", \"press\" and \"ready\"");
  CHECK(std::get<std::string>(reply(R"({"orders":[5]})")).starts_with("order 1: an order must be an object"));
  CHECK(std::get<std::string>(reply(R"({"orders":[{"action":"x","v":[1]}]})")) ==
        "order 1: x: 'v' must be a number, true/false or a string, got [1]");
  // An order survives the trip to JSON and back.
  const auto o = std::get<lt::OrderDraft>(parse_order(std::vector<std::string>{"set_open_weights", "on"}));
  CHECK(format_order(std::get<lt::OrderDraft>(order_from_json(order_json(o)))) == format_order(o));
}

namespace {

// A server in a test: answers each request with frames of its choosing.
class FakeTransport final : public Transport {
 public:
  using Responder = std::function<std::vector<std::vector<std::uint8_t>>(const wire::Envelope&)>;
  explicit FakeTransport(Responder respond) : respond_(std::move(respond)) {
    events_.push_back({NetEvent::Kind::Connected, "fake", false, {}});
  }
  bool send(std::vector<std::uint8_t> frame) override {
    std::vector<std::uint8_t> body(frame.begin() + proto::kLengthPrefixBytes, frame.end());
    const auto verified = proto::verify_envelope(body);
    REQUIRE(verified);
    sent.push_back(verified.envelope->message_type());
    for (auto& reply : respond_(*verified.envelope))
      events_.push_back({NetEvent::Kind::Frame, {}, false, std::move(reply)});
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
  std::vector<wire::Message> sent;

 private:
  Responder respond_;
  std::deque<NetEvent> events_;
};

struct Collect final : Sink {
  void emit(const Output& o) override {
    text += o.text + "\n";
    if (o.error) errors += o.text + "\n";
  }
  std::string text;
  std::string errors;
};

}  // namespace

TEST_CASE("session: submitting shows the server's rejection beside its order, and ready and wait follow the round") {
  lt::State state = lt::initial_state(scenario(), 5);
  const int us = state.find_actor("us");
  FakeTransport fake([&](const wire::Envelope& env) {
    std::vector<std::vector<std::uint8_t>> out;
    flatbuffers::FlatBufferBuilder fbb;
    const std::uint32_t rid = env.request_id();
    switch (env.message_type()) {
      case wire::Message::Join:
        out.push_back(payload(fbb, rid, wire::CreateJoinedDirect(fbb, "g1", "us", wire::Role::Seat)));
        out.push_back(view_payload(lt::make_view(state, scenario().coef, us)));
        break;
      case wire::Message::SubmitOrders: {
        // The second order of a pair is refused.
        const auto n = env.message_as_SubmitOrders()->orders()->size();
        std::vector<lt::OrderError> errors;
        if (n == 2) errors.push_back({1, "set_enforcement", "usd_b", "the server says no"});
        out.push_back(payload(
            fbb, rid, proto::build_orders_accepted(fbb, n - static_cast<std::uint32_t>(errors.size()), errors)));
        break;
      }
      case wire::Message::Ready: {
        out.push_back(payload(fbb, rid, wire::CreateAck(fbb, rid)));
        flatbuffers::FlatBufferBuilder rr;
        out.push_back(payload(rr, 0, proto::build_round_result(rr, 1, state.quarter, 42, {}, {})));
        state.round = 1;
        out.push_back(view_payload(lt::make_view(state, scenario().coef, us)));
        break;
      }
      default:
        out.push_back(payload(fbb, rid, proto::build_error(fbb, rid, wire::ErrorCode::NotFound, "unexpected")));
    }
    return out;
  });
  Collect sink;
  SessionOptions options;
  options.token = "t";
  options.tokens_file = "/nonexistent/tokens.json";
  Session session(fake, options, sink);
  REQUIRE(session.open());
  CHECK(sink.text.find("Joined game g1 as us (United States)") != std::string::npos);
  CHECK(session.run_line("set_export_tier CN 1; set_enforcement 3"));
  CHECK_FALSE(session.run_line("submit"));
  CHECK(sink.text.find("2. set_enforcement usd_b=3\n     ✗ the server says no") != std::string::npos);
  CHECK(session.model().draft.entries()[0].status == DraftStatus::Submitted);
  CHECK(session.model().draft.entries()[1].status == DraftStatus::Rejected);
  // A local error never reaches the server.
  const std::size_t sent = fake.sent.size();
  CHECK_FALSE(session.run_line("set_export_tier CN 7"));
  CHECK(fake.sent.size() == sent);
  CHECK(sink.errors.find("parameter 'tier' is 7, allowed an integer from 0 to 3") != std::string::npos);
  CHECK_MESSAGE(session.run_line("remove 2; ready; wait round"), sink.errors);
  CHECK(session.model().round() == 1);
  CHECK(session.model().draft.empty());  // a new round starts with a fresh draft
  CHECK_FALSE(session.model().ready);
  CHECK(sink.text.find("Round 1 resolved") != std::string::npos);
}

namespace {

// A server for the press and join tests: its press so far goes to every
// joining client (as the real server's does for a fresh join), a seat may
// hold orders from before, and each Press sent is recorded.
struct PressServer {
  struct Item {
    std::uint64_t seq;
    std::string from;
    std::string text;
  };
  std::vector<Item> press;
  std::vector<lt::OrderDraft> orders_before;
  std::vector<std::pair<std::vector<std::string>, std::string>> sent;
  std::optional<Item> push_on_send;  // pushed right after the next Ack of a Press
  lt::State state = lt::initial_state(scenario(), 5);

  std::vector<std::vector<std::uint8_t>> answer(const wire::Envelope& env) {
    std::vector<std::vector<std::uint8_t>> out;
    flatbuffers::FlatBufferBuilder fbb;
    const std::uint32_t rid = env.request_id();
    switch (env.message_type()) {
      case wire::Message::Join: {
        std::vector<flatbuffers::Offset<wire::Order>> orders;
        for (const auto& o : orders_before) orders.push_back(proto::to_wire(fbb, o));
        out.push_back(payload(fbb, rid, wire::CreateJoinedDirect(fbb, "g1", "us", wire::Role::Seat, &orders)));
        out.push_back(view_payload(lt::make_view(state, scenario().coef, state.find_actor("us"))));
        for (const Item& p : press) out.push_back(press_payload(p.from, p.text, p.seq));
        break;
      }
      case wire::Message::Press: {
        const wire::Press& p = *env.message_as_Press();
        std::vector<std::string> to;
        if (p.to()) {
          for (const auto* id : *p.to()) to.push_back(id->str());
        }
        sent.emplace_back(to, p.text() ? p.text()->str() : "");
        out.push_back(payload(fbb, rid, wire::CreateAck(fbb, rid)));
        if (push_on_send) {
          press.push_back(*push_on_send);
          out.push_back(press_payload(push_on_send->from, push_on_send->text, push_on_send->seq));
          push_on_send.reset();
        }
        break;
      }
      case wire::Message::SubmitOrders: {
        const auto n = env.message_as_SubmitOrders()->orders()->size();
        out.push_back(payload(fbb, rid, proto::build_orders_accepted(fbb, n, {})));
        break;
      }
      default:
        out.push_back(payload(fbb, rid, proto::build_error(fbb, rid, wire::ErrorCode::NotFound, "unexpected")));
    }
    return out;
  }
};

// A folder of its own for a session's saved tokens and read press.
struct ScratchDir {
  ScratchDir() {
    static int counter = 0;
    path = std::filesystem::temp_directory_path() /
           ("leadtime-client-core-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~ScratchDir() { std::filesystem::remove_all(path); }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::filesystem::path path;
};

SessionOptions options_in(const ScratchDir& dir, Driver driver = Driver::Person) {
  SessionOptions o;
  o.token = "t";
  o.tokens_file = (dir.path / "tokens.json").string();
  o.driver = driver;
  return o;
}

}  // namespace

TEST_CASE("session: a message is the rest of the line, semicolons and apostrophes included") {
  CHECK(split_commands("send cn a; b; c", takes_rest_of_line) == std::vector<std::string>{"send cn a; b; c"});
  CHECK(split_commands("draft; say x; y", takes_rest_of_line) == std::vector<std::string>{"draft", "say x; y"});
  CHECK(split_commands("say; draft", takes_rest_of_line) == std::vector<std::string>{"say", "draft"});
  CHECK(split_commands("send cn a; b") == std::vector<std::string>{"send cn a", "b"});  // without the rule
  PressServer server;
  FakeTransport fake([&](const wire::Envelope& env) { return server.answer(env); });
  Collect sink;
  ScratchDir dir;
  Session session(fake, options_in(dir), sink);
  REQUIRE(session.open());
  CHECK_MESSAGE(session.run_line("send cn KYC at 0.8 works for us; we will align tools too"), sink.errors);
  CHECK_MESSAGE(session.run_line("draft; say we don't agree; not yet"), sink.errors);
  CHECK_MESSAGE(session.run_line("send cn,eu \"see you at noon\""), sink.errors);
  CHECK_MESSAGE(session.run_line("say  it's   spaced  "), sink.errors);
  using Sent = std::vector<std::pair<std::vector<std::string>, std::string>>;
  CHECK(server.sent == Sent{{{"cn"}, "KYC at 0.8 works for us; we will align tools too"},
                            {{}, "we don't agree; not yet"},
                            {{"cn", "eu"}, "see you at noon"},
                            {{}, "it's   spaced"}});
  CHECK(sink.errors.empty());
  CHECK_FALSE(session.run_line("say; draft"));  // 'say' with no message, before the ';'
  CHECK(sink.errors.find("say: expected a message") != std::string::npos);
  // Completion knows a message has begun and offers nothing inside it.
  const Completion inside = complete("send cn hello; wo", session.completion_context());
  CHECK(inside.candidates.empty());
  CHECK(inside.hint.starts_with("the message text"));
  CHECK(complete("draft; sta", session.completion_context()).candidates == std::vector<std::string>{"start", "status"});
}

TEST_CASE("session: counts of one read in the singular, and a bot or agent is not told to type commands") {
  PressServer server;
  server.orders_before = {std::get<lt::OrderDraft>(parse_order(std::vector<std::string>{"set_enforcement", "3"}))};
  {
    FakeTransport fake([&](const wire::Envelope& env) { return server.answer(env); });
    Collect sink;
    ScratchDir dir;
    Session session(fake, options_in(dir), sink);
    REQUIRE(session.open());
    CHECK(sink.text.find("Your 1 order from before is in 'draft'.") != std::string::npos);
    CHECK(sink.text.find("Type 'status' for the picture") != std::string::npos);
    CHECK(session.submit_orders(server.orders_before));
    CHECK(sink.text.find("Submitted 1 order: 1 accepted") != std::string::npos);
    CHECK(session.run_line("clear"));
    CHECK(sink.text.find("Cleared 1 order.") != std::string::npos);
    CHECK(sink.text.find(" 1 orders") == std::string::npos);
  }
  for (const Driver driver : {Driver::Agent, Driver::Bot}) {
    FakeTransport fake([&](const wire::Envelope& env) { return server.answer(env); });
    Collect sink;
    ScratchDir dir;
    Session session(fake, options_in(dir, driver), sink);
    REQUIRE(session.open());
    INFO(sink.text);
    CHECK(sink.text.find("Type 'status'") == std::string::npos);
    CHECK(sink.text.find(driver == Driver::Agent ? "answers with one line on its stdout: {\"orders\""
                                                 : "The bot gives this seat's orders") != std::string::npos);
    CHECK_FALSE(session.model().command_hints);
  }
  // The round notice suggests 'status' only to a person.
  RoundInfo round;
  round.round = 1;
  round.quarter = "2026Q3";
  CHECK(round_notice(round, "us", true).find("type 'status'") != std::string::npos);
  CHECK(round_notice(round, "us", false).find("type 'status'") == std::string::npos);
}

TEST_CASE("session: press read before stays read when the client is started again; what is new is unread") {
  PressServer server;
  server.press = {{1, "cn", "first"}, {2, "eu", "second"}};
  ScratchDir dir;
  auto start = [&](Collect& sink, std::unique_ptr<FakeTransport>& fake) {
    fake = std::make_unique<FakeTransport>([&](const wire::Envelope& env) { return server.answer(env); });
    auto session = std::make_unique<Session>(*fake, options_in(dir), sink);
    REQUIRE(session->open());
    return session;
  };
  {
    Collect sink;
    std::unique_ptr<FakeTransport> fake;
    auto session = start(sink, fake);
    CHECK(session->model().unread() == 2);  // caught up on joining: waiting in the inbox
    REQUIRE(session->run_line("inbox"));
    CHECK(session->model().unread() == 0);
  }
  server.press.push_back({3, "cn", "third, sent while no client ran"});
  {
    Collect sink;
    std::unique_ptr<FakeTransport> fake;
    auto session = start(sink, fake);
    CHECK(session->model().unread() == 1);
    CHECK(sink.text.find("1 unread message ('inbox')") != std::string::npos);
    // A message shown as it arrives counts as read, here and after a restart.
    server.push_on_send = PressServer::Item{4, "eu", "fourth, shown live"};
    REQUIRE(session->run_line("say hello"));
    session->pump(std::chrono::milliseconds(0));
    CHECK(session->model().press.size() == 4);
    CHECK(session->model().unread() == 1);
  }
  {
    Collect sink;
    std::unique_ptr<FakeTransport> fake;
    auto session = start(sink, fake);
    CHECK(session->model().unread() == 1);
    REQUIRE(session->run_line("inbox"));
    CHECK(sink.text.find("third, sent while no client ran") != std::string::npos);
    CHECK(sink.text.find("first") == std::string::npos);
    CHECK(sink.text.find("fourth") == std::string::npos);
  }
  // Kept beside the saved tokens, per server, game, seat and token (only its hash).
  const nlohmann::json kept =
      nlohmann::json::parse(*leadtime::files::read_file((dir.path / "press_read.json").string()));
  REQUIRE(kept["servers"]["fake:1"].size() == 1);
  const auto entry = kept["servers"]["fake:1"].items().begin();
  CHECK(entry.key().starts_with("g1/us/"));
  CHECK(entry.key().size() == std::string("g1/us/").size() + 16);
  CHECK(entry.value()["seen"] == 4);
  CHECK(entry.value()["unread"].empty());
  // Another game that reuses the id (a fresh database, other tokens) starts unread.
  FakeTransport fresh([&](const wire::Envelope& env) { return server.answer(env); });
  Collect sink;
  SessionOptions other = options_in(dir);
  other.token = "a token of another game g1";
  Session session(fresh, other, sink);
  REQUIRE(session.open());
  CHECK(session.model().unread() == 4);
}

TEST_CASE("model: a seat's team is told when the facilitator hands the seat to a bot and gives it back") {
  ClientModel m = seat_model("cn");
  const auto texts = [&m](bool cn_bot) {
    const std::vector<std::uint8_t> bytes = summary_payload(cn_bot);
    const auto verified = proto::verify_envelope(bytes);
    REQUIRE(verified);
    std::string all;
    for (const Output& o : m.apply_push(*verified.envelope, std::chrono::steady_clock::now())) all += o.text + "\n";
    return all;
  };
  CHECK(texts(false).find("your seat") == std::string::npos);
  const std::string handed = texts(true);
  CHECK(handed.find("The facilitator handed your seat (cn) to a bot (scripts/bots/cn_shortcut.lua)") !=
        std::string::npos);
  CHECK(texts(true).find("your seat") == std::string::npos);  // told once
  CHECK(texts(false).find("gave your seat (cn) back to your team") != std::string::npos);
  ClientModel us = seat_model("us");  // another seat's team is not told
  const std::vector<std::uint8_t> before = summary_payload(false);
  const auto verified = proto::verify_envelope(before);
  us.apply_push(*verified.envelope, std::chrono::steady_clock::now());
  const std::vector<std::uint8_t> after = summary_payload(true);
  const auto again = proto::verify_envelope(after);
  for (const Output& o : us.apply_push(*again.envelope, std::chrono::steady_clock::now())) {
    CHECK(o.text.find("your seat") == std::string::npos);
  }
}
