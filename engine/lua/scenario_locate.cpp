// Finds the line of a field in a data file's text, so the scenario check can
// say "scenarios/x.lua:42: actors[3].kind: ..." although Lua keeps no lines
// for table constructors. A small tokenizer walks the table that the file's
// last top-level `return` builds; a file that builds its table some other way
// (in a local, returned later) gets no lines, never wrong ones.
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/lua/scenario_extends.h"

namespace leadtime::scenario_detail {
namespace {

enum class Tok : std::uint8_t { Name, String, Number, Punct, End };

struct Token {
  Tok kind = Tok::End;
  std::string text;  // a name, a string's contents, a number or punctuation
  int line = 1;
};

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  std::vector<Token> tokens() {
    std::vector<Token> out;
    for (;;) {
      skip_space_and_comments();
      if (pos_ >= src_.size()) break;
      out.push_back(next());
    }
    out.push_back({Tok::End, "", line_});
    return out;
  }

 private:
  [[nodiscard]] char at(std::size_t i) const { return i < src_.size() ? src_[i] : '\0'; }

  void advance(std::size_t n = 1) {
    for (std::size_t i = 0; i < n && pos_ < src_.size(); ++i) {
      if (src_[pos_] == '\n') ++line_;
      ++pos_;
    }
  }

  // The level of a long bracket opening at pos_ ("[[" 0, "[==[" 2), if any.
  [[nodiscard]] std::optional<std::size_t> long_bracket() const {
    if (at(pos_) != '[') return std::nullopt;
    std::size_t i = pos_ + 1;
    while (at(i) == '=') ++i;
    if (at(i) != '[') return std::nullopt;
    return i - pos_ - 1;
  }

  std::string skip_long(std::size_t level) {
    advance(level + 2);
    const std::string close = "]" + std::string(level, '=') + "]";
    const std::size_t end = src_.find(close, pos_);
    const std::size_t stop = end == std::string_view::npos ? src_.size() : end;
    std::string text(src_.substr(pos_, stop - pos_));
    advance(stop - pos_);
    advance(close.size());
    return text;
  }

  void skip_space_and_comments() {
    for (;;) {
      while (pos_ < src_.size() && std::isspace(static_cast<unsigned char>(src_[pos_])) != 0) advance();
      if (at(pos_) != '-' || at(pos_ + 1) != '-') return;
      advance(2);
      if (const auto level = long_bracket()) {
        skip_long(*level);
      } else {
        while (pos_ < src_.size() && src_[pos_] != '\n') advance();
      }
    }
  }

  Token next() {
    Token t;
    t.line = line_;
    const char c = src_[pos_];
    if (std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_') {
      t.kind = Tok::Name;
      while (std::isalnum(static_cast<unsigned char>(at(pos_))) != 0 || at(pos_) == '_') t.text += src_[pos_++];
    } else if (std::isdigit(static_cast<unsigned char>(c)) != 0 ||
               (c == '.' && std::isdigit(static_cast<unsigned char>(at(pos_ + 1))) != 0)) {
      t.kind = Tok::Number;
      while (
          std::isalnum(static_cast<unsigned char>(at(pos_))) != 0 || at(pos_) == '.' ||
          ((at(pos_) == '+' || at(pos_) == '-') && std::string_view("eEpP").find(at(pos_ - 1)) != std::string::npos)) {
        t.text += src_[pos_++];
      }
    } else if (c == '"' || c == '\'') {
      t.kind = Tok::String;
      advance();
      while (pos_ < src_.size() && src_[pos_] != c && src_[pos_] != '\n') {
        if (src_[pos_] == '\\') advance();
        if (pos_ < src_.size()) t.text += src_[pos_];
        advance();
      }
      advance();
    } else if (const auto level = long_bracket()) {
      t.kind = Tok::String;
      t.text = skip_long(*level);
    } else {
      t.kind = Tok::Punct;
      t.text = c;
      // Two-character operators, so "==" is never taken for a field's "=".
      const char d = at(pos_ + 1);
      if (d == '=' && std::string_view("=~<>").find(c) != std::string::npos) t.text += d;
      advance(t.text.size());
    }
    return t;
  }

