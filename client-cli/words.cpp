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

std::variant<std::vector<std::string>, std::string> split_words(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else if (c == '\\' && quote == '"' && i + 1 < line.size()) {
        word += line[++i];
      } else {
        word += c;
      }
      continue;
    }
    if (blank(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < line.size()) {
      word += line[++i];
      in_word = true;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote != 0) return std::string("unclosed ") + (quote == '"' ? "double" : "single") + " quote";
  if (in_word) words.push_back(std::move(word));
  return words;
}

std::vector<std::string> split_commands(std::string_view line) {
  std::vector<std::string> out;
  char quote = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
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
      if (auto part = trim(line.substr(start, i - start)); !part.empty()) out.push_back(std::move(part));
      start = i + 1;
    }
  }
  if (start <= line.size()) {
    if (auto part = trim(line.substr(start)); !part.empty()) out.push_back(std::move(part));
  }
  return out;
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

std::string quote_word(std::string_view word) {
  bool plain = !word.empty();
  for (char c : word) {
    if (blank(c) || c == '"' || c == '\'' || c == '\\' || c == ';') plain = false;
  }
  if (plain) return std::string(word);
  std::string out = "\"";
  for (char c : word) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
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
