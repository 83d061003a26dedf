#pragma once

// Every change to a game, typed: one enum of kinds and one struct per kind.
// The game makes them (game.h), replay applies them, and the journal's
// stored form (a kind name and a JSON payload, game/journal.cpp) is read and
// written in one place; everything else (store, report, branch, rollback)
// uses these structs.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/orders.h"

namespace leadtime::game {

using TimePoint = std::chrono::steady_clock::time_point;
using Seconds = std::chrono::seconds;

// The order of the kinds is the order of ChangeData's alternatives.
enum class ChangeKind : std::uint8_t {
  Started,
  Submitted,
  Ready,
  Resolving,
  Resolved,
  Paused,
  Resumed,
  DeadlineMoved,
  DeadlinePassed,
  Forced,
  Injected,
  Swapped,
  Kicked,
  Message,
  Ended,
  RolledBack,
  Recovered,
};

namespace change {

struct Started {};
// A seat's set of orders (the last one counts), already validated.
struct Submitted {
  std::string member;
  std::vector<Order> orders;
};
struct Ready {
  bool ready = false;
};
// The round is due and waits for its bots.
struct Resolving {};
// A note a round carried: a bot's fault for its seat, or an event the
// scenario's hooks fired (event_id set).
struct Note {
  std::string event_id;
  std::string kind;
  std::string text;
  std::vector<std::string> audience;  // actor ids
  bool operator==(const Note&) const = default;
};
struct Resolved {
  int round = 0;  // 1-based
  std::uint64_t hash = 0;
  std::vector<std::pair<int, std::vector<Order>>> bots;  // the orders of each bot seat, by seat
  std::vector<Note> notes;
};
struct Paused {};
struct Resumed {};
struct DeadlineMoved {
  Seconds by{0};  // negative: shortened
};
struct DeadlinePassed {};
struct Forced {};
struct Injected {
  std::string event_id;   // from the scenario's event table
  std::string custom_id;  // or a custom event's id (not replayable)
  std::string engine_id;  // or one of the engine's injects (engine/injects.h),
  NamedArgs args;         // with its arguments as the facilitator gave them
};
struct Swapped {
  bool to_bot = false;
  std::string bot_path;
};
struct Kicked {};
struct Message {
  std::vector<int> to;  // empty: public
  std::string text;
};
// By the facilitator, or after the last round (which follows from it).
struct Ended {};
// The last resolved round was taken back.
struct RolledBack {};
// The server restarted and the game went on from its record; its clock
// stood still for `downtime` (the deadline moved by as much).
struct Recovered {
  std::chrono::milliseconds downtime{0};
};

}  // namespace change

using ChangeData = std::variant<change::Started, change::Submitted, change::Ready, change::Resolving, change::Resolved,
                                change::Paused, change::Resumed, change::DeadlineMoved, change::DeadlinePassed,
                                change::Forced, change::Injected, change::Swapped, change::Kicked, change::Message,
                                change::Ended, change::RolledBack, change::Recovered>;

inline ChangeKind kind_of(const ChangeData& data) { return static_cast<ChangeKind>(data.index()); }
// The kind's name in the stored journal ("started", "deadline", ...).
std::string_view kind_name(ChangeKind kind);
std::optional<ChangeKind> kind_named(std::string_view name);

// Every accepted change, in order: the one place a store will record.
struct Change {
  std::uint64_t seq = 0;
  int seat = kNoActor;
  ChangeData data;
  // When: the time of the call that made it (calls without a time take the
  // last one seen).
  TimePoint at{};

  [[nodiscard]] ChangeKind kind() const { return kind_of(data); }
};

// Which event an inject fired: the scenario's, the engine's or a custom one.
std::string injected_id(const change::Injected& c);

// The change in a few words, for people reading a log.
std::string describe(const Change& change);

}  // namespace leadtime::game
