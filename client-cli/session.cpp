#include "client-cli/session.h"

#include <xxhash.h>

#include <charconv>

#include "client-cli/commands.h"
#include "client-cli/order_text.h"
#include "client-cli/render_json.h"
#include "client-cli/render_text.h"
#include "client-cli/suggest.h"
#include "client-cli/wire_read.h"
#include "client-cli/words.h"
#include "engine/hash.h"
#include "engine/text.h"
#include "protocol/framing.h"

namespace leadtime::cli {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

Session::Session(Transport& transport, SessionOptions options, Sink& sink)
    : transport_(transport),
      options_(std::move(options)),
      sink_(sink),
      tokens_(options_.tokens_file),
      press_reads_(PressReadStore::beside(tokens_.path())) {
  model_.command_hints = options_.driver == Driver::Person;
}

namespace {

// What to do next, said once a game is joined.
std::string next_steps(Driver driver, Role role) {
  switch (driver) {
    case Driver::Person:
      break;
    case Driver::Bot:
      return " The bot gives this seat's orders each round; nothing needs typing.";
    case Driver::Agent:
      return " Each round the agent is sent this seat's view as one JSON line on its stdin and answers with one "
             "line on its stdout: {\"orders\": [{\"action\": ..., PARAM: VALUE}], \"press\": [{\"to\": [SEAT], "
             "\"text\": ...}], \"ready\": true} (client-cli/README.md, --agent).";
  }
  if (role == Role::Facilitator) {
    return " Type 'status' for the picture, 'orders' and 'seat SEAT' for the seats, 'events scenario' for what "
           "you may inject, 'help' for commands.";
  }
  if (role == Role::Seat) {
    return " Type 'status' for the picture, 'briefing' for your role, 'objectives' for your score, 'help' for "
           "commands.";
  }
  return " Type 'status' for the picture, 'help' for commands.";
}

// Whose reading press_read.json keeps: "g3/us/<hash of the token>". The
// token tells apart two games that reuse an id (a server started afresh
// on a new database after a dry run), so one's reading never marks the
// other's press; only its hash is kept.
std::string press_reader(const ClientModel& model, const std::string& token) {
  return model.game_id + "/" + (model.role == Role::Seat ? model.seat : std::string(role_name(model.role))) + "/" +
         hash_hex(XXH3_64bits(token.data(), token.size()));
}

}  // namespace

std::optional<std::uint32_t> parse_seconds(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::uint32_t scale = 1;
  switch (text.back()) {
    case 's':
      text.remove_suffix(1);
      break;
    case 'm':
      scale = 60;
      text.remove_suffix(1);
      break;
    case 'h':
      scale = 3600;
      text.remove_suffix(1);
      break;
    default:
      break;
  }
  std::uint32_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > 100000000u / scale) {
    return std::nullopt;
  }
  return value * scale;
}

// --- Events from the network --------------------------------------------------

void Session::pump(milliseconds wait) {
  if (auto e = transport_.next_event(wait)) handle(std::move(*e));
  // Then everything else already waiting, without blocking.
  while (auto e = transport_.next_event(milliseconds(0))) handle(std::move(*e));
}

void Session::handle(NetEvent event) {
  switch (event.kind) {
    case NetEvent::Kind::Connected:
      server_web_url_ = event.web_url;
      on_connected(event.text);
      return;
    case NetEvent::Kind::Disconnected:
      on_disconnected(event);
      return;
    case NetEvent::Kind::Frame:
      handle_frame(std::move(event.frame));
      return;
  }
}

void Session::on_connected(const std::string& version) {
  model_.server_version = version;
  const bool first = !ever_connected_;
  connected_ = true;
  ever_connected_ = true;
  ++connections_;
  if (first || switching_) return;
  emit(Output::note("Reconnected to " + transport_.address() + (token_.empty() ? "" : "; rejoining the game"),
                    "reconnected"));
  if (!token_.empty()) send_rejoin();
}

void Session::on_disconnected(const NetEvent& event) {
  connected_ = false;
  if (awaited_ != 0) awaited_lost_ = true;
  if (event.fatal) {
    fatal_ = true;
    fatal_reason_ = event.text;
    if (ever_connected_) emit(Output::error_text("Connection lost: " + event.text));
    return;
  }
  if (switching_) return;
  emit(Output::note("Connection lost (" + event.text + "); reconnecting…", "disconnected"));
}

