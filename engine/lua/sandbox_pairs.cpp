#include "engine/lua/sandbox_pairs.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "engine/lua/sandbox_limits.h"

namespace leadtime::lua::detail {

namespace {

// Stock pairs hands out `next`, which walks the table's hash part in node
// order, and a string's node comes from a hash seeded per Lua state from
// time() and addresses (luai_makeseed). So two runs of one bot could see a
// string-keyed table in two orders, decide differently and desynchronise the
// state hash. Debian's liblua cannot be rebuilt with a fixed seed, so the
// sandbox's pairs takes a snapshot of the keys when it is called and visits
// them in an order of their own:
//   1. 1, 2, 3, ... up to the first missing integer key (the list part,
//      found by probing, not by where Lua happens to store it);
//   2. every other key, numbers first (ascending; integers and floats
//      compared exactly, an integer before an equal float), then strings
//      (byte-wise, a prefix first), then booleans (false, true);
//   3. keys with no order of their own (tables, functions, coroutines,
//      userdata) last, in the order `next` met them, which does depend on
//      addresses: only tables keyed by numbers, strings and booleans iterate
//      the same way on every run.
// Values are read when their key's turn comes (raw, like next), so a key
// removed during the loop is skipped; keys added during it are not visited.
//
// Errors longjmp through these frames (liblua is C), so nothing here has a
// destructor: the snapshot lives in Lua objects, the sort works on plain
// structs inside a userdata.

// The iterator's upvalues.
constexpr int kTable = 1;  // the table iterated
constexpr int kKeys = 2;   // the keys after the list part, at 1..r in walk order; nil if none
constexpr int kState = 3;  // a userdata: a Snapshot, then r KeyRank in visiting order

// The snapshot's work (probing the list, walking the table) pays one step
// per key, in batches so that a huge table fails early under a small budget.
constexpr lua_Unsigned kChargeBatch = 256;

// Sorting compares strings with memcmp, fast but not free: each merge-sort
// style pass over the keys also pays one step per this many bytes of string
// keys (the rate the allocator charges for bytes written).
constexpr std::size_t kKeyBytesPerStep = 256;

enum class KeyClass : std::uint8_t { Number, String, Boolean, Unordered };

struct KeyRank {
  KeyClass key_class = KeyClass::Unordered;
  bool is_float = false;
  int slot = 0;  // where the key sits in the keys table; orders unordered keys
  union {
    lua_Integer integer = 0;  // integers, and booleans as 0 or 1
    double number;            // floats
    std::uint64_t prefix;     // a string's first 8 bytes, big-endian, zero-padded
  };
  const char* text = nullptr;  // strings (kept alive by the keys table)
  std::size_t length = 0;
};

// Most strings differ in their first bytes: comparing those as one integer
// makes the sort a few times faster than memcmp on every comparison.
std::uint64_t prefix_of(const char* text, std::size_t length) {
  std::uint64_t prefix = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    prefix = (prefix << 8U) | (i < length ? static_cast<unsigned char>(text[i]) : 0U);
  }
  return prefix;
}

// Where the iteration is, kept in the userdata so that a step reads plain
// memory rather than upvalues through the API.
struct Snapshot {
  lua_Integer list_count = 0;    // n: the keys 1..n are the list part
  lua_Integer sorted_count = 0;  // r: the KeyRank after this header
  lua_Integer visited = 0;       // places of list part + sorted keys done
};
static_assert(sizeof(Snapshot) % alignof(KeyRank) == 0, "the KeyRank after a Snapshot must be aligned");

KeyRank* ranks_of(Snapshot* snapshot) { return reinterpret_cast<KeyRank*>(snapshot + 1); }

// Compares an integer with a float exactly: converting a big integer to a
// double would round it (2^53 + 1 would equal 2^53). NaN is never a key.
int compare_integer_float(lua_Integer i, double f) {
  constexpr double kTwoTo63 = 9223372036854775808.0;
  if (f >= kTwoTo63) return -1;
  if (f < -kTwoTo63) return 1;
  const double floor_f = std::floor(f);
  const auto whole = static_cast<lua_Integer>(floor_f);  // in range: -2^63 <= floor_f < 2^63
  if (i < whole) return -1;
  if (i > whole) return 1;
  return f > floor_f ? -1 : 0;
}

bool number_less(const KeyRank& a, const KeyRank& b) {
  if (!a.is_float && !b.is_float) return a.integer < b.integer;
  if (a.is_float && b.is_float) return a.number < b.number;
  if (!a.is_float) return compare_integer_float(a.integer, b.number) <= 0;  // a tie puts the integer first
  return compare_integer_float(b.integer, a.number) > 0;
}

bool string_less(const KeyRank& a, const KeyRank& b) {
  // Equal prefixes may still hide a difference: "a" and "a\0" pad alike.
  if (a.prefix != b.prefix) return a.prefix < b.prefix;
  const int order = std::memcmp(a.text, b.text, std::min(a.length, b.length));
  return order != 0 ? order < 0 : a.length < b.length;
}

// A strict total order over distinct keys, so the sort's result is the only
// one possible whatever algorithm produced it.
bool key_less(const KeyRank& a, const KeyRank& b) {
  if (a.key_class != b.key_class) return a.key_class < b.key_class;
  switch (a.key_class) {
    case KeyClass::Number:
      return number_less(a, b);
    case KeyClass::String:
      return string_less(a, b);
    case KeyClass::Boolean:
      return a.integer < b.integer;
    case KeyClass::Unordered:
      break;
  }
  return a.slot < b.slot;
}

// Describes the key on top of the stack, which the keys table keeps alive.
KeyRank rank_of(lua_State* L, int slot) {
  KeyRank rank;
  rank.slot = slot;
  switch (lua_type(L, -1)) {
    case LUA_TNUMBER:
      rank.key_class = KeyClass::Number;
      rank.is_float = !lua_isinteger(L, -1);
      if (rank.is_float) {
        rank.number = lua_tonumber(L, -1);
      } else {
        rank.integer = lua_tointeger(L, -1);
      }
      break;
    case LUA_TSTRING:
      rank.key_class = KeyClass::String;
      rank.text = lua_tolstring(L, -1, &rank.length);
      rank.prefix = prefix_of(rank.text, rank.length);
      break;
    case LUA_TBOOLEAN:
      rank.key_class = KeyClass::Boolean;
      rank.integer = lua_toboolean(L, -1);
      break;
    default:
      break;
  }
  return rank;
}

// Counts steps and pays for them a batch at a time.
struct StepMeter {
  lua_Unsigned unpaid = 0;
  void step(lua_State* L) {
    if (++unpaid == kChargeBatch) settle(L);
  }
  void settle(lua_State* L) {
    if (unpaid > 0) charge_budget(L, unpaid);
    unpaid = 0;
  }
};

// Steps 1 to n of the visit: the value at position `place`, if still there.
bool push_list_entry(lua_State* L, lua_Integer place) {
  if (lua_rawgeti(L, lua_upvalueindex(kTable), place) == LUA_TNIL) {
    lua_pop(L, 1);
    return false;
  }
  lua_pushinteger(L, place);
  lua_insert(L, -2);
  return true;
}

bool push_sorted_entry(lua_State* L, const KeyRank& rank) {
  lua_rawgeti(L, lua_upvalueindex(kKeys), rank.slot);
  lua_pushvalue(L, -1);
  if (lua_rawget(L, lua_upvalueindex(kTable)) == LUA_TNIL) {
    lua_pop(L, 2);
    return false;
  }
  return true;
}

// The iterator pairs hands out. Its arguments (the table and the previous
// key) are ignored: where it is comes from its snapshot, so the keys need
// not be found again in the table.
int ordered_next(lua_State* L) {
  auto* snapshot = static_cast<Snapshot*>(lua_touserdata(L, lua_upvalueindex(kState)));
  const KeyRank* ranks = ranks_of(snapshot);
  const lua_Integer end = snapshot->list_count + snapshot->sorted_count;
  while (snapshot->visited < end) {
    const lua_Integer place = ++snapshot->visited;
    if (place <= snapshot->list_count ? push_list_entry(L, place)
                                      : push_sorted_entry(L, ranks[place - snapshot->list_count - 1])) {
      return 2;
    }
  }
  lua_pushnil(L);
  return 1;
}

int pass_three_results(lua_State* /*L*/, int /*status*/, lua_KContext /*context*/) { return 3; }

// Stack while snapshotting.
constexpr int kArgTable = 1;
constexpr int kArgKeys = 2;

// Probes 1, 2, 3, ... for the list part's length.
lua_Integer list_part_length(lua_State* L, StepMeter& meter) {
  lua_Integer n = 0;
  while (lua_rawgeti(L, kArgTable, n + 1) != LUA_TNIL) {
    lua_pop(L, 1);
    ++n;
    meter.step(L);
  }
  lua_pop(L, 1);
  return n;
}

// Growing a table rehashes it, the largest part of a small table's snapshot;
// room for this many keys up front saves that for most tables bots use.
constexpr int kFirstKeysSize = 16;

// Copies every key outside 1..list_count into the keys table (created only
// when there is one) and returns how many.
int collect_other_keys(lua_State* L, lua_Integer list_count, StepMeter& meter) {
  int count = 0;
  lua_pushnil(L);
  while (lua_next(L, kArgTable)) {
    lua_pop(L, 1);
    meter.step(L);
    if (lua_isinteger(L, -1)) {
      const lua_Integer key = lua_tointeger(L, -1);
      if (key >= 1 && key <= list_count) continue;
    }
    if (count == 0) {
      lua_createtable(L, kFirstKeysSize, 0);
      lua_replace(L, kArgKeys);
    }
    if (count == INT_MAX) luaL_error(L, "pairs: table too big");
    lua_pushvalue(L, -1);
    lua_rawseti(L, kArgKeys, ++count);
  }
  return count;
}

// Pushes the iterator's state: a Snapshot and `count` KeyRank in visiting
// order, for the keys at kArgKeys.
void push_snapshot(lua_State* L, lua_Integer list_count, int count) {
  const auto size = static_cast<std::size_t>(count);
  auto* snapshot = static_cast<Snapshot*>(lua_newuserdatauv(L, sizeof(Snapshot) + size * sizeof(KeyRank), 0));
  *snapshot = Snapshot{list_count, count, 0};
  if (count == 0) return;
  KeyRank* ranks = ranks_of(snapshot);
  std::size_t string_bytes = 0;
  for (int slot = 1; slot <= count; ++slot) {
    lua_rawgeti(L, kArgKeys, slot);
    ranks[slot - 1] = rank_of(L, slot);
    string_bytes += ranks[slot - 1].length;
    lua_pop(L, 1);
  }
  lua_Unsigned passes = 0;
  while ((std::size_t{1} << passes) < size) ++passes;
  charge_budget(L, passes * (static_cast<lua_Unsigned>(size) + string_bytes / kKeyBytesPerStep));
  std::sort(ranks, ranks + size, [](const KeyRank& a, const KeyRank& b) { return key_less(a, b); });
}

}  // namespace

int ordered_pairs(lua_State* L) {
  luaL_checkany(L, 1);
  if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
    lua_pushvalue(L, 1);
    lua_callk(L, 1, 3, 0, pass_three_results);
    return 3;
  }
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, kArgKeys);  // the keys table starts as nil
  StepMeter meter;
  const lua_Integer list_count = list_part_length(L, meter);
  const int other_count = collect_other_keys(L, list_count, meter);
  meter.settle(L);

  lua_pushvalue(L, kArgTable);
  lua_pushvalue(L, kArgKeys);
  push_snapshot(L, list_count, other_count);
  lua_pushcclosure(L, ordered_next, 3);
  lua_pushvalue(L, kArgTable);
  lua_pushnil(L);
  return 3;
}

}  // namespace leadtime::lua::detail
