#include "engine/lua/sandbox.h"

#include "engine/lua/sandbox_pairs.h"

#include <cmath>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <lua.hpp>
#include <new>
#include <sstream>
#include <utility>

namespace leadtime::lua {

static_assert(kAllResults == LUA_MULTRET);

namespace detail {

struct SandboxControl {
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
  std::string output;  // capacity reserved up front, so print() never allocates
};

}  // namespace detail

namespace {

using detail::SandboxControl;

// Instructions between hook calls while budget lasts: small enough for a fine
// budget, large enough that the hook costs nothing measurable.
constexpr int kHookEvery = 1000;
constexpr char kBudgetText[] = "instruction budget exceeded";
constexpr char kTimeLimitText[] = "time limit exceeded";
constexpr char kMemoryText[] = "not enough memory";

// Lua hands the allocator's user data to anyone who asks; every callback
// finds the sandbox's limits this way, from any coroutine.
SandboxControl& control_of(lua_State* L) {
  void* ud = nullptr;
  lua_getallocf(L, &ud);
  return *static_cast<SandboxControl*>(ud);
}

// No Lua may run until the host takes over: the budget is spent or the call
// ran out of time.
bool stopped(const SandboxControl& c) { return c.exhausted || c.timed_out; }

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

void start_clock(SandboxControl& c) {
  c.timed_out = false;
  c.cpu_at_sample_ns = -1;
  c.cpu_used_ns = 0;
  c.wall_at_sample_ns = steady_ns();
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

// Lua treats a NULL return for a growing block as "out of memory" and raises
// it inside the script, which is exactly the failure a cap should produce.
void* capped_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) {
  auto& c = *static_cast<SandboxControl*>(ud);
  const std::size_t old = ptr ? osize : 0;  // for new blocks osize is a type tag
  if (nsize == 0) {
    std::free(ptr);
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
  void* block = std::realloc(ptr, nsize);
  if (!block) {
    // Lua assumes shrinking never fails; the old block is still big enough.
    return nsize <= old ? ptr : nullptr;
  }
  c.used = c.used - old + nsize;
  return block;
}

int report_panic(lua_State* L) {
  const char* message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "non-string error";
  std::fprintf(stderr, "leadtime: unprotected Lua error: %s\n", message);
  return 0;  // Lua aborts after this
}

void count_hook(lua_State* L, lua_Debug* /*ar*/);

// Once the budget or the time is gone every thread hooks on every
// instruction, so no Lua code at all can run until the host takes over again.
void install_hook(lua_State* thread, const SandboxControl& c) {
  lua_sethook(thread, count_hook, LUA_MASKCOUNT, stopped(c) ? 1 : kHookEvery);
}

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

// For C loops that call no Lua, where the hook never fires (table.sort
// comparing long strings): reads the clock every kPollEvery calls.
constexpr std::uint32_t kPollEvery = 16;

void poll_time(lua_State* L) {
  SandboxControl& c = control_of(L);
  if (++c.polls % kPollEvery != 0) return;
  if (out_of_time(c)) stop_call(L, c);
}

// coroutine.create, but the new thread is metered by the same budget. (Lua
// 5.4 happens to copy hooks into new threads; this does not rely on it.)
int metered_create(lua_State* L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_State* thread = lua_newthread(L);
  install_hook(thread, control_of(L));
  lua_pushvalue(L, 1);
  lua_xmove(L, thread, 1);
  return 1;
}

// The function coroutine.wrap hands out: resumes its thread (upvalue 1) and
// returns what it yields, or raises the coroutine's error in the caller.
// Unlike stock Lua it does not close the dead coroutine's pending <close>
// variables: see guarded_close.
int resume_wrapped(lua_State* L) {
  lua_State* thread = lua_tothread(L, lua_upvalueindex(1));
  const int nargs = lua_gettop(L);
  if (!lua_checkstack(thread, nargs)) return luaL_error(L, "too many arguments to resume");
  lua_xmove(L, thread, nargs);
  int nresults = 0;
  const int status = lua_resume(thread, L, nargs, &nresults);
  if (status != LUA_OK && status != LUA_YIELD) {
    lua_xmove(thread, L, 1);
    return lua_error(L);
  }
  if (!lua_checkstack(L, nresults)) {
    lua_pop(thread, nresults);
    return luaL_error(L, "too many results to resume");
  }
  lua_xmove(thread, L, nresults);
  return nresults;
}

int metered_wrap(lua_State* L) {
  metered_create(L);
  lua_pushcclosure(L, resume_wrapped, 1);
  return 1;
}

// Lua runs some code with hooks switched off, out of the budget's reach;
// the guards below keep scripts from putting their own code there.
//
// A coroutine killed by the budget error is left with hooks off (the error
// left the hook without switching them back on), and closing it would run
// its pending <close> handlers unmetered. Closing a coroutine that died of
// any error therefore skips them and just reports the death; upvalue 1 is
// the original close.
int guarded_close(lua_State* L) {
  lua_State* thread = lua_tothread(L, 1);
  const int status = thread ? lua_status(thread) : LUA_OK;
  if (status == LUA_OK || status == LUA_YIELD) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
  }
  lua_pushboolean(L, 0);
  lua_pushliteral(L, "coroutine died of an error; its <close> handlers are skipped in the sandbox");
  return 2;
}

// The message handler of an error raised by the budget hook runs with hooks
// off, so an xpcall handler that loops would never be stopped. While the
// budget is spent the handler is skipped and the error passes through.
// Upvalue 1 is the script's handler.
int guarded_handler(lua_State* L) {
  if (stopped(control_of(L))) return lua_gettop(L) > 0 ? 1 : 0;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

// Everything on the stack is the call's results; also the continuation
// when the protected function yields, so coroutines can yield inside xpcall.
int pass_results(lua_State* L, int /*status*/, lua_KContext /*context*/) { return lua_gettop(L); }

// xpcall with the script's handler behind guarded_handler; upvalue 1 is the
// original xpcall.
int guarded_xpcall(lua_State* L) {
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, guarded_handler, 1);
  lua_replace(L, 2);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, pass_results);
  return pass_results(L, LUA_OK, 0);
}

// Finalizers (__gc) always run with hooks off. Lua only schedules a table
// for finalization if its metatable has __gc when setmetatable is called,
// so refusing such metatables here keeps finalizers out entirely. Upvalue 1
// is the original setmetatable.
int guarded_setmetatable(lua_State* L) {
  if (lua_type(L, 2) == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    const int type = lua_rawget(L, 2);
    lua_pop(L, 1);
    if (type != LUA_TNIL) return luaL_error(L, "setmetatable: __gc metamethods are not available in the sandbox");
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

// load() minus binary chunks: hand-made bytecode can break the VM's
// invariants and escape any sandbox. Without an env argument the chunk sees
// the sandbox's globals, as the original does. Upvalue 1 is the original.
int text_only_load(lua_State* L) {
  const int nargs = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  if (nargs >= 1) {
    lua_pushvalue(L, 1);
  } else {
    lua_pushnil(L);  // the original reports the missing chunk
  }
  if (nargs >= 2) {
    lua_pushvalue(L, 2);
  } else {
    lua_pushnil(L);
  }
  lua_pushliteral(L, "t");
  const bool has_env = nargs >= 4;
  if (has_env) lua_pushvalue(L, 4);
  lua_call(L, has_env ? 4 : 3, LUA_MULTRET);
  return lua_gettop(L) - nargs;
}

// Scripts may watch their memory but not drive the collector: collection
// timing would otherwise be theirs to make expensive.
int count_only_collectgarbage(lua_State* L) {
  const char* option = luaL_optstring(L, 1, "collect");
  if (std::strcmp(option, "count") != 0) {
    return luaL_error(L, "collectgarbage: only \"count\" is available in the sandbox");
  }
  const int kib = lua_gc(L, LUA_GCCOUNT);
  const int rest = lua_gc(L, LUA_GCCOUNTB);
  lua_pushnumber(L, static_cast<lua_Number>(kib) + static_cast<lua_Number>(rest) / 1024.0);
  return 1;
}

void append_bounded(std::string& out, const char* text, std::size_t length) {
  const std::size_t room = Sandbox::kOutputCap - std::min(out.size(), Sandbox::kOutputCap);
  out.append(text, std::min(length, room));
}

// print() into a buffer the host reads, never to the server's stdout. Every
// conversion (which may raise) happens before anything touches the buffer.
int captured_print(lua_State* L) {
  const int n = lua_gettop(L);
  luaL_checkstack(L, n, "too many arguments to print");
  for (int i = 1; i <= n; ++i) luaL_tolstring(L, i, nullptr);
  std::string& out = control_of(L).output;
  for (int i = 1; i <= n; ++i) {
    if (i > 1) append_bounded(out, "\t", 1);
    std::size_t length = 0;
    const char* text = lua_tolstring(L, n + i, &length);
    append_bounded(out, text, length);
  }
  append_bounded(out, "\n", 1);
  return 0;
}

// math.random from the sandbox's Rng, so a seed replays a script exactly.
int seeded_random(lua_State* L) {
  Rng& rng = control_of(L).rng;
  lua_Integer low = 1;
  lua_Integer high = 0;
  switch (lua_gettop(L)) {
    case 0:
      lua_pushnumber(L, rng.uniform01());
      return 1;
    case 1:
      high = luaL_checkinteger(L, 1);
      if (high == 0) {  // as in stock Lua: a whole random integer
        lua_pushinteger(L, static_cast<lua_Integer>(rng.next_u64()));
        return 1;
      }
      break;
    case 2:
      low = luaL_checkinteger(L, 1);
      high = luaL_checkinteger(L, 2);
      break;
    default:
      return luaL_error(L, "wrong number of arguments");
  }
  luaL_argcheck(L, low <= high, lua_gettop(L), "interval is empty");
  // Unsigned arithmetic: the span of [minint, maxint] does not fit a lua_Integer.
  const std::uint64_t span = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
  const std::uint64_t offset = span == std::numeric_limits<std::uint64_t>::max() ? rng.next_u64() : rng.below(span + 1);
  const std::uint64_t value = static_cast<std::uint64_t>(low) + offset;  // wraps back into [low, high]
  lua_pushinteger(L, static_cast<lua_Integer>(value));
  return 1;
}

// Reseeding would let a bot choose its own luck; it quietly does nothing so
// scripts written for stock Lua still run.
int ignored_randomseed(lua_State* /*L*/) { return 0; }

void open_libraries(lua_State* L) {
  const luaL_Reg libraries[] = {
      {LUA_GNAME, luaopen_base},       {LUA_STRLIBNAME, luaopen_string}, {LUA_TABLIBNAME, luaopen_table},
      {LUA_MATHLIBNAME, luaopen_math}, {LUA_UTF8LIBNAME, luaopen_utf8},  {LUA_COLIBNAME, luaopen_coroutine},
  };
  for (const luaL_Reg& library : libraries) {
    luaL_requiref(L, library.name, library.func, 1);
    lua_pop(L, 1);
  }
}

// Cleared even though their libraries are never opened, so nothing a future
// edit to open_libraries adds can leak them back in.
void remove_outside_access(lua_State* L) {
  for (const char* name : {"dofile", "loadfile", "require", "package", "io", "os", "debug"}) {
    lua_pushnil(L);
    lua_setglobal(L, name);
  }
  lua_getglobal(L, LUA_STRLIBNAME);
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");  // bytecode out is the first half of bytecode in
  lua_pop(L, 1);
}

void set_library_function(lua_State* L, const char* library, const char* name, lua_CFunction f) {
  lua_getglobal(L, library);
  lua_pushcfunction(L, f);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
}

// Calls upvalue 1 (the original) with this call's arguments.
int call_original(lua_State* L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

// Lua's pattern matcher backtracks inside C, where the instruction hook never
// fires: string.find(string.rep("a", 5000), ".-.-.-.-b") would run for hours
// uncounted. Each unescaped *, + or - can multiply the work by the subject's
// length, and a search that is not anchored with ^ tries every start
// position, which multiplies it once more (".-b" over a megabyte of "a" is
// 10^12 steps). A pattern whose worst case passes a bound that keeps it near
// a second of host time is refused.
constexpr double kPatternWorkLimit = 1e9;

int backtracking_quantifiers(std::string_view pattern) {
  int q = 0;
  bool in_set = false;  // '-' inside [a-z] is a range, not a quantifier
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '%') {
      ++i;  // an escaped character is literal
    } else if (in_set) {
      in_set = c != ']';
    } else if (c == '[') {
      in_set = true;
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') ++i;  // "[]...]" starts with a literal ]
    } else if (c == '*' || c == '+' || c == '-') {
      ++q;
    }
  }
  return q;
}

// The worst-case growth of a pattern's work with the subject's length: one
// factor per quantifier, one more for trying every start position. A pattern
// with no quantifier is linear, whatever the positions.
int pattern_exponent(std::string_view pattern, bool anchors) {
  const int q = backtracking_quantifiers(pattern);
  if (q == 0) return 1;
  const bool anchored = anchors && !pattern.empty() && pattern.front() == '^';
  return anchored ? q : q + 1;
}

// Matching at one start position also takes a step per pattern character,
// so a search that tries every position costs subject times pattern even
// without a quantifier: a 16 KB pattern ending in ".b" over a megabyte of
// "a" ran 67 s, in C, where no hook and no clock can stop it. A find that is
// plain, or whose pattern has none of Lua's special characters, compares
// with memcmp instead (measured near 5e10 bytes a second), so it gets a
// bound as many times larger.
constexpr double kPlainWorkLimit = 5e10;

bool has_specials(std::string_view pattern) {
  return pattern.find_first_of("^$*+?.([%-") != std::string_view::npos;  // as lstrlib.c's nospecials
}

// Refuses the call when its pattern could run too long; `anchors` tells
// whether a leading ^ anchors the search (gmatch tries every position
// anyway). Only find has a `plain` fourth argument and a memcmp search:
// gsub's fourth argument is a count, and must not switch the guard off.
void check_pattern_cost(lua_State* L, bool anchors, bool is_find) {
  if (lua_type(L, 1) != LUA_TSTRING || lua_type(L, 2) != LUA_TSTRING) return;
  std::size_t subject_len = 0;
  std::size_t pattern_len = 0;
  lua_tolstring(L, 1, &subject_len);
  const char* text = lua_tolstring(L, 2, &pattern_len);
  const std::string_view pattern(text, pattern_len);
  const auto subject = static_cast<double>(subject_len);
  const auto length = static_cast<double>(pattern_len);
  if (is_find && (lua_toboolean(L, 4) != 0 || !has_specials(pattern))) {
    if (pattern_len <= subject_len && (subject - length + 1) * length > kPlainWorkLimit) {
      luaL_error(L,
                 "search is too costly: a %d-byte string sought at every position of a %d-byte subject (sandbox limit)",
                 static_cast<int>(pattern_len), static_cast<int>(subject_len));
    }
    return;
  }
  const bool anchored = anchors && !pattern.empty() && pattern.front() == '^';
  if ((anchored ? 1.0 : subject) * length > kPatternWorkLimit) {
    luaL_error(L,
               "pattern is too costly: a %d-byte pattern tried at every position of a %d-byte subject (sandbox limit)",
               static_cast<int>(pattern_len), static_cast<int>(subject_len));
  }
  const int exponent = pattern_exponent(pattern, anchors);
  if (exponent >= 2 && std::pow(subject, exponent) > kPatternWorkLimit) {
    luaL_error(L, "pattern is too costly for a %d-byte subject: its search could take %d nested passes (sandbox limit)",
               static_cast<int>(subject_len), exponent);
  }
}

// Wrap string.find, match, gsub and gmatch; upvalue 1 is the original.
int guarded_find(lua_State* L) {
  check_pattern_cost(L, true, true);
  return call_original(L);
}

int guarded_pattern(lua_State* L) {
  check_pattern_cost(L, true, false);
  return call_original(L);
}

int guarded_gmatch(lua_State* L) {
  check_pattern_cost(L, false, false);
  return call_original(L);
}

// Some library functions loop in C a number of times the script chooses,
// without allocating, so neither the hook nor the memory cap sees the work
// (table.move over a range of nils, table.insert into a table whose border
// lies far out). They pay for each step out of the instruction budget.
void charge(lua_State* L, lua_Unsigned steps) {
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

// string.rep of an empty string with an empty separator returns "", but
// stock Lua first copies zero bytes n times: math.maxinteger times is
// forever. Every other case allocates its result before looping, so the
// memory cap bounds it.
int guarded_rep(lua_State* L) {
  std::size_t length = 0;
  std::size_t separator = 0;
  luaL_checklstring(L, 1, &length);
  const lua_Integer n = luaL_checkinteger(L, 2);
  luaL_optlstring(L, 3, "", &separator);
  if (n > 0 && length == 0 && separator == 0) {
    lua_pushliteral(L, "");
    return 1;
  }
  return call_original(L);
}

// table.move(a1, f, e, t [, a2]) reads and writes e - f + 1 slots. The
// arguments convert the same way here as in the original, so both agree on
// the count.
int guarded_move(lua_State* L) {
  const lua_Integer first = luaL_checkinteger(L, 2);
  const lua_Integer last = luaL_checkinteger(L, 3);
  if (last >= first) charge(L, static_cast<lua_Unsigned>(last) - static_cast<lua_Unsigned>(first) + 1U);
  return call_original(L);
}

// table.insert and table.remove shift the slots between the position and
// the table's length. A raw border can lie far beyond the entries that exist
// (t[1], t[2], t[4], ... t[2^40] has a border of that size with forty
// entries), so the shift is charged; appends and pops shift nothing and cost
// nothing extra. A __len metamethod could answer this check and the original
// differently, so tables with one are refused rather than trusted.
lua_Integer checked_length(lua_State* L, const char* function) {
  luaL_checktype(L, 1, LUA_TTABLE);
  if (luaL_getmetafield(L, 1, "__len") != LUA_TNIL) {
    return luaL_error(L, "%s: tables with a __len metamethod are not available in the sandbox", function);
  }
  return static_cast<lua_Integer>(lua_rawlen(L, 1));
}

void charge_shift(lua_State* L, lua_Integer from, lua_Integer to) {
  if (to > from) charge(L, static_cast<lua_Unsigned>(to) - static_cast<lua_Unsigned>(from));
}

int guarded_insert(lua_State* L) {
  const lua_Integer end = checked_length(L, "table.insert") + 1;
  if (lua_gettop(L) == 3) charge_shift(L, luaL_checkinteger(L, 2), end);
  return call_original(L);
}

int guarded_remove(lua_State* L) {
  const lua_Integer size = checked_length(L, "table.remove");
  charge_shift(L, luaL_optinteger(L, 2, size), size);
  return call_original(L);
}

// table.sort is replaced, not wrapped. Stock Lua's quicksort takes its pivot
// from clock() and time() once a partition of more than 100 elements comes
// out lopsided (ties and inconsistent comparators do that), so the same
// script could order tied elements differently on two runs, and a bot's
// orders and the state hash with them. This one is a bottom-up merge sort:
// stable, so ties keep their input order, and the same comparisons on every
// run. Any comparator, however inconsistent, ends in some permutation, so
// stock Lua's "invalid order function" error cannot happen.
//
// It sorts positions 1..n, held in a userdata, against a snapshot of t[1..n]
// in a fresh table, and writes t only once every comparison is done: an
// error from a comparison or from the budget leaves t as it was. Reads and
// writes of t go through lua_geti/lua_seti, so __index and __newindex apply
// as in stock Lua; __len is refused as for table.insert. Errors longjmp
// through these frames (liblua is C), so everything they hold is a Lua
// object on the stack or plain memory inside one, nothing with a destructor.
constexpr int kSortList = 1;
constexpr int kSortComparator = 2;
constexpr int kSortValues = 3;

// values[a] < values[b], by the script's comparator or by the < operator.
// Without a comparator no Lua runs, so the hook cannot see a sort of long
// strings: the comparisons poll the time themselves.
bool sort_less(lua_State* L, bool by_comparator, int a, int b) {
  if (by_comparator) {
    lua_pushvalue(L, kSortComparator);
  } else {
    poll_time(L);
  }
  lua_rawgeti(L, kSortValues, a);
  lua_rawgeti(L, kSortValues, b);
  if (!by_comparator) {
    const bool less = lua_compare(L, -2, -1, LUA_OPLT) != 0;
    lua_pop(L, 2);
    return less;
  }
  lua_call(L, 2, 1);
  const bool less = lua_toboolean(L, -1) != 0;
  lua_pop(L, 1);
  return less;
}

// Merges the sorted runs from[lo, mid) and from[mid, hi) into to[lo, hi).
// On a tie the left run goes first, which is what makes the sort stable.
void merge_runs(lua_State* L, bool by_comparator, const int* from, int* to, std::size_t lo, std::size_t mid,
                std::size_t hi) {
  // A lone run, or two already in order (a list sorted again every round),
  // costs at most one comparison.
  if (mid == hi || !sort_less(L, by_comparator, from[mid], from[mid - 1])) {
    std::copy(from + lo, from + hi, to + lo);
    return;
  }
  std::size_t left = lo;
  std::size_t right = mid;
  std::size_t out = lo;
  while (left < mid && right < hi) {
    to[out++] = sort_less(L, by_comparator, from[right], from[left]) ? from[right++] : from[left++];
  }
  int* rest = std::copy(from + left, from + mid, to + out);
  std::copy(from + right, from + hi, rest);
}

int stable_sort(lua_State* L) {
  const lua_Integer n = checked_length(L, "table.sort");
  luaL_argcheck(L, n < INT_MAX, 1, "array too big");
  // Checked whatever the length, so a bad call fails on an empty list too.
  const bool by_comparator = !lua_isnoneornil(L, kSortComparator);
  if (by_comparator) luaL_checktype(L, kSortComparator, LUA_TFUNCTION);
  if (n < 2) return 0;
  lua_settop(L, kSortComparator);
  const auto count = static_cast<std::size_t>(n);
  // One step per element per merge pass, paid before anything is allocated.
  lua_Unsigned passes = 0;
  while ((std::size_t{1} << passes) < count) ++passes;
  charge(L, static_cast<lua_Unsigned>(count) * passes);

  lua_createtable(L, static_cast<int>(n), 0);
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_geti(L, kSortList, i);
    lua_rawseti(L, kSortValues, i);
  }
  int* from = static_cast<int*>(lua_newuserdatauv(L, 2 * count * sizeof(int), 0));
  int* to = from + count;
  for (std::size_t i = 0; i < count; ++i) from[i] = static_cast<int>(i + 1);
  for (std::size_t width = 1; width < count; width *= 2) {
    for (std::size_t lo = 0; lo < count; lo += 2 * width) {
      merge_runs(L, by_comparator, from, to, lo, std::min(lo + width, count), std::min(lo + 2 * width, count));
    }
    std::swap(from, to);
  }
  for (std::size_t i = 0; i < count; ++i) {
    lua_rawgeti(L, kSortValues, from[i]);
    lua_seti(L, kSortList, static_cast<lua_Integer>(i + 1));
  }
  return 0;
}

// Replaces library.name (a global when library is null) with a closure of
// `f` over the original.
void wrap_original(lua_State* L, const char* library, const char* name, lua_CFunction f) {
  if (library) {
    lua_getglobal(L, library);
  } else {
    lua_pushglobaltable(L);
  }
  lua_getfield(L, -1, name);
  lua_pushcclosure(L, f, 1);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
}

void replace_base_functions(lua_State* L) {
  wrap_original(L, nullptr, "load", text_only_load);
  wrap_original(L, nullptr, "xpcall", guarded_xpcall);
  wrap_original(L, nullptr, "setmetatable", guarded_setmetatable);
  wrap_original(L, LUA_COLIBNAME, "close", guarded_close);
  wrap_original(L, LUA_STRLIBNAME, "find", guarded_find);
  for (const char* name : {"match", "gsub"}) wrap_original(L, LUA_STRLIBNAME, name, guarded_pattern);
  wrap_original(L, LUA_STRLIBNAME, "gmatch", guarded_gmatch);
  wrap_original(L, LUA_STRLIBNAME, "rep", guarded_rep);
  wrap_original(L, LUA_TABLIBNAME, "move", guarded_move);
  wrap_original(L, LUA_TABLIBNAME, "insert", guarded_insert);
  wrap_original(L, LUA_TABLIBNAME, "remove", guarded_remove);
  lua_pushcfunction(L, count_only_collectgarbage);
  lua_setglobal(L, "collectgarbage");
  lua_pushcfunction(L, captured_print);
  lua_setglobal(L, "print");
  lua_pushcfunction(L, detail::ordered_pairs);
  lua_setglobal(L, "pairs");
  set_library_function(L, LUA_TABLIBNAME, "sort", stable_sort);
  set_library_function(L, LUA_MATHLIBNAME, "random", seeded_random);
  set_library_function(L, LUA_MATHLIBNAME, "randomseed", ignored_randomseed);
  set_library_function(L, LUA_COLIBNAME, "create", metered_create);
  set_library_function(L, LUA_COLIBNAME, "wrap", metered_wrap);
}

// All strings share one metatable per state; a script that could reach it
// could change how every string behaves for every later script.
void lock_string_metatable(lua_State* L) {
  lua_pushliteral(L, "");
  if (lua_getmetatable(L, -1)) {
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

std::string format_number(lua_State* L, int index) {
  if (lua_isinteger(L, index)) return std::to_string(lua_tointeger(L, index));
  std::ostringstream out;
  out << lua_tonumber(L, index);
  return out.str();
}

// The error object on top of the stack as text, without running any of the
// script's metamethods.
std::string error_text(lua_State* L) {
  switch (lua_type(L, -1)) {
    case LUA_TSTRING: {
      std::size_t length = 0;
      const char* text = lua_tolstring(L, -1, &length);
      return {text, length};
    }
    case LUA_TNUMBER:
      return format_number(L, -1);
    default:
      return std::string("(error object is a ") + luaL_typename(L, -1) + " value)";
  }
}

bool is_memory_failure(lua_State* L, int status, const SandboxControl& c) {
  if (status == LUA_ERRMEM) return true;
  // The auxiliary library's buffers raise the same message as a plain error.
  return c.refused && lua_type(L, -1) == LUA_TSTRING && std::strcmp(lua_tostring(L, -1), kMemoryText) == 0;
}

std::string time_limit_message(const SandboxControl& c) {
  return std::string(kTimeLimitText) + " (" + std::to_string(c.time_limit_ns / 1'000'000) +
         " ms of CPU time in one call): the instruction budget did not stop this call, so the time limit, the "
         "last line of defence, did; where it stops depends on the machine, so this result is not reproducible";
}

LuaError describe_failure(lua_State* L, int status, const SandboxControl& c, bool budget_applies) {
  if (budget_applies && c.timed_out) return {ErrorKind::TimeLimit, time_limit_message(c)};
  if (budget_applies && c.exhausted) return {ErrorKind::Budget, kBudgetText};
  if (is_memory_failure(L, status, c)) {
    return {ErrorKind::Memory, "memory cap exceeded (" + std::to_string(c.cap) + " bytes): " + kMemoryText};
  }
  return {status == LUA_ERRSYNTAX ? ErrorKind::Syntax : ErrorKind::Runtime, error_text(L)};
}

}  // namespace

void detail::charge_budget(lua_State* L, lua_Unsigned steps) { charge(L, steps); }

Sandbox::Sandbox(std::size_t memory_cap) : control_(std::make_unique<SandboxControl>()) {
  SandboxControl& c = *control_;
  c.output.reserve(kOutputCap);
  // Setup runs outside protected mode, where a refused allocation would panic.
  c.cap = std::numeric_limits<std::size_t>::max();
  L_ = lua_newstate(capped_alloc, control_.get());
  if (!L_) throw std::bad_alloc();
  lua_atpanic(L_, report_panic);
  open_libraries(L_);
  remove_outside_access(L_);
  replace_base_functions(L_);
  lock_string_metatable(L_);
  install_hook(L_, c);
  c.cap = memory_cap;
}

Sandbox::~Sandbox() {
  if (!L_) return;
  // Finalizers still run in lua_close; with no budget left they stop at once.
  control_->exhausted = true;
  install_hook(L_, *control_);
  lua_close(L_);
}

Sandbox::Sandbox(Sandbox&& other) noexcept
    : control_(std::move(other.control_)), L_(std::exchange(other.L_, nullptr)) {}

Sandbox& Sandbox::operator=(Sandbox&& other) noexcept {
  if (this != &other) {
    Sandbox old(std::move(*this));
    control_ = std::move(other.control_);
    L_ = std::exchange(other.L_, nullptr);
  }
  return *this;
}

void Sandbox::seed(std::uint64_t seed) { control_->rng = Rng(seed); }

void Sandbox::set_budget(std::uint64_t instructions) {
  control_->remaining = instructions;
  control_->exhausted = false;
  install_hook(L_, *control_);
}

std::uint64_t Sandbox::budget_left() const { return control_->remaining; }
bool Sandbox::budget_exhausted() const { return control_->exhausted; }

void Sandbox::set_time_limit(std::chrono::milliseconds limit) {
  control_->time_limit_ns = std::chrono::nanoseconds(limit).count();
}
std::chrono::milliseconds Sandbox::time_limit() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::nanoseconds(control_->time_limit_ns));
}
bool Sandbox::time_limited() const { return control_->timed_out; }
std::uint64_t Sandbox::time_limit_trips() const { return control_->time_limit_trips; }

void Sandbox::set_memory_cap(std::size_t bytes) { control_->cap = bytes; }
std::size_t Sandbox::memory_cap() const { return control_->cap; }
std::size_t Sandbox::memory_used() const { return control_->used; }

CallResult Sandbox::load(std::string_view source, std::string_view chunkname) {
  control_->refused = false;
  // Appended rather than "@" + std::string(...): GCC 12 at -O2 warns about
  // that form with a false -Wrestrict.
  std::string name = "@";
  name += chunkname;
  const int status = luaL_loadbufferx(L_, source.data(), source.size(), name.c_str(), "t");
  if (status == LUA_OK) return std::nullopt;
  LuaError error = describe_failure(L_, status, *control_, false);
  lua_pop(L_, 1);
  return error;
}

CallResult Sandbox::call(int nargs, int nresults) {
  SandboxControl& c = *control_;
  const int base = lua_gettop(L_) - nargs - 1;  // the stack without the function and its arguments
  if (c.exhausted) {
    lua_settop(L_, base);
    return LuaError{ErrorKind::Budget, kBudgetText};
  }
  c.refused = false;
  const bool outer_call = c.in_call;
  if (!outer_call) start_clock(c);  // the time limit is per outermost call
  install_hook(L_, c);
  c.in_call = true;
  const int status = lua_pcall(L_, nargs, nresults, 0);
  c.in_call = outer_call;
  if (status == LUA_OK && !stopped(c)) return std::nullopt;
  LuaError error = describe_failure(L_, status, c, true);
  lua_settop(L_, base);
  return error;
}

CallResult Sandbox::run_chunk(std::string_view source, std::string_view chunkname, int nresults) {
  if (CallResult error = load(source, chunkname)) return error;
  return call(0, nresults);
}

std::string Sandbox::take_output() {
  std::string out;
  out.swap(control_->output);
  control_->output.reserve(kOutputCap);
  return out;
}

}  // namespace leadtime::lua
