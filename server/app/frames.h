#pragma once

// The frames the server sends, each built in one place from the game's own
// types. Every function returns a complete frame (length prefix included).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/leadtime_generated.h"
#include "server/app/participant.h"
#include "server/game_names.h"

namespace leadtime::server::app {

// "unknown seat 'x' (seats: us, cn, ...)": the NotFound text for a seat id.
std::string unknown_seat_text(const State& state, std::string_view seat);
// The wire's code for a game's refusal.
wire::ErrorCode error_code(RefusalCode code);
// An Error frame for a game's refusal, its text after `prefix` (e.g. "Pause: ").
Frame refusal_frame(std::uint32_t request_id, const Refusal& refusal, std::string_view prefix = {});
Frame error_frame(std::uint32_t request_id, wire::ErrorCode code, std::string_view text);
Frame ack_frame(std::uint32_t request_id);
Frame view_frame(const View& view);
Frame press_frame(const Message& message, const State& state);
// A round's result with only the events `who` may see (the facilitator
// all), naming their actors by `ids` (protocol::actor_ids()).
Frame round_result_frame(const RoundRecord& record, const Identity& who, std::span<const std::string> ids);
// What `who` sees of the game now: a seat's or observer's view, or the
// facilitator's whole view.
Frame current_view_frame(const Game& game, const Identity& who);
Frame joined_frame(std::uint32_t request_id, const Game& game, const Identity& who);

// Per seat: how many clients are joined to it now.
struct Attendance {
  std::vector<int> connected;
};

// What a game's status line says: the ListGames entry and the GameSummary
// push carry it.
struct Summary {
  std::string game_id;
  std::string scenario;
  std::vector<std::string> seat_ids;
  GameStatus status;
  Attendance attendance;
  std::string quarter;
  std::uint64_t seed = 0;
};
Summary summarize(const Game& game, const Attendance& attendance, TimePoint now);
flatbuffers::Offset<wire::GameSummary> build_summary(flatbuffers::FlatBufferBuilder& fbb, const Summary& summary);
Frame summary_frame(const Game& game, const Attendance& attendance, TimePoint now);
// Everything, exactly: every actor, the last round's events and what every
// seat (bots too) played in it, and the open round's submissions so far.
Frame facilitator_view_frame(const Game& game);
Frame game_ended_frame(const Game& game, std::string_view reason);

}  // namespace leadtime::server::app
