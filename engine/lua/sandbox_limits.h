#pragma once

// The sandbox's limits and the state its Lua callbacks share, for the
// sandbox's own files (engine/lua/sandbox*.cpp) only. What the limits are
// and why: sandbox.h.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <lua.hpp>
#include <string>

#include "engine/lua/sandbox.h"
#include "engine/lua/sandbox_arena.h"
#include "engine/rng.h"

namespace leadtime::lua::detail {

// Everything the limits keep about a sandbox, the part a snapshot copies
// with the Lua state (Sandbox::snapshot).
struct SandboxMeter {
  std::size_t used = 0;
  std::size_t cap = 0;
  bool refused = false;  // an allocation was refused since the current call began
  std::uint64_t remaining = Sandbox::kDefaultBudget;
  bool exhausted = false;
  bool in_call = false;  // a call() is running: allocations pay from the budget
  // The time limit of one call (see out_of_time), in nanoseconds of the
  // calling thread's CPU time.
  std::int64_t time_limit_ns = std::chrono::nanoseconds(Sandbox::kDefaultTimeLimit).count();
  bool timed_out = false;  // the current (or last) outermost call ran out of time
  std::uint64_t time_limit_trips = 0;
  std::int64_t cpu_at_sample_ns = -1;  // the thread's CPU clock at the last sample; -1: none yet this call
  std::int64_t cpu_used_ns = 0;        // CPU time the call had used at the last sample
  std::int64_t wall_at_sample_ns = 0;  // the steady clock then (or when the call began)
  std::uint32_t polls = 0;             // poll_time calls, so only every kPollEvery-th reads a clock
  Rng rng;
  Rng rng_at_seed;  // rng as the last seed() left it, to tell whether a script drew from it since
};

// A snapshot: the arena and the meter as they were (Sandbox::snapshot).
struct SandboxImage {
  Arena::Image arena;
  SandboxMeter meter;
};

struct SandboxControl : SandboxMeter {
  Arena arena;         // where the Lua state lives
  std::string output;  // capacity reserved up front, so print() never allocates
  std::array<SandboxImage, Sandbox::kSnapshotSlots> saved;
};

inline constexpr char kBudgetText[] = "instruction budget exceeded";
inline constexpr char kTimeLimitText[] = "time limit exceeded";
inline constexpr char kMemoryText[] = "not enough memory";

// Lua hands the allocator's user data to anyone who asks; every callback
// finds the sandbox's limits this way, from any coroutine.
inline SandboxControl& control_of(lua_State* L) {
  void* ud = nullptr;
  lua_getallocf(L, &ud);
  return *static_cast<SandboxControl*>(ud);
}

// No Lua may run until the host takes over: the budget is spent or the call
// ran out of time.
inline bool stopped(const SandboxControl& c) { return c.exhausted || c.timed_out; }

// The allocator of every sandbox's Lua state: it refuses to grow past the
// memory cap, and a running call pays for what it grows by from its budget.
void* capped_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize);

// Starts the time limit of an outermost call().
void start_clock(SandboxControl& c);

// Meters `thread` by the shared budget: a count hook every kHookEvery
// instructions, or on every instruction once the budget or the time is gone.
void install_hook(lua_State* thread, const SandboxControl& c);

// For C loops that call no Lua, where the hook never fires: ends the call
// with the time limit's error once the time is up.
void poll_time(lua_State* L);

// Pays `steps` instructions from the running call's budget, or ends the call
// with the budget's (or the time limit's) error.
void charge_budget(lua_State* L, lua_Unsigned steps);

}  // namespace leadtime::lua::detail
