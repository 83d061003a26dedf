#pragma once

// The command line's lexical rules, shared by every mode: blanks separate
// words, "double" or 'single' quotes keep blanks inside one word, a
// backslash escapes the next character, and ';' outside quotes separates
// commands, except that a command whose last argument is a message (`send`,
// `say`) takes the rest of the line as typed, ';' and apostrophes included.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace leadtime::cli {

// The words of one command, or why the line cannot be split ("unclosed quote").
std::variant<std::vector<std::string>, std::string> split_words(std::string_view line);

// Whether a command (by its first word) takes the rest of the line.
using TakesRest = std::function<bool(std::string_view first_word)>;

// The commands of a line, split at ';' outside quotes, each trimmed; empty
// ones dropped. A command for which `takes_rest` holds runs to the end of
// the line.
std::vector<std::string> split_commands(std::string_view line, const TakesRest& takes_rest = {});

// Where the last command of `line` starts (what completion looks at).
std::string_view last_command(std::string_view line, const TakesRest& takes_rest = {});

// The first `leading` words of a command as split_words() gives them, then
// the rest of it after blanks as one more word, as typed: a message. Only a
// rest that is one quoted word loses its quotes ("see you at noon").
std::variant<std::vector<std::string>, std::string> split_words_then_text(std::string_view command,
                                                                          std::size_t leading);

// The word a user is typing at the end of `line` (after the last blank
// outside quotes), for completion.
std::string_view last_word(std::string_view line);

// args[from..] joined by `sep` (a message or a name typed as several words).
std::string join_words(const std::vector<std::string>& args, std::size_t from, std::string_view sep = " ");

// A whole word as a base-10 integer, or nothing if any of it is not.
std::optional<long> parse_int(std::string_view text);

// The non-empty parts of a comma-separated list ("us,cn,,eu" -> us cn eu).
std::vector<std::string> split_commas(std::string_view text);

}  // namespace leadtime::cli