void Session::send_rejoin() {
  flatbuffers::FlatBufferBuilder fbb;
  const std::uint32_t id = next_request_++;
  rejoin_id_ = id;
  transport_.send(protocol::frame_message(
      fbb, id,
      wire::CreateJoinDirect(fbb, token_.c_str(), options_.member.c_str(), model_.last_press_seq, model_.last_round)));
}

void Session::on_rejoined(const wire::Envelope& env) {
  rejoin_id_ = 0;
  if (const auto* joined = env.message_as_Joined()) {
    model_.apply_joined(*joined);
    emit(Output::note("Rejoined game " + model_.game_id + (model_.seat.empty() ? "" : " as " + model_.seat) +
                          "; anything missed follows",
                      "rejoined"));
    return;
  }
  const auto* error = env.message_as_Error();
  emit(Output::error_text("Could not rejoin the game: " +
                          (error && error->text() ? error->text()->str() : std::string("unexpected answer"))));
  token_.clear();
}

void Session::handle_frame(std::vector<std::uint8_t> frame) {
  const auto verified = protocol::verify_envelope(frame);
  if (!verified) {
    emit(Output::error_text("The server sent a message that failed verification: " + verified.error));
    return;
  }
  const wire::Envelope& env = *verified.envelope;
  const std::uint32_t rid = env.request_id();
  if (rid != 0 && rid == awaited_) {
    Reply reply;
    reply.envelope = verified.envelope;
    reply.frame = std::move(frame);  // the envelope points into the same heap buffer
    awaited_reply_ = std::move(reply);
    return;
  }
  if (rid != 0 && rid == rejoin_id_) {
    on_rejoined(env);
    return;
  }
  // A late answer to a request this client stopped waiting for.
  if (rid != 0) return;
  for (const Output& out : model_.apply_push(env, Clock::now())) emit(out);
  if (env.message_type() == wire::Message::Press) remember_press_read();
  if (const auto* error = env.message_as_Error();
      error != nullptr && error->code() == wire::ErrorCode::NotAuthorised && model_.role == Role::Seat) {
    // Kicked: the server closes the connection next. Coming straight back
    // would undo the facilitator's decision, so this client does not rejoin.
    removed_ = error->text() ? error->text()->str() : "removed from the seat";
    token_.clear();
    emit(Output::note("You are out of the game until the facilitator lets you back; then 'join TOKEN'.", "removed"));
  }
}

Session::Reply Session::call_frame(std::uint32_t id, std::vector<std::uint8_t> frame) {
  Reply reply;
  if (!connected_ || !transport_.send(std::move(frame))) {
    reply.problem = fatal_ ? "not connected to the server (" + fatal_reason_ + ")"
                           : "not connected to the server (reconnecting; try again in a moment)";
    return reply;
  }
  awaited_ = id;
  awaited_reply_.reset();
  awaited_lost_ = false;
  const auto give_up = Clock::now() + options_.request_timeout;
  while (!awaited_reply_ && !awaited_lost_) {
    const auto left = std::chrono::duration_cast<milliseconds>(give_up - Clock::now());
    if (left.count() <= 0) break;
    if (auto e = transport_.next_event(std::min(left, milliseconds(200)))) handle(std::move(*e));
  }
  awaited_ = 0;
  if (awaited_reply_) {
    reply = std::move(*awaited_reply_);
    awaited_reply_.reset();
    return reply;
  }
  reply.problem = awaited_lost_ ? "the connection was lost before the server answered"
                                : "no answer from the server within " +
                                      std::to_string(options_.request_timeout.count() / 1000) + " s";
  return reply;
}

std::optional<std::string> Session::failure(const Reply& reply, wire::Message expected) const {
  if (!reply) return reply.problem;
  if (const auto* error = reply.envelope->message_as_Error()) {
    std::string text = error->text() ? error->text()->str() : "refused";
    if (error->code() == wire::ErrorCode::NotAuthorised && options_.facilitator_key.empty() &&
        text.find("key") != std::string::npos) {
      text += " (give it with --key-file FILE or LEADTIME_FACILITATOR_KEY)";
    }
    return text;
  }
  if (reply.envelope->message_type() != expected) {
    return std::string("unexpected answer from the server: ") + wire::EnumNameMessage(reply.envelope->message_type());
  }
  return std::nullopt;
}

// --- Opening and joining --------------------------------------------------------

