#pragma once

// The command line's lexical rules, shared by every mode: blanks separate
// words, "double" or 'single' quotes keep blanks inside one word, a
// backslash escapes the next character, and ';' outside quotes separates
// commands.
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace leadtime::cli {

// The words of one command, or why the line cannot be split ("unclosed quote").
std::variant<std::vector<std::string>, std::string> split_words(std::string_view line);

// The commands of a line, split at ';' outside quotes, each trimmed; empty
// ones dropped.
std::vector<std::string> split_commands(std::string_view line);

// The word a user is typing at the end of `line` (after the last blank
// outside quotes), for completion.
std::string_view last_word(std::string_view line);

// Quotes a word if it needs it, so split_words() gives it back.
std::string quote_word(std::string_view word);

// args[from..] joined by `sep` (a message or a name typed as several words).
std::string join_words(const std::vector<std::string>& args, std::size_t from, std::string_view sep = " ");

// A whole word as a base-10 integer, or nothing if any of it is not.
std::optional<long> parse_int(std::string_view text);

// The non-empty parts of a comma-separated list ("us,cn,,eu" -> us cn eu).
std::vector<std::string> split_commas(std::string_view text);

}  // namespace leadtime::cli
