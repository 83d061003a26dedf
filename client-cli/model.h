#pragma once

// What the client knows about its game, built only from what the server
// sent: who it is, the seat's latest view, the history of public indicators,
// events, press, the game's summary and the draft. Socket-free: the session
// feeds it verified envelopes and shows the outputs it returns.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "client-cli/draft.h"
#include "client-cli/model_types.h"
#include "client-cli/output.h"
#include "engine/views.h"
#include "protocol/leadtime_generated.h"
#include "protocol/scenario_info.h"

namespace leadtime::cli {

class ClientModel {
 public:
  // A pushed message (request id 0, or a reply nobody waits for): updates
  // the model and says what a person (or --json) should see.
  std::vector<Output> apply_push(const wire::Envelope& envelope, SteadyTime now);

  // Replies the session asked for.
  void apply_joined(const wire::Joined& joined);
  void forget_game();  // before joining another game

  // Identity.
  Role role = Role::None;
  std::string game_id;
  std::string seat;  // actor id of a seat
  std::string server_version;

  // The seat's (or observer's) latest view, and a State with just the actors
  // (ids, kinds and blocs in scenario order) for the engine's order checks,
  // completion and client-side bots.
  std::optional<View> view;
  State actors;

  std::map<int, RoundInfo> rounds;  // by round; 0 = before the first round
  std::map<int, double> cash_by_round;
  std::map<int, double> score_by_round;
  std::vector<PressItem> press;
  std::optional<GameInfo> game;
  std::uint64_t game_updates = 0;  // summaries received
  std::optional<FacilitatorInfo> facilitator;
  std::optional<GameEndInfo> ended;
  std::vector<std::string> server_errors;  // pushed errors (request id 0)

  // A seat's own briefing and objectives, as Joined brought them; the
  // scenario's seats, events and catalogue once asked for (ScenarioInfo).
  std::string briefing;
  std::vector<protocol::ObjectiveDetails> objectives;
  std::string scenario_name;
  std::optional<protocol::ScenarioDetails> scenario;

  Draft draft;
  int draft_round = -1;  // the round the draft is for
  bool ready = false;

  // Rounds resolved as the server last said, and the newest press seen
  // (what a rejoin asks to be sent after).
  std::uint64_t last_press_seq = 0;
  int last_round = 0;

  // While catching up after a join, rounds and press are recorded without
  // a notice each (the session sums them up once).
  bool quiet = false;
  // Notices may suggest commands to type: false when a bot or an agent
  // plays the seat and nobody types.
  bool command_hints = true;

  // Derived.
  [[nodiscard]] const Actor* self() const;
  [[nodiscard]] int round() const;          // rounds resolved so far
  [[nodiscard]] int total_rounds() const;   // 0 when unknown
  [[nodiscard]] std::string phase() const;  // "" when unknown
  [[nodiscard]] bool over() const;
  [[nodiscard]] std::size_t unread() const;
  // Seat ids in scenario order, from whatever the client has seen.
  [[nodiscard]] std::vector<std::string> seat_ids() const;

 private:
  std::vector<Output> on_view(const wire::ViewMsg& msg);
  std::vector<Output> on_round_result(const wire::RoundResult& msg);
  std::vector<Output> on_press(const wire::Press& msg);
  std::vector<Output> on_game(const wire::GameSummary& msg, SteadyTime now);
  std::vector<Output> on_facilitator_view(const wire::FacilitatorView& msg);
  std::vector<Output> on_game_ended(const wire::GameEnded& msg);
  void start_round(int round);
  // Keeps last_round with the server's current round; a lower one is a
  // rollback, and the rounds after it leave the history.
  std::vector<Output> follow_round(int current);

  // What Joined said the seat holds for the open round, taken as the draft
  // when the view that follows says which round that is.
  void settle_joined(int round);
  bool joined_orders_pending_ = false;
  std::vector<OrderDraft> joined_orders_;
  bool joined_ready_ = false;
};

// The actors of a view in index order (the viewer's own and the estimates of
// the others): enough State for validate_orders() and a bot's actor ids.
State actors_from_view(const View& view);
State actors_from_list(const std::vector<Actor>& actors);

}  // namespace leadtime::cli
