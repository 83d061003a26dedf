#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/lua/lua_view.h"
#include "engine/lua/sandbox.h"
#include "engine/orders.h"
#include "engine/scenario.h"
#include "engine/views.h"

namespace leadtime::lua {

// A number a sweep or an experiments table gives a bot. The bot reads it
// with param(name, default), which returns the default when no value was
// given, so the same file plays alone and in sweeps (batch/sweep_params.h).
struct BotParam {
  std::string name;
  double value = 0;
};
using BotParams = std::vector<BotParam>;

// Limits of one bot. The budget is counted in Lua VM instructions, so a
// match stops a runaway bot at the same point on every run; the default is
// roughly 10 ms of plain Lua on this project's reference machine.
struct BotLimits {
  BotLimits() = default;
  constexpr BotLimits(std::uint64_t instructions, std::size_t memory)
      : instructions_per_call(instructions), memory_cap(memory) {}

  std::uint64_t instructions_per_call = 2'000'000;
  std::size_t memory_cap = Sandbox::kDefaultMemoryCap;
  // CPU time per call, the last line of defence behind the budget (see
  // sandbox.h): a call it stops makes the match not reproducible.
  std::chrono::milliseconds time_limit_per_call = Sandbox::kDefaultTimeLimit;
  // Parameter values per seat (actor index; seats past the end get none).
  // They travel with the limits because these are the one per-match setting
  // every runner hands each bot it loads. A value the bot never asks for
  // with param() fails the load, so a misspelt sweep parameter is an error.
  std::vector<BotParams> seat_params;
};

// Which file a bot was compiled from, as the file system saw it (device,
// inode, size, modification and change times) when it was read.
struct SourceStamp {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::uint64_t size = 0;
  std::int64_t modified_ns = 0;
  std::int64_t changed_ns = 0;
  std::int64_t read_ns = 0;  // when it was read (wall clock); not part of the identity
  friend bool operator==(const SourceStamp& a, const SourceStamp& b) {
    return a.device == b.device && a.inode == b.inode && a.size == b.size && a.modified_ns == b.modified_ns &&
           a.changed_ns == b.changed_ns;
  }
};

// What init(info) is told: the seat and who is at the table.
struct SeatInfo {
  struct Member {
    std::string id;
    const char* kind = "";  // kActorKindNames and kBlocNames: compared by address
    const char* bloc = "";
    friend bool operator==(const Member&, const Member&) = default;
  };
  int seat = 0;  // index into actors
  std::string scenario;
  int rounds = 0;
  std::string start;
  std::vector<Member> actors;

  static SeatInfo of(const Scenario& scenario, int actor);
  friend bool operator==(const SeatInfo&, const SeatInfo&) = default;
};

// Everything a bot's start (running its file, then init) reads except the
// match's seed: two starts with equal inputs that draw no random number
// leave the same Lua state. Parameter values as their bits, so that -0.0
// and 0.0 differ, as a bot could tell them apart.
struct StartInputs {
  SeatInfo info;
  std::vector<std::pair<std::string, std::uint64_t>> params;
  std::uint64_t instructions_per_call = 0;
  std::int64_t time_limit_ms = 0;

  static StartInputs of(const Scenario& scenario, int actor, const BotLimits& limits);
  friend bool operator==(const StartInputs&, const StartInputs&) = default;
};

// A Lua bot playing one seat: a file that defines decide(view) returning a
// list of orders, and optionally init(info) and on_result(result). Each bot
// has its own sandbox, so bots never see each other's globals or strings.
class Bot {
 public:
  // Whether a bot keeps what restart() needs: a copy of its sandbox right
  // after compiling (some tens of KiB), worth it where one thread plays
  // match after match.
  enum class Restart : std::uint8_t { No, Offer };

  // Loads the file and runs init; an error names the file and what failed.
  static std::variant<Bot, std::string> load(const std::string& path, const Scenario& scenario, int actor,
                                             std::uint64_t match_seed, BotLimits limits = {},
                                             Restart restart = Restart::No);

