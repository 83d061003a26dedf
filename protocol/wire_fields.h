#pragma once

// Engine structs to wire tables and back, by the field tables of
// engine/state_fields.h: every field a table shows on the wire goes to the
// slot of the same name in the struct's wire table (found through flatc's
// mini-reflection, --reflect-names), so convert.cpp and view_from_wire.cpp
// list no field. A field with no slot of its name is not sent;
// tests/protocol/wire_fields_test.cpp checks the schema has a slot of the
// right type and default for every one.
//
// Scalars use the schema's defaults: 0, false, and -1 for actor references
// (fields::Keys::Actor). A reader keeps the engine's default for an array,
// vector or table the sender left out, as the hand-written conversion did.

#include <flatbuffers/flatbuffers.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "engine/container_traits.h"
#include "engine/state_fields.h"
#include "protocol/leadtime_generated.h"
#include "protocol/scalar_vectors.h"

namespace leadtime::protocol::wire_fields {

namespace fb = flatbuffers;

// The wire table of each engine struct the wire carries, and its name in
// leadtime.fbs.
template <typename S>
struct WireOf;
template <>
struct WireOf<Policy> {
  using type = wire::Policy;
  static constexpr const char* name = "Policy";
};
template <>
struct WireOf<Spending> {
  using type = wire::Spending;
  static constexpr const char* name = "Spending";
};
template <>
struct WireOf<GovernmentState> {
  using type = wire::GovernmentState;
  static constexpr const char* name = "GovernmentState";
};
template <>
struct WireOf<VendorState> {
  using type = wire::VendorState;
  static constexpr const char* name = "VendorState";
};
template <>
struct WireOf<LabState> {
  using type = wire::LabState;
  static constexpr const char* name = "LabState";
};
template <>
struct WireOf<Actor> {
  using type = wire::SelfState;
  static constexpr const char* name = "SelfState";
};
template <>
struct WireOf<Estimate> {
  using type = wire::Estimate;
  static constexpr const char* name = "Estimate";
};
// Fields with a group (fields::Options::group) travel in `markets`, one
// MarketIndicator per market in the order of kMarketNames, each naming its
// market in `market`.
template <>
struct WireOf<PublicIndicators> {
  using type = wire::PublicIndicators;
  static constexpr const char* name = "PublicIndicators";
  using group = wire::MarketIndicator;
  static constexpr const char* group_name = "MarketIndicator";
  static constexpr const char* group_field = "markets";
  static constexpr const char* group_key = "market";
};
template <>
struct WireOf<Event> {
  using type = wire::EventMsg;
  static constexpr const char* name = "EventMsg";
};

template <typename S>
concept Grouped = requires {
  typename WireOf<S>::group;
};

// The slot (vtable offset) of the field called `name`; 0 if the table has none.
inline fb::voffset_t find_slot(const fb::TypeTable* table, std::string_view name) {
  for (std::size_t i = 0; i < table->num_elems; ++i) {
    if (name == table->names[i]) return fb::FieldIndexToOffset(static_cast<fb::voffset_t>(i));
  }
  return 0;
}

// The type table of S's group, reached through a function of S's own so
// that clang discards it for S without a group (inside slots()' generic
// lambda it would name WireOf<S>::group for every S).
template <typename S>
const fb::TypeTable* group_table() {
  if constexpr (Grouped<S>) {
    return WireOf<S>::group::MiniReflectTypeTable();
  } else {
    return nullptr;
  }
}

// The slot of each field of S, by table index; 0 for fields the wire does
// not carry.
template <fields::HasTable S>
const std::array<fb::voffset_t, fields::count<S>>& slots() {
  static const std::array<fb::voffset_t, fields::count<S>> found = [] {
    std::array<fb::voffset_t, fields::count<S>> out{};
    fields::for_each<S>([&](auto at) {
      constexpr const auto& f = decltype(at)::field;
      if constexpr ((f.options.shown & fields::kWire) == 0) {
        return;
      } else if constexpr (f.options.group != nullptr) {
        out[at.index] = find_slot(group_table<S>(), f.options.group);
      } else {
        out[at.index] = find_slot(WireOf<S>::type::MiniReflectTypeTable(), f.name);
      }
    });
    return out;
  }();
  return found;
}

template <Grouped S>
fb::voffset_t group_slot() {
  static const fb::voffset_t slot = find_slot(WireOf<S>::type::MiniReflectTypeTable(), WireOf<S>::group_field);
  return slot;
}

template <Grouped S>
fb::voffset_t group_key_slot() {
  static const fb::voffset_t slot = find_slot(WireOf<S>::group::MiniReflectTypeTable(), WireOf<S>::group_key);
  return slot;
}

// How a value is stored: FlatBuffers keeps bools as bytes and enums as
// their underlying type.
template <typename T>
struct StoredAs {
  using type = T;
};
template <>
struct StoredAs<bool> {
  using type = std::uint8_t;
};
template <typename T>
requires std::is_enum_v<T>
struct StoredAs<T> {
  using type = std::underlying_type_t<T>;
};
template <typename T>
using Stored = typename StoredAs<T>::type;

template <typename T>
inline constexpr bool kIsScalar = std::is_arithmetic_v<T> || std::is_enum_v<T>;

template <typename T>
constexpr Stored<T> wire_default(fields::Keys keys) {
  if constexpr (std::is_same_v<T, int>) return keys == fields::Keys::Actor ? kNoActor : 0;
  return Stored<T>{};
}

// --- Writing ------------------------------------------------------------------

template <fields::HasTable S>
fb::Offset<void> write(fb::FlatBufferBuilder& fbb, const S& s);

// The offset of a non-scalar value, built before the table that holds it.
template <typename T>
fb::uoffset_t write_offset(fb::FlatBufferBuilder& fbb, const T& v) {
  if constexpr (std::is_same_v<T, std::string>) {
    return fbb.CreateString(v).o;
  } else if constexpr (kIsArray<T> || kIsVector<T>) {
    using Item = typename T::value_type;
    static_assert(kIsScalar<Item> && !std::is_same_v<Item, bool>, "the wire carries lists of numbers only");
    return fbb.CreateVector(v.data(), v.size()).o;
  } else {
    return write(fbb, v).o;
  }
}

template <Grouped S>
fb::uoffset_t write_markets(fb::FlatBufferBuilder& fbb, const S& s) {
  const auto& slot = slots<S>();
  std::array<fb::Offset<void>, kMarketCount> markets{};
  for (std::size_t m = 0; m < kMarketCount; ++m) {
    std::array<fb::uoffset_t, fields::count<S>> offsets{};
    const auto key = fbb.CreateString(kMarketNames[m]);
    fields::for_each<S>([&](auto at) {
      constexpr const auto& f = decltype(at)::field;
      if constexpr (f.options.group != nullptr) {
        using Item = typename decltype(at)::Type::value_type;
        if constexpr (!kIsScalar<Item>) {
          if (slot[at.index] != 0) offsets[at.index] = write_offset(fbb, (s.*f.member)[m]);
        }
      }
    });
    const auto start = fbb.StartTable();
    fbb.AddOffset(group_key_slot<S>(), key);
    fields::for_each<S>([&](auto at) {
      constexpr const auto& f = decltype(at)::field;
      if constexpr (f.options.group != nullptr) {
        using Item = typename decltype(at)::Type::value_type;
        const fb::voffset_t to = slot[at.index];
        if (to == 0) return;
        if constexpr (kIsScalar<Item>) {
          fbb.AddElement<Stored<Item>>(to, static_cast<Stored<Item>>((s.*f.member)[m]),
                                       wire_default<Item>(f.options.keys));
        } else {
          fbb.AddOffset(to, fb::Offset<void>(offsets[at.index]));
        }
      }
    });
    markets[m] = fb::Offset<void>(fbb.EndTable(start));
  }
  return fbb.CreateVector(markets.data(), markets.size()).o;
}

// S as a table of its wire type. A struct of another actor kind is left out
// (an actor's lab state only for a lab). `extra(fbb)` adds slots the field
// table does not know (offsets it adds must be built before the call).
template <fields::HasTable S, typename Extra>
fb::Offset<void> write(fb::FlatBufferBuilder& fbb, const S& s, Extra&& extra) {
  const auto& slot = slots<S>();
  const unsigned kind = fields::owner_kind_bit(s);
  std::array<fb::uoffset_t, fields::count<S>> offsets{};
  fields::for_each<S>([&](auto at) {
    constexpr const auto& f = decltype(at)::field;
    using T = typename decltype(at)::Type;
    if constexpr ((f.options.shown & fields::kWire) != 0 && f.options.group == nullptr && !kIsScalar<T>) {
      if (slot[at.index] == 0) return;
      if constexpr (fields::HasTable<T>) {
        if ((f.options.kinds & kind) == 0) return;
      }
      offsets[at.index] = write_offset(fbb, s.*f.member);
    }
  });
  fb::uoffset_t markets = 0;
  if constexpr (Grouped<S>) markets = write_markets(fbb, s);
  const auto start = fbb.StartTable();
  fields::for_each<S>([&](auto at) {
    constexpr const auto& f = decltype(at)::field;
    using T = typename decltype(at)::Type;
    if constexpr ((f.options.shown & fields::kWire) != 0 && f.options.group == nullptr) {
      const fb::voffset_t to = slot[at.index];
      if (to == 0) return;
      if constexpr (kIsScalar<T>) {
        fbb.AddElement<Stored<T>>(to, static_cast<Stored<T>>(s.*f.member), wire_default<T>(f.options.keys));
      } else {
        fbb.AddOffset(to, fb::Offset<void>(offsets[at.index]));  // a null offset adds nothing
      }
    }
  });
  if constexpr (Grouped<S>) fbb.AddOffset(group_slot<S>(), fb::Offset<void>(markets));
  extra(fbb);
  return fb::Offset<void>(fbb.EndTable(start));
}

template <fields::HasTable S>
fb::Offset<void> write(fb::FlatBufferBuilder& fbb, const S& s) {
  return write(fbb, s, [](fb::FlatBufferBuilder&) {});
}

// --- Reading ------------------------------------------------------------------

template <fields::HasTable S>
void read(const fb::Table* table, S& out);

template <typename W>
const fb::Table* table_of(const W& message) {
  return reinterpret_cast<const fb::Table*>(&message);  // generated tables are a fb::Table, privately
}

// Reads the value at `slot` of `table` into v.
template <typename T>
void read_value(const fb::Table& table, fb::voffset_t slot, T& v, fields::Keys keys) {
  if constexpr (std::is_same_v<T, bool>) {
    v = table.GetField<std::uint8_t>(slot, 0) != 0;
  } else if constexpr (std::is_enum_v<T>) {
    // An enum value from a newer sender clamps to the last one this build
    // knows, rather than indexing past the engine's name tables.
    const int raw = table.GetField<Stored<T>>(slot, 0);
    v = static_cast<T>(std::min(raw, fields::enum_count<T> - 1));
  } else if constexpr (kIsScalar<T>) {
    v = table.GetField<T>(slot, wire_default<T>(keys));
  } else if constexpr (std::is_same_v<T, std::string>) {
    const auto* text = table.GetPointer<const fb::String*>(slot);
    v = text == nullptr ? std::string() : text->str();
  } else if constexpr (kIsArray<T>) {
    using Item = typename T::value_type;
    const auto* items = table.GetPointer<const fb::Vector<Stored<Item>>*>(slot);
    if (items == nullptr) return;
    const std::size_t n = std::min<std::size_t>(items->size(), v.size());
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<Item>(scalar_at(*items, i));
  } else if constexpr (kIsVector<T>) {
    const auto* items = table.GetPointer<const fb::Vector<Stored<typename T::value_type>>*>(slot);
    if (items != nullptr) {
      const auto stored = scalars_of(*items);
      v.assign(stored.begin(), stored.end());
    }
  } else {
    read(table.GetPointer<const fb::Table*>(slot), v);
  }
}

template <Grouped S>
void read_markets(const fb::Table& table, S& out) {
  const auto& slot = slots<S>();
  const auto* markets = table.GetPointer<const fb::Vector<fb::Offset<fb::Table>>*>(group_slot<S>());
  if (markets == nullptr) return;
  const std::size_t n = std::min<std::size_t>(markets->size(), kMarketCount);
  for (std::size_t m = 0; m < n; ++m) {
    const fb::Table* market = markets->Get(static_cast<fb::uoffset_t>(m));
    if (market == nullptr) continue;
    fields::for_each<S>([&](auto at) {
      constexpr const auto& f = decltype(at)::field;
      if constexpr (f.options.group != nullptr) {
        if (slot[at.index] != 0) {
          read_value(*market, slot[at.index], (out.*f.member)[m], fields::inner_keys(f.options.keys));
        }
      }
    });
  }
}

// Fills `out` from a verified table of S's wire type; a null table leaves
// `out` as it is.
template <fields::HasTable S>
void read(const fb::Table* table, S& out) {
  if (table == nullptr) return;
  const auto& slot = slots<S>();
  fields::for_each<S>([&](auto at) {
    constexpr const auto& f = decltype(at)::field;
    if constexpr ((f.options.shown & fields::kWire) != 0 && f.options.group == nullptr) {
      if (slot[at.index] != 0) read_value(*table, slot[at.index], out.*f.member, f.options.keys);
    }
  });
  if constexpr (Grouped<S>) read_markets(*table, out);
}

}  // namespace leadtime::protocol::wire_fields
