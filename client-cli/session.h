#pragma once

// The client's core: runs commands against the server and keeps the model up
// to date with what the server pushes. It talks to a Transport (the Asio
// connection, or a fake in unit tests) and shows everything through a Sink,
// so the same session drives the interactive terminal, --exec and --file
// scripts, Lua bots and external agents.
#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "client-cli/completion.h"
#include "client-cli/create_options.h"
#include "client-cli/model.h"
#include "client-cli/output.h"
#include "client-cli/press_read.h"
#include "client-cli/token_store.h"
#include "client-cli/transport.h"
#include "protocol/convert.h"

namespace leadtime::cli {

// Who gives the commands: a person (typing, or a script written by one), or
// a bot or an agent playing the seat (autoplay.h). Notices suggest commands
// to type only to a person.
enum class Driver { Person, Bot, Agent };

struct SessionOptions {
  std::string token;  // joined by open() when set
  std::string member = "player";
  std::string facilitator_key;
  std::string tokens_file;  // empty: TokenStore::default_path(); press_read.json goes beside it
  std::string web_url;      // the browser pages for handouts' links; empty: what the server's Welcome says
  Driver driver = Driver::Person;
  std::chrono::milliseconds request_timeout{10000};
  std::chrono::seconds wait_timeout{3600};
  TlsOptions tls;  // the connection's, for handouts' join command and the report's own connection
};

class Session {
 public:
  Session(Transport& transport, SessionOptions options, Sink& sink);

  // Waits for the connection and joins when a token was given; false (with
  // the reason shown) when either fails.
  bool open();
  // Runs every ';'-separated command of a line, stopping at the first that
  // fails; false if one did (its error was shown).
  bool run_line(std::string_view line);
  bool run_command(std::string_view command);
  // Handles whatever the server sent, waiting up to `wait` for the first.
  void pump(std::chrono::milliseconds wait);
  // Stops a running `wait` (Ctrl-C); safe from a signal handler.
  void interrupt() { interrupted_ = true; }

  [[nodiscard]] ClientModel& model() { return model_; }
  [[nodiscard]] const ClientModel& model() const { return model_; }
  [[nodiscard]] bool quit_requested() const { return quit_; }
  [[nodiscard]] bool connected() const { return connected_; }
  // The connection is gone and will not come back, or the facilitator
  // removed this client from its seat.
  [[nodiscard]] bool lost() const { return fatal_ || !removed_.empty(); }
  [[nodiscard]] bool connection_gone() const { return fatal_; }
  [[nodiscard]] CompletionContext completion_context() const;
  [[nodiscard]] Transport& transport() { return transport_; }

  // The requests behind commands, for bots and agents too. Each shows its
  // outcome and returns false on failure (rejected orders count).
  bool join(const std::string& token);
  // The server's verdict on a set of orders, or nullopt (error shown).
  std::optional<SubmitResult> request_submit(const std::vector<OrderDraft>& orders);
  bool submit_orders(std::vector<OrderDraft> orders, SubmitResult* result = nullptr);
  bool set_ready(bool ready);
  bool send_press(std::vector<std::string> to, const std::string& text);
  // The joined game as a save file (the facilitator's Export), or why not.
  std::variant<std::vector<std::uint8_t>, std::string> request_save();

  // A reply to a request: the frame and its verified envelope, or why none came.
  struct Reply {
    std::vector<std::uint8_t> frame;
    const wire::Envelope* envelope = nullptr;
    std::string problem;
    explicit operator bool() const { return envelope != nullptr; }
  };

 private:
  using Handler = bool (Session::*)(const std::vector<std::string>& args);
  static const std::vector<std::pair<std::string_view, Handler>>& handlers();

  template <typename T>
  Reply call(flatbuffers::FlatBufferBuilder& fbb, flatbuffers::Offset<T> message) {
    const std::uint32_t id = next_request_++;
    return call_frame(id, protocol::frame_message(fbb, id, message));
  }
  Reply call_frame(std::uint32_t id, std::vector<std::uint8_t> frame);
  // The failure of a reply that should have been `expected`, as a sentence;
  // nullopt when it is the expected message.
  std::optional<std::string> failure(const Reply& reply, wire::Message expected) const;

  void handle(NetEvent event);
  void handle_frame(std::vector<std::uint8_t> frame);
  void on_connected(const std::string& version);
  void on_disconnected(const NetEvent& event);
  void send_rejoin();
  void on_rejoined(const wire::Envelope& envelope);
  void catch_up();
  void emit(const Output& output) { sink_.emit(output); }
  bool fail(std::string text);
  bool ok(std::string text, nlohmann::json json);
  std::optional<std::string> check_needs(int needs) const;
  bool facilitate(wire::Command command, std::string_view name, std::string what, std::uint32_t seconds = 0,
                  std::string seat = {}, std::string event = {}, std::string bot_path = {}, int round = 0,
                  const NamedArgs& args = {});
  // Waits briefly for a summary newer than the `before`-th.
  void await_summary(std::uint64_t before);
  bool save_created(const wire::GameCreated& created, std::string_view what);
  // The press read before (press_read.h), once a join has caught up; and
  // keeping it when it changes.
  void restore_press_read();
  void remember_press_read();
  bool wait_until(const std::function<bool()>& done, const std::string& what, std::chrono::seconds timeout);

