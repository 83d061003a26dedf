#pragma once

// Every leaf of a value of the state or a view, found through the field
// tables (engine/state_fields.h), a way to change exactly one of them, and a
// list of the leaves a projection shows. A leaf is a number, a flag, a
// string, an enum, one element of a fixed array, or a whole list of scalars;
// structs and lists of structs are walked into. The tests of the hash and of
// each projection change one leaf at a time and check that the output
// changes exactly when the table says the projection shows that leaf.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/container_traits.h"
#include "engine/state_fields.h"
#include "engine/views.h"

namespace leadtime::leaves {

using fields::Keys;

template <typename T>
inline constexpr bool kIsTableList = false;
template <fields::HasTable T>
inline constexpr bool kIsTableList<std::vector<T>> = true;
template <fields::HasTable T>
inline constexpr bool kIsTableList<const std::vector<T>> = true;

inline std::string index(std::size_t i) { return "[" + std::to_string(i) + "]"; }

// Calls visit(path, shown, leaf, keys) for every leaf of `value`, in table
// order. `shown` is the projections (fields::kLua | kJson | kWire) that show
// the leaf: its field's and every enclosing field's `shown`, narrowed by the
// documented rule of fields::Options::kinds.
template <typename T, typename Visit>
void walk(T& value, const std::string& path, unsigned shown, Keys keys, Visit& visit);

template <typename S, typename Visit>
requires fields::HasTable<std::remove_const_t<S>>
void walk_fields(S& s, const std::string& path, unsigned shown, Visit& visit) {
  const unsigned kind = fields::owner_kind_bit(s);
  fields::for_each<std::remove_const_t<S>>([&](auto at) {
    constexpr const auto& f = decltype(at)::field;
    using T = typename decltype(at)::Type;
    unsigned child = shown & f.options.shown;
    if ((f.options.kinds & kind) == 0) child &= fields::HasTable<T> ? 0U : ~fields::kLua;
    walk(s.*f.member, path + "." + f.name, child, f.options.keys, visit);
  });
}

template <typename T, typename Visit>
void walk(T& value, const std::string& path, unsigned shown, Keys keys, Visit& visit) {
  using Plain = std::remove_const_t<T>;
  if constexpr (fields::HasTable<Plain>) {
    walk_fields(value, path, shown, visit);
  } else if constexpr (kIsArray<Plain>) {
    for (std::size_t i = 0; i < value.size(); ++i)
      walk(value[i], path + index(i), shown, fields::inner_keys(keys), visit);
  } else if constexpr (kIsTableList<Plain>) {
    for (std::size_t i = 0; i < value.size(); ++i) walk_fields(value[i], path + index(i), shown, visit);
  } else {
    visit(path, shown, value, keys);
  }
}

// The parts of a view that come from tables; the view's own few fields
// (round, quarter, viewer, score) are checked by hand.
template <typename V, typename Visit>
void walk_view(V& v, Visit& visit) {
  if (v.self) walk(*v.self, "self", fields::kEverywhere, Keys::None, visit);
  for (std::size_t i = 0; i < v.others.size(); ++i)
    walk(v.others[i], "others" + index(i), fields::kEverywhere, Keys::None, visit);
  walk(v.indicators, "indicators", fields::kEverywhere, Keys::None, visit);
  for (std::size_t i = 0; i < v.events.size(); ++i)
    walk(v.events[i], "events" + index(i), fields::kEverywhere, Keys::None, visit);
}

struct Leaf {
  std::string path;
  unsigned shown = 0;
};

// Changes the leaf numbered `target` in walk order; counts the leaves.
// Actor references change to another valid index below `actor_count`, so a
// projection that shows ids shows a different one.
class Changer {
 public:
  Changer(std::size_t target, int actor_count) : target_(target), actors_(actor_count) {}

  template <typename T>
  void operator()(const std::string& path, unsigned shown, T& v, Keys keys) {
    if (next_++ != target_) return;
    changed_ = {path, shown};
    change(v, keys);
  }

  [[nodiscard]] std::size_t count() const { return next_; }
  [[nodiscard]] const Leaf& changed() const { return changed_; }

 private:
  static void change(double& v, Keys /*keys*/) { v += 1.5; }
  static void change(bool& v, Keys /*keys*/) { v = !v; }
  static void change(std::uint64_t& v, Keys /*keys*/) { v += 1; }
  static void change(std::string& v, Keys /*keys*/) { v += "x"; }
  void change(int& v, Keys keys) const {
    if (keys == Keys::Actor) {
      v = v < 0 ? 1 : (v + 1) % actors_;
    } else {
      v += 1;
    }
  }
  static void change(Rng& rng, Keys /*keys*/) {
    auto words = rng.words();
    words[0] ^= 1U;
    rng.set_words(words);
  }
  template <typename E>
  requires std::is_enum_v<E>
  static void change(E& v, Keys /*keys*/) { v = static_cast<E>((static_cast<int>(v) + 1) % fields::enum_count<E>); }
  template <typename T>
  static void change(std::vector<T>& v, Keys /*keys*/) {
    if constexpr (std::is_same_v<T, std::string>) {
      v.push_back("x");
    } else {
      v.push_back(T{2});
    }
  }

  std::size_t target_;
  int actors_;
  std::size_t next_ = 0;
  Leaf changed_;
};

// "path=value" for every leaf a projection shows.
class Describer {
 public:
  explicit Describer(unsigned projection) : projection_(projection) {}

  template <typename T>
  void operator()(const std::string& path, unsigned shown, const T& v, Keys /*keys*/) {
    if ((shown & projection_) != 0) lines_.push_back(path + "=" + text(v));
  }

  [[nodiscard]] const std::vector<std::string>& lines() const { return lines_; }

 private:
  static std::string text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
  }
  static std::string text(bool v) { return v ? "true" : "false"; }
  static std::string text(int v) { return std::to_string(v); }
  static std::string text(std::uint64_t v) { return std::to_string(v); }
  static std::string text(const std::string& v) { return '"' + v + '"'; }
  static std::string text(const Rng& rng) { return text(rng.words()[0]); }
  template <typename E>
  requires std::is_enum_v<E>
  static std::string text(E v) { return std::to_string(static_cast<int>(v)); }
  template <typename T>
  static std::string text(const std::vector<T>& v) {
    std::string out = "{";
    for (const T& x : v) out += text(x) + ",";
    return out + "}";
  }

  unsigned projection_;
  std::vector<std::string> lines_;
};

template <typename T, typename Walk>
std::size_t count_leaves(const T& value, int actor_count, Walk walk_value) {
  T copy = value;
  Changer counter(static_cast<std::size_t>(-1), actor_count);
  walk_value(copy, counter);
  return counter.count();
}

}  // namespace leadtime::leaves