  // Whether restart() can stand in for load(path, ..., limits): the bot was
  // loaded from `path` with Restart::Offer and the same memory cap, and the
  // file is unchanged since (the same file, size and times; and the same
  // text, read again, when it had been written moments before it was read).
  [[nodiscard]] bool can_restart(const std::string& path, const BotLimits& limits) const;
  // Starts the bot over for another match, as load() would but without
  // reading or compiling the file: its sandbox goes back to the snapshot
  // taken right after compiling (Sandbox::restore, the very same Lua state),
  // then the file runs and init is called as in load(), with this match's
  // seat, seed and limits. When the last start had the same inputs
  // (StartInputs) and drew no random number, the sandbox goes back instead
  // to a snapshot taken after that start, which is the state running them
  // again would leave, and only the generator is seeded anew. Nothing of the earlier match is left, so a match
  // played after restart() plays as one after load() (tests/lua/
  // bot_restart_test.cpp). An error is worded as load()'s; the bot may be
  // restarted again after one. Requires can_restart(path(), limits).
  std::optional<std::string> restart(const Scenario& scenario, int actor, std::uint64_t match_seed, BotLimits limits);

  // The orders the bot gives for this view, or why it gave none (error,
  // budget, memory, or a return value that is not a list of orders).
  std::variant<std::vector<OrderDraft>, std::string> decide(const View& view, const State& state);
  // The same for a view built as the bot reads it (what runners use).
  std::variant<std::vector<OrderDraft>, std::string> decide(ViewParts& view);

  // Tells the bot how the round went; a failure here is reported the same way.
  std::optional<std::string> on_result(const View& view, const State& state);
  std::optional<std::string> on_result(ViewParts& view);

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::size_t memory_used() const { return sandbox_.memory_used(); }
  // Bytes a restart() copies back into the sandbox (0 when it cannot restart).
  [[nodiscard]] std::size_t snapshot_bytes() const { return sandbox_.snapshot_bytes(); }
  // Whether the next restart() with these inputs skips running the file and init.
  [[nodiscard]] bool keeps_start(const StartInputs& inputs) const;
  [[nodiscard]] bool wants_results() const { return has_on_result_; }
  // Calls (init, decide, on_result) the time limit stopped so far.
  [[nodiscard]] std::uint64_t time_limit_trips() const { return sandbox_.time_limit_trips(); }

 private:
  Bot(Sandbox sandbox, std::string path, BotLimits limits);
  // Seeds, sets the parameters and limits, runs the compiled file and init.
  std::optional<std::string> start(const StartInputs& inputs, std::uint64_t match_seed);
  // Snapshots the state a start just left, for restart() to go back to.
  void keep_started(StartInputs inputs);
  static std::uint64_t bot_seed(std::uint64_t match_seed, int actor);
  std::optional<std::string> call_hook(int nargs, int nresults);
  void push_view_arg(ViewParts& view);

  Sandbox sandbox_;
  std::unique_ptr<ViewSlot> slot_ = std::make_unique<ViewSlot>();  // stable address for lazy views
  bool has_on_result_ = false;
  std::string path_;
  BotLimits limits_;
  SourceStamp stamp_;
  std::string source_;        // the text compiled, to compare when the stamp cannot tell
  StartInputs started_with_;  // what the started snapshot was started with
  bool started_has_on_result_ = false;
};

// One bot's turn as every runner plays it (the batch runner, the server): the
// orders the engine accepted, and a private "bot_fault" note for the seat
// about each failure or rejected order, which the round then carries.
struct BotTurn {
  std::vector<Order> orders;
  std::vector<Inject> notes;
  std::vector<std::string> faults;  // the notes' texts, for the runner's log
};

BotTurn take_turn(Bot& bot, const State& state, const Coefficients& coef, int seat);

// Tells the bot how the round just played went; a failure becomes a note for
// the next round (the round it concerns is already resolved).
std::optional<Inject> tell_result(Bot& bot, const State& after, const Coefficients& coef, int seat);

}  // namespace leadtime::lua
