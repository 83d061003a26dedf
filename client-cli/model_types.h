#pragma once

// Plain values the client keeps about its game, read from wire messages once
// they are verified; rendering (text and JSON) and the command handlers read
// these, never FlatBuffers.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/orders.h"
#include "engine/state.h"
#include "engine/views.h"

namespace leadtime::cli {

using SteadyTime = std::chrono::steady_clock::time_point;

enum class Role { None, Seat, Observer, Facilitator };
const char* role_name(Role role);

struct SeatInfo {
  std::string seat;
  bool bot = false;
  std::string bot_path;
  int connected = 0;
  bool submitted = false;
  bool ready = false;
};

// GameSummary: pushed on every change, and one item of GameList.
struct GameInfo {
  std::string game_id;
  std::string scenario;
  int round = 0;
  int rounds = 0;
  std::string phase;  // lobby, orders, resolving, paused, finished
  std::vector<std::string> open_seats;
  std::vector<SeatInfo> seats;
  std::uint32_t seconds_left = 0;
  std::string quarter;
  std::uint64_t seed = 0;
  SteadyTime received{};  // when seconds_left was true

  // Seconds before the deadline now, counting down from the push.
  [[nodiscard]] std::int64_t seconds_left_at(SteadyTime now) const;
  // The server has no deadline when it is set years away.
  [[nodiscard]] bool has_deadline() const { return seconds_left < 30u * 24 * 3600; }
};

struct PressItem {
  std::uint64_t seq = 0;
  std::string from;             // actor id; empty: the facilitator
  std::vector<std::string> to;  // empty: public
  std::string text;
  int round = 0;  // rounds resolved when it arrived
  bool read = false;
};

// One round's public figures and the events this client may see.
struct RoundInfo {
  int round = 0;  // 0: the state before the first round
  std::string quarter;
  std::uint64_t hash = 0;
  PublicIndicators indicators;
  std::vector<Event> events;
  bool from_result = false;  // a RoundResult (not only a view) was seen
};

struct SeatOrdersInfo {
  std::string seat;
  bool bot = false;
  std::string member;
  std::vector<OrderDraft> orders;
};

// The facilitator's whole-state view.
struct FacilitatorInfo {
  int round = 0;
  std::string quarter;
  std::vector<Actor> actors;
  PublicIndicators indicators;
  std::vector<Event> events;
  std::vector<SeatOrdersInfo> orders;  // the last resolved round's, bots' included
  std::vector<double> scores;
  std::vector<SeatOrdersInfo> submitted;  // the open round's so far (a server that sends them)
};

struct SeatScore {
  std::string seat;
  double score = 0;
};

struct GameEndInfo {
  std::string reason;
  std::vector<SeatScore> scores;
};

struct Rejection;  // draft.h

// OrdersAccepted, in plain values.
struct SubmitResult {
  std::uint32_t accepted = 0;
  struct Item {
    int index = -1;
    std::string action;
    std::string param;
    std::string message;
  };
  std::vector<Item> rejected;
};

}  // namespace leadtime::cli
