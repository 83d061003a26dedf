// The sandbox's memory cap, instruction budget and time limit (sandbox.h
// says what each is for).
#include <time.h>

#include <algorithm>
#include <chrono>

#include "engine/lua/sandbox_limits.h"

namespace leadtime::lua::detail {
namespace {

// Instructions between hook calls while budget lasts: small enough for a fine
// budget, large enough that the hook costs nothing measurable.
constexpr int kHookEvery = 1000;

// The time limit is the last line of defence behind the instruction budget:
// some single instructions do C work the count hook cannot see (comparing
// two 8 MB strings with < is one instruction and a third of a millisecond of
// strcoll). It measures the calling thread's CPU time, not the wall clock,
// so a loaded machine or a descheduled thread does not make a bot fail that
// would pass on an idle one; it only catches calls that really computed for
// that long.
//
// That clock is a system call (1.5 us measured here, more than a whole
// us_hawk decision), so it is read only when it could matter. A thread's
// CPU time cannot grow faster than the steady clock (a vDSO read, 30 ns):
// until a call has run kFirstSampleNs by that clock it is not sampled at
// all (ordinary calls never are), and that first stretch counts as
// kFirstSampleNs of CPU time: at most that much too high if the thread was
// descheduled, at most one hook interval too low if it ran on. After that,
// until the steady time since the last sample reaches the CPU time still
// left, there is no need to look.
constexpr std::int64_t kFirstSampleNs = 1'000'000;

std::int64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// True once the running call has used its CPU time; counts the trip once.
bool out_of_time(SandboxControl& c) {
  if (c.timed_out) return true;
  if (!c.in_call) return false;
  const std::int64_t wall = steady_ns();
  const std::int64_t since = wall - c.wall_at_sample_ns;
  if (c.cpu_at_sample_ns < 0) {
    if (since < std::min(kFirstSampleNs, c.time_limit_ns)) return false;
    c.cpu_used_ns = std::min(since, kFirstSampleNs);
  } else {
    if (since < c.time_limit_ns - c.cpu_used_ns) return false;
  }
  const std::int64_t cpu = thread_cpu_ns();
  if (c.cpu_at_sample_ns >= 0) c.cpu_used_ns += cpu - c.cpu_at_sample_ns;
  c.cpu_at_sample_ns = cpu;
  c.wall_at_sample_ns = wall;
  if (c.cpu_used_ns < c.time_limit_ns) return false;
  c.timed_out = true;
  c.time_limit_trips += 1;
  return true;
}

// Work done in C is invisible to the count hook, and much of it writes what
// it allocates: string.rep, table.concat, string.format and the .. operator
// build a string of any size the cap allows in one instruction, and a loop
// that drops each result never reaches the cap (a 16 MB string.rep per
// iteration ran a 2-million-instruction budget for minutes). So memory a
// call grows by pays from the budget, one instruction per this many bytes
// (a few times what is written in the time an instruction takes, so a
// script that keeps what it builds meets the memory cap first), and once
// the budget is gone the call gets no more.
constexpr std::size_t kBytesPerInstruction = 256;

void count_hook(lua_State* L, lua_Debug* /*ar*/);

// Raises the error that ends the call: the time limit's if it tripped, else
// the budget's. Every later instruction raises it again (install_hook).
int stop_call(lua_State* L, const SandboxControl& c) {
  if (lua_gethookcount(L) != 1) install_hook(L, c);
  return luaL_error(L, "%s", c.timed_out ? kTimeLimitText : kBudgetText);
}

// The time is checked here, every kHookEvery instructions: the steady clock
// once per 1000 instructions costs nothing measurable (a tight loop runs
// about 250 M instructions/s with or without it). A finer interval just for
// the clock, or one that shrinks when instructions turn slow, would move the
// instruction where the budget runs out with the machine's speed, and that
// point must be the same on every run. So the limit can overshoot by up to
// two intervals (one here, one in the first sample, see kFirstSampleNs); the
// slowest instructions compare strings as long as the memory cap allows (a
// third of a millisecond per 8 MB), so an interval of them is under a second
// at the default 32 MB cap, a tenth of the default limit.
void count_hook(lua_State* L, lua_Debug* /*ar*/) {
  SandboxControl& c = control_of(L);
  if (!stopped(c)) {
    const auto spent = static_cast<std::uint64_t>(lua_gethookcount(L));
    if (c.remaining > spent) {
      c.remaining -= spent;
      if (!out_of_time(c)) {
        // A coroutine left on the strict hook by an earlier overrun.
        if (spent != kHookEvery) install_hook(L, c);
        return;
      }
    } else {
      c.remaining = 0;
      c.exhausted = true;
    }
  }
  stop_call(L, c);
}

// poll_time reads the clock only every kPollEvery calls.
constexpr std::uint32_t kPollEvery = 16;

}  // namespace

void start_clock(SandboxControl& c) {
  c.timed_out = false;
  c.cpu_at_sample_ns = -1;
  c.cpu_used_ns = 0;
  c.wall_at_sample_ns = steady_ns();
}

// Lua treats a NULL return for a growing block as "out of memory" and raises
// it inside the script, which is exactly the failure a cap should produce.
void* capped_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) {
  auto& c = *static_cast<SandboxControl*>(ud);
  const std::size_t old = ptr ? osize : 0;  // for new blocks osize is a type tag
  if (nsize == 0) {
    c.arena.release(ptr, old);
    c.used -= old;
    return nullptr;
  }
  const std::size_t headroom = c.cap > c.used ? c.cap - c.used : 0;
  if (nsize > old && nsize - old > headroom) {
    c.refused = true;
    return nullptr;
  }
  if (c.in_call && nsize > old) {
    const std::uint64_t cost = (nsize - old) / kBytesPerInstruction;
    if (stopped(c)) return nullptr;  // fails now, reported as the budget or time (describe_failure)
    if (cost >= c.remaining) {
      c.remaining = 0;
      c.exhausted = true;
      return nullptr;
    }
    c.remaining -= cost;
  }
  void* block = c.arena.resize(ptr, old, nsize);
  if (!block) return nullptr;  // only ever for a growing block: the arena keeps a block it cannot shrink
  c.used = c.used - old + nsize;
  return block;
}

// Once the budget or the time is gone every thread hooks on every
// instruction, so no Lua code at all can run until the host takes over again.
void install_hook(lua_State* thread, const SandboxControl& c) {
  lua_sethook(thread, count_hook, LUA_MASKCOUNT, stopped(c) ? 1 : kHookEvery);
}

void poll_time(lua_State* L) {
  SandboxControl& c = control_of(L);
  if (++c.polls % kPollEvery != 0) return;
  if (out_of_time(c)) stop_call(L, c);
}

// Some library functions loop in C a number of times the script chooses,
// without allocating, so neither the hook nor the memory cap sees the work
// (table.move over a range of nils, table.insert into a table whose border
// lies far out). They pay for each step out of the instruction budget.
void charge_budget(lua_State* L, lua_Unsigned steps) {
  SandboxControl& c = control_of(L);
  if (!stopped(c) && steps < c.remaining && !out_of_time(c)) {
    c.remaining -= steps;
    return;
  }
  if (!c.timed_out) {
    c.remaining = 0;
    c.exhausted = true;
  }
  stop_call(L, c);
}

}  // namespace leadtime::lua::detail
