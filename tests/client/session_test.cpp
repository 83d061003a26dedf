// The client's session driven through a fake transport: submitting and the
// server's verdicts, ready and wait, press as the rest of the line, counts
// of one, and read press kept across restarts.
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

#include "tests/client/core_fixture.h"

namespace lt = leadtime;
namespace wire = leadtime::wire;
namespace proto = leadtime::protocol;
using namespace leadtime::cli;
using namespace client_testing;

namespace {

// A server in a test: answers each request with frames of its choosing.
class FakeTransport final : public Transport {
 public:
  using Responder = std::function<std::vector<std::vector<std::uint8_t>>(const wire::Envelope&)>;
  explicit FakeTransport(Responder respond) : respond_(std::move(respond)) {
    events_.push_back({NetEvent::Kind::Connected, "fake", false, {}, {}});
  }
  bool send(std::vector<std::uint8_t> frame) override {
    std::vector<std::uint8_t> body(frame.begin() + proto::kLengthPrefixBytes, frame.end());
    const auto verified = proto::verify_envelope(body);
    REQUIRE(verified);
    sent.push_back(verified.envelope->message_type());
    for (auto& reply : respond_(*verified.envelope))
      events_.push_back({NetEvent::Kind::Frame, {}, false, std::move(reply), {}});
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
struct TempDir {
  TempDir() {
    static int counter = 0;
    path = std::filesystem::temp_directory_path() /
           ("leadtime-client-core-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path path;
};

SessionOptions options_in(const TempDir& dir, Driver driver = Driver::Person) {
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
  TempDir dir;
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
    TempDir dir;
    Session session(fake, options_in(dir), sink);
    REQUIRE(session.open());
    CHECK(sink.text.find("Your 1 order for this round is in 'draft', as the server has it.") != std::string::npos);
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
    TempDir dir;
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
  TempDir dir;
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
