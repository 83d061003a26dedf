#pragma once

// A Lua state for untrusted scripts (scenario files now, player bots later).
//
// Scripts get the base, string, table, math, utf8 and coroutine libraries
// and nothing that reaches the outside world: no io, os, debug, package,
// require, dofile, loadfile or string.dump. `load` only accepts text chunks.
// Four limits make a hostile or buggy script harmless to the host:
//   - memory: an allocator that refuses to grow past a cap, so Lua raises
//     "not enough memory" inside the script instead of the host running out;
//   - instructions: a budget shared by every coroutine, enforced by a
//     count hook that, once the budget is spent, fails every Lua instruction
//     until control is back with the host (so pcall cannot swallow it);
//   - time, the last line of defence: a call that uses more CPU time than
//     its limit (10 s by default) fails the same unswallowable way. Single
//     instructions that do long C work (comparing two long strings) can slip
//     past the budget; the count hook, charge() and table.sort's comparisons
//     check the clock. A call it stopped is not reproducible, so the error
//     says so and the sandbox counts it (time_limit_trips) for the results;
//   - randomness: math.random draws from the sandbox's own seeded Rng, so a
//     script replays identically, and scripts cannot reseed it.
// Errors come back as values (LuaError), never as exceptions or panics.
//
// C library functions run between hook calls, where the budget cannot see
// them. Those whose work the memory cap does not bound either are guarded:
// backtracking patterns are refused past a size, string.rep of nothing
// returns at once, table.move/insert/remove pay for the slots they touch
// out of the budget, and table.sort (our own stable merge sort, see
// sandbox_guards.cpp) pays one step per element per merge pass up front
// (tests/lua/sandbox_escape_test.cpp lists the escapes).
//
// Iteration order. Lua seeds its string hash per state from time() and
// addresses, so stock `next` (and stock pairs, which hands out next) visits
// string keys in a different order on every run. The sandbox's `pairs(t)`
// (engine/lua/sandbox_pairs.cpp) instead snapshots t's keys when called and
// visits, on every run, process and thread count:
//   1. the list part: 1, 2, 3, ... up to the first missing integer key;
//   2. every other number, ascending (integers and floats compared exactly,
//      an integer before an equal float), then strings, byte-wise (a prefix
//      first), then false, then true;
//   3. then keys of other types (tables, functions, coroutines, userdata) in
//      `next` order, which depends on addresses: only tables keyed by
//      numbers, strings and booleans iterate deterministically.
// Values are read raw when their key's turn comes: a key removed during the
// loop is skipped, a key added is not visited. A `__pairs` metamethod is
// called as in stock Lua. The snapshot pays one budget step per key walked
// and one per key (and per 256 bytes of string keys) per sort pass.
// What remains order-dependent: `next` is stock (a deterministic next would
// cost a search per call), so `next(t)` as "any key" or `for k in next, t`
// differs between runs (`next(t) == nil` as an emptiness test is fine); and
// `#t` of a table with holes is any border, which can depend on the layout.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/rng.h"

struct lua_State;