  // Commands (session_commands.cpp).
  bool cmd_help(const std::vector<std::string>& args);
  bool cmd_status(const std::vector<std::string>& args);
  bool cmd_events(const std::vector<std::string>& args);
  bool cmd_wait(const std::vector<std::string>& args);
  bool cmd_join(const std::vector<std::string>& args);
  bool cmd_quit(const std::vector<std::string>& args);
  bool cmd_actions(const std::vector<std::string>& args);
  bool cmd_order(const std::vector<std::string>& args);
  bool cmd_draft(const std::vector<std::string>& args);
  bool cmd_edit(const std::vector<std::string>& args);
  bool cmd_remove(const std::vector<std::string>& args);
  bool cmd_clear(const std::vector<std::string>& args);
  bool cmd_submit(const std::vector<std::string>& args);
  bool cmd_ready(const std::vector<std::string>& args);
  bool cmd_unready(const std::vector<std::string>& args);
  bool cmd_send(const std::vector<std::string>& args);
  bool cmd_say(const std::vector<std::string>& args);
  bool cmd_inbox(const std::vector<std::string>& args);
  bool cmd_create(const std::vector<std::string>& args);
  bool cmd_games(const std::vector<std::string>& args);
  bool cmd_seats(const std::vector<std::string>& args);
  bool cmd_tokens(const std::vector<std::string>& args);
  bool cmd_start(const std::vector<std::string>& args);
  bool cmd_pause(const std::vector<std::string>& args);
  bool cmd_resume(const std::vector<std::string>& args);
  bool cmd_extend(const std::vector<std::string>& args);
  bool cmd_shorten(const std::vector<std::string>& args);
  bool cmd_force(const std::vector<std::string>& args);
  bool cmd_inject(const std::vector<std::string>& args);
  bool cmd_bot(const std::vector<std::string>& args);
  bool cmd_person(const std::vector<std::string>& args);
  bool cmd_kick(const std::vector<std::string>& args);
  bool cmd_end(const std::vector<std::string>& args);
  bool cmd_export(const std::vector<std::string>& args);
  bool cmd_branch(const std::vector<std::string>& args);
  bool cmd_rollback(const std::vector<std::string>& args);
  bool cmd_report(const std::vector<std::string>& args);  // session_report.cpp
  // The scenario's side and the facilitator's look at seats (session_kit.cpp).
  bool cmd_briefing(const std::vector<std::string>& args);
  bool cmd_objectives(const std::vector<std::string>& args);
  bool cmd_orders(const std::vector<std::string>& args);
  bool cmd_seat(const std::vector<std::string>& args);

  // Asks the server for the scenario (ScenarioInfo: the joined game's when
  // `path` is empty) and keeps it in the model; why not, when it could not.
  std::optional<std::string> fetch_scenario(const std::string& path = {});
  // The scenario as the model has it, fetched once if it is not there yet.
  const protocol::ScenarioDetails* scenario_details(std::string& why);
  bool show_scenario_events();
  Reply request_create(const CreateOptions& options);
  // The scenario of a game just created, for its handouts: the joined
  // game's when this client is in it, else by path (before a Join, "" is
  // the server's default); nullopt, saying why in `why`, when not known.
  std::optional<protocol::ScenarioDetails> new_game_scenario(const std::string& game_id, const std::string& path,
                                                             std::string& why);
  // A token file and a printable handout per person seat of a new game;
  // without the scenario (`why` says why not) they have no briefings.
  void write_game_handouts(const wire::GameCreated& created, const protocol::ScenarioDetails* scenario,
                           const std::string& why, const HandoutPlace& place);
  // Seat names the model knows: the facilitator's, with a hint.
  std::optional<std::string> check_seat(std::string_view command, const std::string& seat) const;

  // An order typed as ACTION VALUES...: checked, then added to the draft.
  bool add_order(const std::vector<std::string>& words);

  Transport& transport_;
  SessionOptions options_;
  Sink& sink_;
  TokenStore tokens_;
  PressReadStore press_reads_;
  std::optional<PressReadState> press_saved_;  // what the file holds for this game
  bool press_note_shown_ = false;
  ClientModel model_;
  std::string token_;               // the token joined with, for rejoining
  std::uint32_t next_request_ = 2;  // 1 is the connection's Hello
  std::uint32_t awaited_ = 0;
  std::optional<Reply> awaited_reply_;
  bool awaited_lost_ = false;
  std::uint32_t rejoin_id_ = 0;
  bool connected_ = false;
  bool ever_connected_ = false;
  bool fatal_ = false;
  bool switching_ = false;  // a reconnect asked for by join(), not a loss
  std::uint64_t connections_ = 0;
  std::string fatal_reason_;
  bool quit_ = false;
  int ready_round_ = -1;          // rounds resolved when this seat last said ready
  std::string scenario_refused_;  // the server's answer to ScenarioInfo, when it would not give it
  std::string server_web_url_;    // Welcome.web_url: the server's browser pages, "" when none
  std::string removed_;           // why the server put this client out of its seat
  std::atomic<bool> interrupted_{false};
};

// "90", "90s", "5m", "1h" in seconds; nullopt if it is none of those.
std::optional<std::uint32_t> parse_seconds(std::string_view text);

}  // namespace leadtime::cli