bool Session::open() {
  const auto give_up = Clock::now() + options_.request_timeout;
  while (!connected_ && !fatal_ && Clock::now() < give_up) pump(milliseconds(100));
  if (fatal_) {
    const bool refused = fatal_reason_.find("refused") != std::string::npos;
    return fail(fatal_reason_ + (refused ? " (is leadtime-server running there, on that port?)" : ""));
  }
  if (!connected_)
    return fail("no answer from " + transport_.address() + " within " +
                std::to_string(options_.request_timeout.count() / 1000) + " s");
  emit(Output{"", typed("connected", {{"server", transport_.address()}, {"server_version", model_.server_version}}),
              false});
  if (!options_.token.empty()) return join(options_.token);
  return true;
}

void Session::catch_up() {
  // Joined is followed by the rounds, the view, the press and a summary;
  // stop at the summary, or when the server has gone quiet for a moment
  // (an older server sends no summary).
  const auto give_up = Clock::now() + std::chrono::seconds(5);
  while (!model_.game && Clock::now() < give_up) {
    auto e = transport_.next_event(milliseconds(300));
    if (!e) break;
    handle(std::move(*e));
  }
}

bool Session::join(const std::string& token) {
  if (model_.role != Role::None) {
    // The server allows one game per connection, so switching games takes
    // a fresh one.
    switching_ = true;
    const std::uint64_t before = connections_;
    transport_.reconnect();
    const auto give_up = Clock::now() + options_.request_timeout;
    while (connections_ == before && !fatal_ && Clock::now() < give_up) pump(milliseconds(100));
    switching_ = false;
    if (connections_ == before) return fail("could not reconnect to switch games");
    model_.forget_game();
    token_.clear();
  }
  removed_.clear();
  model_.quiet = true;
  flatbuffers::FlatBufferBuilder fbb;
  const Reply reply = call(fbb, wire::CreateJoinDirect(fbb, token.c_str(), options_.member.c_str(), 0, 0));
  if (auto why = failure(reply, wire::Message::Joined)) {
    model_.quiet = false;
    return fail("cannot join: " + *why);
  }
  model_.apply_joined(*reply.envelope->message_as_Joined());
  token_ = token;
  catch_up();
  model_.quiet = false;
  restore_press_read();
  // The facilitator needs the scenario's events at hand (inject, completion).
  scenario_refused_.clear();
  if (model_.role == Role::Facilitator) (void)fetch_scenario();
  std::string text = "Joined game " + model_.game_id + " as ";
  if (const Actor* a = model_.self()) {
    text += a->id + " (" + a->name + ")";
  } else {
    text += role_name(model_.role);
  }
  text += ". " + round_headline(model_);
  const std::string phase = model_.phase();
  if (!model_.over()) {
    if (phase == "lobby")
      text += ", waiting for the start";
    else if (phase == "orders")
      text += ", open for orders";
    else if (!phase.empty())
      text += ", " + phase;
  }
  text += ".";
  if (const std::size_t n = model_.unread(); n > 0) text += " " + count_noun(n, "unread message") + " ('inbox').";
  if (const std::size_t n = model_.draft.size(); n > 0) {
    text += " Your " + count_noun(n, "order") + " for this round " + (n == 1 ? "is" : "are") + " in 'draft'" +
            (model_.draft.dirty() ? " (not sent yet)."
                                  : ", as the server has " + std::string(n == 1 ? "it" : "them") + ".");
  }
  text += next_steps(options_.driver, model_.role);
  return ok(text, typed("joined", {{"game_id", model_.game_id},
                                   {"role", role_name(model_.role)},
                                   {"seat", model_.seat},
                                   {"round", model_.round()},
                                   {"unread", model_.unread()},
                                   {"ready", model_.ready},
                                   {"draft", draft_json(model_.draft)}}));
}

void Session::restore_press_read() {
  press_saved_.reset();
  if (model_.game_id.empty() || token_.empty()) return;
  const std::string who = press_reader(model_, token_);
  if (auto state = press_reads_.find(transport_.address(), who)) {
    apply_read_state(*state, model_.press);
    press_saved_ = std::move(state);
  }
  remember_press_read();
}

void Session::remember_press_read() {
  // While catching up, messages are not yet marked from the file.
  if (model_.quiet || model_.game_id.empty() || model_.role == Role::None || token_.empty()) return;
  PressReadState state = read_state_of(model_.press);
  if (state.seen == 0 || state == press_saved_) return;
  const std::string who = press_reader(model_, token_);
  if (auto why = press_reads_.save(transport_.address(), who, state); why && !press_note_shown_) {
    press_note_shown_ = true;
    emit(Output::note("Cannot keep which press you have read (" + *why +
                      "); after a restart read messages show as unread."));
  }
  press_saved_ = std::move(state);
}

