#pragma once

// The lobby's and a game's messages whose rules are the protocol's own:
// who plays each seat as CreateGame says it (both of its forms), what a
// client gets on Join, and the facilitator's whole view. Each takes plain
// values, so the server's side is one call and the rules are tested here.
#include <flatbuffers/flatbuffers.h>

#include <span>
#include <string>
#include <variant>
#include <vector>

#include "engine/match.h"
#include "engine/orders.h"
#include "engine/scenario.h"
#include "protocol/leadtime_generated.h"
#include "protocol/scenario_info.h"

namespace leadtime::protocol {

// --- CreateGame ---------------------------------------------------------------

// Who plays each seat: per actor, the bot's path (relative to the server's
// bot folder), or empty for a seat played by people.
struct SeatPlan {
  std::vector<std::string> bot_paths;
  bool operator==(const SeatPlan&) const = default;
};
struct SeatPlanError {
  wire::ErrorCode code = wire::ErrorCode::NotFound;
  std::string text;
};

// A SeatBot of CreateGame: a seat and its bot ("" or "none": no bot).
struct SeatBotChoice {
  std::string seat;
  std::string bot_path;
};

// CreateGame's seats read as leadtime.fbs describes them: with `people`,
// those seats are people's and every other seat a bot's (its SeatBot's or
// the scenario's); without (the old form), a SeatBot with no path makes a
// person seat. A seat the scenario gives no bot is a person seat either
// way. An unknown seat is NotFound naming the scenario's seats; a person
// seat that is also given a bot is BadMessage.
std::variant<SeatPlan, SeatPlanError> seat_plan(std::span<const std::string> people,
                                                std::span<const SeatBotChoice> bots, const Scenario& scenario);
std::variant<SeatPlan, SeatPlanError> seat_plan(const wire::CreateGame& message, const Scenario& scenario);
std::vector<SeatBotChoice> seat_bots(const wire::CreateGame& message);

// --- Join ---------------------------------------------------------------------

// The validated orders of a seat as drafts, for the wire.
std::vector<OrderDraft> drafts_of(const State& state, std::span<const Order> orders);

struct JoinedDetails {
  std::string game_id;
  std::string seat;  // actor id; empty for an observer or the facilitator
  wire::Role role = wire::Role::Observer;
  std::vector<OrderDraft> orders;  // the seat's orders in hand for the open round
  std::string orders_member;
  bool ready = false;
  int round = 0;  // rounds resolved so far
  // A seat's own: game::seat_briefing(scenario, seat) and
  // describe_objectives(scenario, seat).
  std::string briefing;
  std::vector<ObjectiveDetails> objectives;
  std::string scenario;  // its name
};
flatbuffers::Offset<wire::Joined> build_joined(flatbuffers::FlatBufferBuilder& fbb, const JoinedDetails& joined);

// --- The facilitator's view ---------------------------------------------------

struct SeatOrdersDetails {
  std::string seat;
  bool bot = false;
  std::string member;  // who of the team sent them; empty for a bot
  std::vector<OrderDraft> orders;
};

// Every actor exactly (its standing policy included), the events given
// (the last round's, all of them), what each seat played in the last round
// (`played`, bots' too) and what people have submitted for the open round
// (`submitted`). Events name their actors by `state`'s ids.
flatbuffers::Offset<wire::FacilitatorView> build_facilitator_view(flatbuffers::FlatBufferBuilder& fbb,
                                                                  const State& state,
                                                                  const PublicIndicators& indicators,
                                                                  std::span<const Event> events,
                                                                  std::span<const SeatOrdersDetails> played,
                                                                  std::span<const SeatOrdersDetails> submitted);

}  // namespace leadtime::protocol