  std::string_view src_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

bool opens_block(const Token& t) {
  return t.kind == Tok::Name && (t.text == "function" || t.text == "if" || t.text == "do" || t.text == "repeat");
}

bool closes_block(const Token& t) { return t.kind == Tok::Name && (t.text == "end" || t.text == "until"); }

bool is_punct(const Token& t, std::string_view p) { return t.kind == Tok::Punct && t.text == p; }

// One step of a field path: a name (`kind`, `2027Q3`) or a list position.
struct Step {
  std::string key;
  std::size_t index = 0;  // 1-based when the step is a position
};

std::optional<std::vector<Step>> parse_path(std::string_view path) {
  std::vector<Step> steps;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '[') {
      const std::size_t close = path.find(']', i);
      if (close == std::string_view::npos || close == i + 1) return std::nullopt;
      Step s;
      for (std::size_t k = i + 1; k < close; ++k) {
        if (std::isdigit(static_cast<unsigned char>(path[k])) == 0) return std::nullopt;
        s.index = s.index * 10 + static_cast<std::size_t>(path[k] - '0');
      }
      steps.push_back(s);
      i = close + 1;
    } else {
      if (path[i] == '.') ++i;
      std::size_t end = i;
      while (end < path.size() && path[end] != '.' && path[end] != '[') ++end;
      if (end == i) return std::nullopt;
      steps.push_back({std::string(path.substr(i, end - i)), 0});
      i = end;
    }
  }
  return steps;
}

class Walker {
 public:
  explicit Walker(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  // The `{` of the table the last top-level `return` gives, if it gives one.
  [[nodiscard]] std::optional<std::size_t> root() const {
    std::optional<std::size_t> found;
    int blocks = 0;
    for (std::size_t i = 0; i < t_.size(); ++i) {
      if (opens_block(t_[i])) ++blocks;
      if (closes_block(t_[i])) --blocks;
      if (blocks == 0 && t_[i].kind == Tok::Name && t_[i].text == "return") {
        found = is_punct(tok(i + 1), "{") ? std::optional<std::size_t>(i + 1) : std::nullopt;
      }
    }
    return found;
  }

  // The line of steps[from..] inside the table opening at `open`; the deepest
  // line found when the path goes further than the text does.
  [[nodiscard]] int find(std::size_t open, const std::vector<Step>& steps, std::size_t from) const {
    if (from == steps.size()) return t_[open].line;
    std::size_t i = open + 1;
    std::size_t position = 0;
    while (!is_punct(tok(i), "}") && tok(i).kind != Tok::End) {
      const std::size_t field = i;
      std::optional<std::string> key;
      std::size_t index = 0;
      if (tok(i).kind == Tok::Name && is_punct(tok(i + 1), "=")) {
        key = tok(i).text;
        i += 2;
      } else if (is_punct(tok(i), "[") && (tok(i + 1).kind == Tok::String || tok(i + 1).kind == Tok::Number) &&
                 is_punct(tok(i + 2), "]") && is_punct(tok(i + 3), "=")) {
        key = tok(i + 1).text;
        i += 4;
      } else {
        index = ++position;
      }
      const Step& step = steps[from];
      const bool match = step.index > 0 ? index == step.index : key == step.key;
      if (match) {
        if (from + 1 == steps.size() || !is_punct(tok(i), "{")) return tok(field).line;
        return find(i, steps, from + 1);
      }
      i = skip_value(i);
      if (is_punct(tok(i), ",") || is_punct(tok(i), ";")) ++i;
    }
    return tok(open).line;
  }

 private:
  // Past the end, the End token.
  [[nodiscard]] const Token& tok(std::size_t i) const { return i < t_.size() ? t_[i] : t_.back(); }

  // The token after an expression: the next `,` `;` or `}` outside brackets
  // and blocks (a hook's function body has its own commas).
  [[nodiscard]] std::size_t skip_value(std::size_t i) const {
    int depth = 0;
    for (; tok(i).kind != Tok::End; ++i) {
      const Token& t = tok(i);
      if (depth == 0 && (is_punct(t, ",") || is_punct(t, ";") || is_punct(t, "}"))) return i;
      if (is_punct(t, "{") || is_punct(t, "(") || is_punct(t, "[") || opens_block(t)) ++depth;
      if (is_punct(t, "}") || is_punct(t, ")") || is_punct(t, "]") || closes_block(t)) --depth;
    }
    return i;
  }

  std::vector<Token> t_;
};

}  // namespace

int locate_field(std::string_view source, std::string_view path) {
  const std::optional<std::vector<Step>> steps = parse_path(path);
  if (!steps) return 0;
  const Walker walker(Lexer(source).tokens());
  const std::optional<std::size_t> root = walker.root();
  if (!root) return 0;
  return walker.find(*root, *steps, 0);
}

}  // namespace leadtime::scenario_detail