// --- Running commands ---------------------------------------------------------

bool Session::fail(std::string text) {
  emit(Output::error_text(std::move(text)));
  return false;
}

bool Session::ok(std::string text, nlohmann::json json) {
  emit(Output{std::move(text), std::move(json), false});
  return true;
}

bool Session::run_line(std::string_view line) {
  for (const std::string& command : split_commands(line, takes_rest_of_line)) {
    if (!run_command(command)) return false;
    if (quit_) break;
  }
  return true;
}

std::optional<std::string> Session::check_needs(int needs) const {
  const Role role = model_.role;
  switch (static_cast<Needs>(needs)) {
    case Needs::Nothing:
    case Needs::Key:
      return std::nullopt;
    case Needs::Game:
      if (role == Role::None) return "join a game first ('join TOKEN', or connect with --token)";
      return std::nullopt;
    case Needs::Seat:
      if (role == Role::Seat && model_.over()) {
        return "the game is over after round " + std::to_string(model_.round()) + "; no more orders";
      }
      if (role == Role::Seat) return std::nullopt;
      return role == Role::None ? "join a game with a seat's token first"
                                : std::string("only a seat gives orders; you are the ") + role_name(role);
    case Needs::Facilitator:
      if (role == Role::Facilitator) return std::nullopt;
      return role == Role::None ? "join a game with its facilitator token first (or 'create' one)"
                                : std::string("only the facilitator may do that; you are ") +
                                      (role == Role::Seat ? "the seat " + model_.seat : "an observer");
  }
  return std::nullopt;
}

bool Session::run_command(std::string_view command) {
  // A message is the rest of the command as typed; other commands are words.
  auto head = split_words_then_text(command, 1);
  const auto* first = std::get_if<std::vector<std::string>>(&head);
  const CommandSpec* texted = first != nullptr && !first->empty() ? find_command(first->front()) : nullptr;
  const auto before_text = texted != nullptr ? words_before_text(*texted) : std::nullopt;
  auto split = before_text ? split_words_then_text(command, 1 + *before_text) : split_words(command);
  if (auto* why = std::get_if<std::string>(&split)) return fail(*why + " in: " + std::string(command));
  auto words = std::get<std::vector<std::string>>(std::move(split));
  if (words.empty()) return true;
  interrupted_ = false;
  if (find_action(words[0]) != nullptr) {
    if (auto why = check_needs(static_cast<int>(Needs::Seat))) return fail(words[0] + ": " + *why);
    return add_order(words);
  }
  const CommandSpec* spec = find_command(words[0]);
  if (spec == nullptr) {
    std::vector<std::string> names = command_names();
    for (auto& a : action_names(nullptr)) names.push_back(a);
    const std::string hint = did_you_mean(words[0], names);
    return fail("unknown command '" + words[0] + "'" + (hint.empty() ? " (type 'help' for the list)" : hint));
  }
  if (auto why = check_needs(static_cast<int>(spec->needs))) return fail(std::string(spec->name) + ": " + *why);
  for (const auto& [name, handler] : handlers()) {
    if (name == spec->name) {
      words.erase(words.begin());
      return (this->*handler)(words);
    }
  }
  return fail("command '" + std::string(spec->name) + "' has no handler");
}

CompletionContext Session::completion_context() const {
  CompletionContext ctx;
  ctx.model = &model_;
  for (const GameTokens& g : tokens_.games(transport_.address())) ctx.games.push_back(g.game_id);
  return ctx;
}

void Session::await_summary(std::uint64_t before) {
  // The server pushes a summary after every change it makes (before or
  // after the Ack, which waits for the store); take it in before the next
  // command, so 'bot cn; seats' shows cn as a bot.
  const auto give_up = Clock::now() + std::chrono::seconds(2);
  while (model_.game_updates == before && connected_ && Clock::now() < give_up) {
    if (auto e = transport_.next_event(milliseconds(100))) handle(std::move(*e));
  }
}

bool Session::wait_until(const std::function<bool()>& done, const std::string& what, std::chrono::seconds timeout) {
  const auto give_up = Clock::now() + timeout;
  while (!done()) {
    if (interrupted_) return fail("stopped waiting for " + what);
    if (!removed_.empty()) return fail(removed_);
    if (fatal_) return fail("the connection is gone; no " + what + " will come");
    if (Clock::now() >= give_up) {
      return fail("gave up waiting for " + what + " after " + std::to_string(timeout.count()) + " s");
    }
    pump(milliseconds(200));
  }
  return true;
}

}  // namespace leadtime::cli
