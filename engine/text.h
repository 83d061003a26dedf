#pragma once

// Small pure text helpers that several layers had written for themselves
// (numbers in messages, quoted names, case, joined lists) and the words an
// on/off order parameter takes. Pure functions of their arguments: no I/O,
// no locale (the "C" formatting rules, whatever the process's locale).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadtime {

// A number as messages and help show it: printf's %g with `significant`
// digits, which is also how an ostream prints a double by default
// (0.5, 12.3457, 1e+06).
std::string format_number(double v, int significant = 6);

// A number with `decimals` digits after the point: printf's %.Nf (for
// %.1f, decimals 1), without printf's cost in a round's event texts.
std::string format_fixed(double v, int decimals);

// 'text' in single quotes, as errors name what was typed or read.
std::string in_quotes(std::string_view text);

// A word as a command line writes it: as is, or in double quotes (with \"
// and \\) when it is empty or holds a blank, a quote or a ';', so the
// terminal client's split_words() gives it back.
std::string quote_word(std::string_view word);

// ASCII case: ids, bloc and market names are ASCII.
std::string lower(std::string_view text);
std::string upper(std::string_view text);

// items joined by `sep`: join({"a", "b"}, ", ") is "a, b".
std::string join(const std::vector<std::string>& items, std::string_view sep);

// Edit distance with adjacent transpositions (optimal string alignment):
// how many typos apart two names are, for "did you mean ...?".
std::size_t edit_distance(std::string_view a, std::string_view b);

// A count and its noun, singular for one: count_noun(1, "order") is
// "1 order", count_noun(3, "order") "3 orders"; `plural` when it is not
// the noun and an s.
std::string count_noun(std::size_t n, std::string_view noun, std::string_view plural = {});

// The words an on/off (Bool) order parameter takes as text: "on" and "true"
// are true, "off" and "false" are false, in lower case only; anything else
// is no boolean (nullopt). The engine's order validation and every front end
// that reads typed orders use this one list.
std::optional<bool> bool_word(std::string_view word);

}  // namespace leadtime
