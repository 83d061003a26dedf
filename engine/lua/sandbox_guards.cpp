// Guards for string and table functions that work in C, where neither the
// count hook nor the memory cap sees them: backtracking patterns, string.rep
// of nothing, table.move/insert/remove over far borders, and the sandbox's
// own deterministic table.sort (sandbox.h; the escapes they stop are in
// tests/lua/sandbox_escape_test.cpp).
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstddef>
#include <string_view>
#include <utility>

#include "engine/lua/sandbox_library.h"
#include "engine/lua/sandbox_limits.h"

namespace leadtime::lua::detail {
namespace {

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
  if (to > from) charge_budget(L, static_cast<lua_Unsigned>(to) - static_cast<lua_Unsigned>(from));
}

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

}  // namespace

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
  if (last >= first) charge_budget(L, static_cast<lua_Unsigned>(last) - static_cast<lua_Unsigned>(first) + 1U);
  return call_original(L);
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
  charge_budget(L, static_cast<lua_Unsigned>(count) * passes);

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

}  // namespace leadtime::lua::detail
