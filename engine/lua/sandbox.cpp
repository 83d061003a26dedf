// The Sandbox itself: setting up a Lua state under the limits, loading
// text chunks and running calls under the budget, and turning failures into
// LuaError values. The limits are in sandbox_limits.cpp, the libraries in
// sandbox_library.cpp and sandbox_guards.cpp, pairs() in sandbox_pairs.cpp.
#include "engine/lua/sandbox.h"

#include <cstdio>
#include <cstring>
#include <limits>
#include <lua.hpp>
#include <new>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "engine/lua/sandbox_library.h"
#include "engine/lua/sandbox_limits.h"

namespace leadtime::lua {

static_assert(kAllResults == LUA_MULTRET);

namespace {

using detail::kBudgetText;
using detail::kMemoryText;
using detail::kTimeLimitText;
using detail::SandboxControl;
using detail::stopped;

int report_panic(lua_State* L) {
  const char* message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "non-string error";
  std::fprintf(stderr, "leadtime: unprotected Lua error: %s\n", message);
  return 0;  // Lua aborts after this
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

Sandbox::Sandbox(std::size_t memory_cap) : control_(std::make_unique<SandboxControl>()) {
  SandboxControl& c = *control_;
  c.output.reserve(kOutputCap);
  // Setup runs outside protected mode, where a refused allocation would panic.
  c.cap = std::numeric_limits<std::size_t>::max();
  L_ = lua_newstate(detail::capped_alloc, control_.get());
  if (!L_) throw std::bad_alloc();
  lua_atpanic(L_, report_panic);
  detail::open_sandbox_libraries(L_);
  detail::install_hook(L_, c);
  c.cap = memory_cap;
}

Sandbox::~Sandbox() {
  if (!L_) return;
  // Finalizers still run in lua_close; with no budget left they stop at once.
  control_->exhausted = true;
  detail::install_hook(L_, *control_);
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

void Sandbox::set_budget(std::uint64_t instructions) {
  control_->remaining = instructions;
  control_->exhausted = false;
  detail::install_hook(L_, *control_);
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
  if (!outer_call) detail::start_clock(c);  // the time limit is per outermost call
  detail::install_hook(L_, c);
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

void Sandbox::seed(std::uint64_t seed) {
  control_->rng = Rng(seed);
  control_->rng_at_seed = control_->rng;
}

bool Sandbox::drew_random() const { return !(control_->rng == control_->rng_at_seed); }

bool Sandbox::snapshot(int slot) {
  SandboxControl& c = *control_;
  detail::SandboxImage& image = c.saved.at(static_cast<std::size_t>(slot));
  if (c.in_call || !c.arena.save(image.arena)) return false;
  image.meter = static_cast<const detail::SandboxMeter&>(c);
  return true;
}

bool Sandbox::has_snapshot(int slot) const { return !control_->saved.at(static_cast<std::size_t>(slot)).arena.empty(); }

void Sandbox::drop_snapshot(int slot) {
  control_->saved.at(static_cast<std::size_t>(slot)).arena = detail::Arena::Image();
}

void Sandbox::restore(int slot) {
  SandboxControl& c = *control_;
  const detail::SandboxImage& image = c.saved.at(static_cast<std::size_t>(slot));
  if (image.arena.empty() || c.in_call) {
    throw std::logic_error("Sandbox::restore without a snapshot, or inside a call");
  }
  c.arena.restore(image.arena);
  static_cast<detail::SandboxMeter&>(c) = image.meter;
  c.output.clear();
}

std::size_t Sandbox::snapshot_bytes(int slot) const {
  return control_->saved.at(static_cast<std::size_t>(slot)).arena.bytes.size();
}

std::string Sandbox::take_output() {
  std::string out;
  out.swap(control_->output);
  control_->output.reserve(kOutputCap);
  return out;
}

}  // namespace leadtime::lua
