#pragma once

// A Lua state for untrusted scripts (scenario files now, player bots later).
//
// Scripts get the base, string, table, math, utf8 and coroutine libraries
// and nothing that reaches the outside world: no io, os, debug, package,
// require, dofile, loadfile or string.dump. `load` only accepts text chunks.
// Three limits make a hostile or buggy script harmless to the host:
//   - memory: an allocator that refuses to grow past a cap, so Lua raises
//     "not enough memory" inside the script instead of the host running out;
//   - time: an instruction budget shared by every coroutine, enforced by a
//     count hook that, once the budget is spent, fails every Lua instruction
//     until control is back with the host (so pcall cannot swallow it);
//   - randomness: math.random draws from the sandbox's own seeded Rng, so a
//     script replays identically, and scripts cannot reseed it.
// Errors come back as values (LuaError), never as exceptions or panics.
//
// C library functions run between hook calls, where the budget cannot see
// them. Those whose work the memory cap does not bound either are guarded:
// backtracking patterns are refused past a size, string.rep of nothing
// returns at once, and table.move/insert/remove pay for the slots they touch
// out of the budget (tests/lua/sandbox_escape_test.cpp lists the escapes).
//
// Known gap: `pairs` order over string keys varies between runs, so scripts
// that need determinism must not depend on it.

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
  Syntax,   // the chunk did not compile (or was not text)
  Runtime,  // the script raised an error
  Budget,   // the instruction budget ran out
  Memory,   // an allocation would have passed the memory cap
};

struct LuaError {
  ErrorKind kind = ErrorKind::Runtime;
  std::string message;
};

// Empty when the call succeeded.
using CallResult = std::optional<LuaError>;

inline constexpr std::string_view kBudgetMessage = "instruction budget exceeded";

// Stands for LUA_MULTRET without pulling lua.h into every includer.
inline constexpr int kAllResults = -1;

class Sandbox {
 public:
  static constexpr std::size_t kDefaultMemoryCap = std::size_t{32} << 20U;
  static constexpr std::uint64_t kDefaultBudget = 10'000'000;
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

  // Refills the instruction budget. The budget is a pool that every call()
  // draws from until the next refill; once spent, call() fails at once.
  void set_budget(std::uint64_t instructions);
  [[nodiscard]] std::uint64_t budget_left() const;
  [[nodiscard]] bool budget_exhausted() const;

  void set_memory_cap(std::size_t bytes);
  [[nodiscard]] std::size_t memory_cap() const;
  [[nodiscard]] std::size_t memory_used() const;

  // Compiles text-only `source` and pushes the function. `chunkname` is shown
  // in messages as "chunkname:line:".
  CallResult load(std::string_view source, std::string_view chunkname);

  // Calls the function below the `nargs` arguments on top of the stack, like
  // lua_pcall, under the budget. On success the results are on the stack; on
  // failure the function and arguments are gone and nothing is left behind.
  // A budget overrun is a failure even if the script caught it and returned.
  CallResult call(int nargs, int nresults);

  // load() then call() with no arguments.
  CallResult run_chunk(std::string_view source, std::string_view chunkname, int nresults = kAllResults);

  // What the script printed since the last take, up to kOutputCap bytes.
  std::string take_output();

 private:
  // On the heap so Lua's pointer to it survives moves of the Sandbox.
  std::unique_ptr<detail::SandboxControl> control_;
  lua_State* L_ = nullptr;
};

}  // namespace leadtime::lua
