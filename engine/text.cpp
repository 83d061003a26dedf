#include "engine/text.h"

#include <algorithm>
#include <charconv>
#include <numeric>

namespace leadtime {

std::string format_number(double v, int significant) {
  // std::to_chars is printf's %g in the "C" locale, whatever the process's.
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, significant);
  return std::string(buf, result.ptr);
}

std::string format_fixed(double v, int decimals) {
  // std::to_chars is printf's %.Nf in the "C" locale; the largest double
  // has 309 digits before the point.
  char buf[320 + 20];
  const auto result = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  return std::string(buf, result.ptr);
}

// Appended piece by piece: GCC 12 warns falsely (-Wrestrict) about
// "'" + std::string(...) when optimising.
std::string in_quotes(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  out += text;
  out += '\'';
  return out;
}

std::string quote_word(std::string_view word) {
  const auto special = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '\'' || c == '\\' || c == ';';
  };
  if (!word.empty() && std::none_of(word.begin(), word.end(), special)) return std::string(word);
  std::string out = "\"";
  for (char c : word) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  // Three rows suffice for the transposition rule.
  std::vector<std::size_t> before(m + 1), prev(m + 1), cur(m + 1);
  std::iota(prev.begin(), prev.end(), std::size_t{0});
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], before[j - 2] + 1);
    }
    before = prev;
    prev = cur;
  }
  return prev[m];
}

std::string count_noun(std::size_t n, std::string_view noun, std::string_view plural) {
  std::string out = std::to_string(n) + " ";
  if (n == 1) return out + std::string(noun);
  return out + (plural.empty() ? std::string(noun) + "s" : std::string(plural));
}

std::optional<bool> bool_word(std::string_view word) {
  if (word == "on" || word == "true") return true;
  if (word == "off" || word == "false") return false;
  return std::nullopt;
}

}  // namespace leadtime
