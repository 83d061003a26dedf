#include "client-cli/words.h"

#include <cctype>
#include <charconv>

namespace leadtime::cli {

namespace {

bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string trim(std::string_view s) {
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

namespace {

// Reads the word starting at or after `pos` (skipping blanks) into `word`;
// false when only blanks are left. `pos` ends just after the word. An
// unclosed quote is an error.
std::variant<bool, std::string> next_word(std::string_view line, std::size_t& pos, std::string& word) {
  word.clear();
  while (pos < line.size() && blank(line[pos])) ++pos;
  if (pos == line.size()) return false;
  char quote = 0;
  for (; pos < line.size(); ++pos) {
    const char c = line[pos];
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else if (c == '\\' && quote == '"' && pos + 1 < line.size()) {
        word += line[++pos];
      } else {
        word += c;
      }
      continue;
    }
    if (blank(c)) break;
    if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '\\' && pos + 1 < line.size()) {
      word += line[++pos];
    } else {
      word += c;
    }
  }
  if (quote != 0) return std::string("unclosed ") + (quote == '"' ? "double" : "single") + " quote";
  return true;
}

// The first word of a command as typed, when a blank or the end of the
// line follows it ("say;" is a command of its own, with no message).
std::string_view head_word(std::string_view command) {
  std::size_t start = 0;
  while (start < command.size() && blank(command[start])) ++start;
  std::size_t end = start;
  while (end < command.size() && !blank(command[end]) && command[end] != ';') ++end;
  if (end < command.size() && command[end] == ';') return {};
  return command.substr(start, end - start);
}

// Calls `part(start, end)` for each command of the line, in order.
template <typename Part>
void for_each_command(std::string_view line, const TakesRest& takes_rest, Part part) {
  char quote = 0;
  std::size_t start = 0;
  bool at_start = true;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (at_start) {
      at_start = false;
      if (const std::string_view head = head_word(line.substr(start));
          takes_rest && !head.empty() && takes_rest(head)) {
        part(start, line.size());
        return;
      }
    }
    const char c = line[i];
    if (quote != 0) {
      if (c == '\\' && quote == '"') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '\\') {
      ++i;
    } else if (c == ';') {
      part(start, i);
      start = i + 1;
      at_start = true;
    }
  }
  part(start, line.size());
}

}  // namespace

std::variant<std::vector<std::string>, std::string> split_words(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  std::size_t pos = 0;
  while (true) {
    auto found = next_word(line, pos, word);
    if (auto* why = std::get_if<std::string>(&found)) return *why;
    if (!std::get<bool>(found)) return words;
    words.push_back(std::move(word));
  }
}

std::variant<std::vector<std::string>, std::string> split_words_then_text(std::string_view command,
                                                                          std::size_t leading) {
  std::vector<std::string> words;
  std::string word;
  std::size_t pos = 0;
  for (std::size_t n = 0; n < leading; ++n) {
    auto found = next_word(command, pos, word);
    if (auto* why = std::get_if<std::string>(&found)) return *why;
    if (!std::get<bool>(found)) return words;
    words.push_back(std::move(word));
  }
  std::string text = trim(command.substr(pos));
  if (text.empty()) return words;
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'')) {
    // One quoted word, and nothing after it: its contents.
    std::size_t end = 0;
    auto split = next_word(text, end, word);
    if (std::holds_alternative<bool>(split) && std::get<bool>(split) && end == text.size() &&
        text.back() == text.front()) {
      text = std::move(word);
    }
  }
  words.push_back(std::move(text));
  return words;
}

std::vector<std::string> split_commands(std::string_view line, const TakesRest& takes_rest) {
  std::vector<std::string> out;
  for_each_command(line, takes_rest, [&](std::size_t start, std::size_t end) {
    if (auto part = trim(line.substr(start, end - start)); !part.empty()) out.push_back(std::move(part));
  });
  return out;
}

std::string_view last_command(std::string_view line, const TakesRest& takes_rest) {
  std::size_t last = 0;
  for_each_command(line, takes_rest, [&](std::size_t start, std::size_t) { last = start; });
  return line.substr(last);
}

std::string_view last_word(std::string_view line) {
  char quote = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (blank(c) || c == ';') {
      start = i + 1;
    }
  }
  return line.substr(start);
}

std::string join_words(const std::vector<std::string>& args, std::size_t from, std::string_view sep) {
  std::string out;
  for (std::size_t i = from; i < args.size(); ++i) out += (i == from ? "" : std::string(sep)) + args[i];
  return out;
}

std::optional<long> parse_int(std::string_view text) {
  long v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    if (auto part = text.substr(0, comma); !part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace leadtime::cli
