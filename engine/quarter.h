#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace leadtime {

// One round is one quarter; scenarios name their start as "2026Q3".
struct Quarter {
  int year = 2026;
  int q = 1;  // 1..4

  [[nodiscard]] std::string str() const;
  [[nodiscard]] Quarter plus(int quarters) const;
  [[nodiscard]] static std::optional<Quarter> parse(std::string_view text);
  friend bool operator==(const Quarter&, const Quarter&) = default;
};

}  // namespace leadtime
