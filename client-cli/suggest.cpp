#include "client-cli/suggest.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "engine/text.h"

namespace leadtime::cli {

namespace {

std::vector<std::string_view> segments(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const std::size_t cut = s.find('_');
    out.push_back(s.substr(0, cut));
    if (cut == std::string_view::npos) break;
    s.remove_prefix(cut + 1);
  }
  return out;
}

// A word of three letters or more, other than the "set" every action starts
// with, that both names share: "sel_price" and set_chip_price share "price".
bool shares_segment(std::string_view word, std::string_view name) {
  for (std::string_view a : segments(word)) {
    if (a.size() < 3 || a == "set") continue;
    for (std::string_view b : segments(name)) {
      if (a == b) return true;
    }
  }
  return false;
}

// (tier, distance), lower is closer; names not plausibly meant get none.
std::optional<std::pair<int, std::size_t>> score(std::string_view word, std::string_view name) {
  if (word.empty()) return std::nullopt;
  const std::size_t d = edit_distance(word, name);
  // Allow about one typo per three letters: at least one, two from five
  // letters on (so "xx" does not suggest every two-letter seat).
  const std::size_t allowed = std::max<std::size_t>(word.size() >= 5 ? 2 : 1, word.size() / 3);
  if (d <= allowed) return std::pair{0, d};
  if (name.starts_with("set_") && edit_distance(word, name.substr(4)) <= allowed) return std::pair{1, d};
  if (word.size() >= 3 && name.find(word) != std::string_view::npos) return std::pair{1, d};
  if (shares_segment(word, name)) return std::pair{1, d};
  return std::nullopt;
}

}  // namespace

std::vector<std::string> closest(std::string_view word, const std::vector<std::string>& names, std::size_t limit) {
  std::vector<std::pair<std::pair<int, std::size_t>, std::string>> ranked;
  for (const std::string& name : names) {
    if (auto s = score(word, name)) ranked.emplace_back(*s, name);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (auto& [rank, name] : ranked) {
    // A clear best typo wins alone ("stauts": status, not seats); fragments
    // are ambiguous by nature, so all of the best kind are offered.
    if (rank.first != ranked.front().first.first) break;
    if (rank.first == 0 && rank.second != ranked.front().first.second) break;
    if (out.size() == limit) break;
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
  }
  return out;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& names) {
  const auto best = closest(word, names);
  if (best.empty()) return {};
  std::string out = "; did you mean " + best[0];
  for (std::size_t i = 1; i < best.size(); ++i) out += (i + 1 == best.size() ? " or " : ", ") + best[i];
  return out + "?";
}

}  // namespace leadtime::cli
