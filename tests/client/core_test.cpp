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
#include "client-cli/connection.h"
#include "client-cli/order_text.h"
#include "client-cli/render_json.h"
#include "client-cli/render_text.h"
#include "client-cli/session.h"
#include "client-cli/suggest.h"
#include "client-cli/words.h"
#include "engine/lua/scenario_loader.h"
#include "engine/match.h"
#include "engine/text.h"
#include "files/files.h"
#include "protocol/convert.h"

#include "tests/client/core_fixture.h"

namespace lt = leadtime;
namespace wire = leadtime::wire;
namespace proto = leadtime::protocol;
using namespace leadtime::cli;
using namespace client_testing;

namespace {

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
  CHECK(lt::quote_word("two words") == "\"two words\"");
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
  // Says what the seized figure counts: a case's event names only its own
  // seizure (issue #19: "9k seized" beside "seized 80k").
  CHECK(screen.find("seized at borders and in cases") != std::string::npos);
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

TEST_CASE("connection: HOST:PORT, [V6]:PORT and tls://HOST:PORT, and what is wrong with a bad address") {
  std::string error;
  const auto plain = parse_host_port("10.0.0.5:7700", error);
  REQUIRE(plain);
  CHECK(plain->host == "10.0.0.5");
  CHECK(plain->port == 7700);
  CHECK_FALSE(plain->tls);
  const auto tls = parse_host_port("tls://leadtime.example.org:7443", error);
  REQUIRE(tls);
  CHECK(tls->host == "leadtime.example.org");
  CHECK(tls->port == 7443);
  CHECK(tls->tls);
  const auto v6 = parse_host_port("tls://[::1]:7700", error);
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->tls);
  CHECK_FALSE(parse_host_port("https://host:7700", error));
  CHECK(error == "expected HOST:PORT or tls://HOST:PORT, got 'https://host:7700'");
  CHECK_FALSE(parse_host_port("tls://host", error));
  CHECK(error.find("got 'tls://host'") != std::string::npos);
}

TEST_CASE("connection: a --tls-ca file that holds no certificate is named before any connection is tried") {
  const std::string path = std::filesystem::temp_directory_path() / ("leadtime-tls-ca-" + std::to_string(::getpid()));
  REQUIRE_FALSE(leadtime::files::replace_file(path, "not a certificate\n"));
  ConnectionOptions options;
  options.tls.enabled = true;
  options.tls.ca_file = path;
  const Connection connection(options);
  CHECK(connection.setup_error().find("--tls-ca " + path + ": not a readable PEM certificate file") == 0);
  std::filesystem::remove(path);
  ConnectionOptions plain;
  CHECK(Connection(plain).setup_error().empty());
}