namespace leadtime::lua {

namespace detail {
struct SandboxControl;  // limits, budget and Rng the Lua callbacks reach through the allocator
}

enum class ErrorKind : std::uint8_t {
  Syntax,     // the chunk did not compile (or was not text)
  Runtime,    // the script raised an error
  Budget,     // the instruction budget ran out
  TimeLimit,  // the call used its CPU time: the last line of defence, not reproducible
  Memory,     // an allocation would have passed the memory cap
};

struct LuaError {
  ErrorKind kind = ErrorKind::Runtime;
  std::string message;
};

// Empty when the call succeeded.
using CallResult = std::optional<LuaError>;

inline constexpr std::string_view kBudgetMessage = "instruction budget exceeded";
// The start of a TimeLimit error's message, which goes on to give the limit.
inline constexpr std::string_view kTimeLimitMessage = "time limit exceeded";

// Stands for LUA_MULTRET without pulling lua.h into every includer.
inline constexpr int kAllResults = -1;

class Sandbox {
 public:
  static constexpr std::size_t kDefaultMemoryCap = std::size_t{32} << 20U;
  static constexpr std::uint64_t kDefaultBudget = 10'000'000;
  // Generous: the budget decides ordinary cases; this only stops what slips
  // past it (a bot's 2 million instructions are about 10 ms).
  static constexpr std::chrono::milliseconds kDefaultTimeLimit{10'000};
  // Text print() keeps for the host; the rest of a chatty script's output is dropped.
  static constexpr std::size_t kOutputCap = std::size_t{64} << 10U;

  // Throws std::bad_alloc only if the process itself is out of memory.
  explicit Sandbox(std::size_t memory_cap = kDefaultMemoryCap);
  ~Sandbox();
  Sandbox(Sandbox&& other) noexcept;
  Sandbox& operator=(Sandbox&& other) noexcept;
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // The raw state, for the scenario loader and the bot runtime. Run Lua code
  // only through call()/run_chunk() so the budget applies, and read tables
  // with raw accessors so scripts' metamethods never run on the host's turn.
  [[nodiscard]] lua_State* L() const { return L_; }

  // Restarts math.random's sequence.
  void seed(std::uint64_t seed);
  // Whether a script drew from math.random since the last seed().
  [[nodiscard]] bool drew_random() const;

  // Refills the instruction budget. The budget is a pool that every call()
  // draws from until the next refill; once spent, call() fails at once.
  void set_budget(std::uint64_t instructions);
  [[nodiscard]] std::uint64_t budget_left() const;
  [[nodiscard]] bool budget_exhausted() const;

  // CPU time of the calling thread each outermost call() may use. Unlike the
  // budget it is not a pool: every call starts afresh, and one that ran out
  // of time leaves the sandbox usable for the next.
  void set_time_limit(std::chrono::milliseconds limit);
  [[nodiscard]] std::chrono::milliseconds time_limit() const;
  // Whether the last call was stopped by the time limit, and how many calls
  // have been over the sandbox's life: a host marks its results with these.
  [[nodiscard]] bool time_limited() const;
  [[nodiscard]] std::uint64_t time_limit_trips() const;

  void set_memory_cap(std::size_t bytes);
  [[nodiscard]] std::size_t memory_cap() const;
  [[nodiscard]] std::size_t memory_used() const;

  // Compiles text-only `source` and pushes the function. `chunkname` is shown
  // in messages as "chunkname:line:".
  CallResult load(std::string_view source, std::string_view chunkname);

  // Calls the function below the `nargs` arguments on top of the stack, like
  // lua_pcall, under the budget. On success the results are on the stack; on
  // failure the function and arguments are gone and nothing is left behind.
  // A budget overrun or a time-out is a failure even if the script caught it
  // and returned.
  CallResult call(int nargs, int nresults);

  // load() then call() with no arguments.
  CallResult run_chunk(std::string_view source, std::string_view chunkname, int nresults = kAllResults);

  // What the script printed since the last take, up to kOutputCap bytes.
  std::string take_output();

  // Starting over without loading again. snapshot() remembers the sandbox
  // as it is now: every byte of its Lua state (the arena it lives in,
  // engine/lua/sandbox_arena.h) with the limits' counters and the generator.
  // restore() puts all of it back at the same addresses, so the state is the
  // one snapshot() saw, not a copy rebuilt by running code: whatever a
  // script did after the snapshot (globals, upvalues, tables, coroutines,
  // garbage, the collector's pace) is gone, and a script started from it
  // runs exactly as it would have then. What was printed is dropped.
  // snapshot() fails (false, and no snapshot) while the state holds blocks
  // too big for the arena; a host then loads afresh instead. Neither may be
  // called while a call() runs. A sandbox keeps up to kSnapshotSlots
  // snapshots, one per slot (a bot keeps one from right after compiling and
  // one from after its start), and can go back to any.
  static constexpr int kSnapshotSlots = 2;
  bool snapshot(int slot = 0);
  [[nodiscard]] bool has_snapshot(int slot = 0) const;
  void restore(int slot = 0);
  void drop_snapshot(int slot);
  // Bytes restore(slot) copies back (0 without a snapshot).
  [[nodiscard]] std::size_t snapshot_bytes(int slot = 0) const;

 private:
  // On the heap so Lua's pointer to it survives moves of the Sandbox.
  std::unique_ptr<detail::SandboxControl> control_;
  lua_State* L_ = nullptr;
};

}  // namespace leadtime::lua
