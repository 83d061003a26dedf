#pragma once

// Tab completion as a pure function of the line typed so far: command and
// action names, an action's parameters and their values (actor ids, markets,
// blocs, on/off), seats, draft numbers and game ids. When a number is
// expected there is nothing to list, so the hint says what is.
#include <string>
#include <string_view>
#include <vector>

#include "client-cli/model.h"

namespace leadtime::cli {

struct Completion {
  std::string word;                     // the partial word being completed
  std::vector<std::string> candidates;  // whole replacements for `word`, sorted
  std::string hint;                     // what is expected, e.g. "tier: 0..3 tier - 0 ban, ..."
};

struct CompletionContext {
  const ClientModel* model = nullptr;
  std::vector<std::string> games;  // game ids with saved tokens
};

Completion complete(std::string_view line_before_cursor, const CompletionContext& context);

// The longest prefix all candidates share.
std::string common_prefix(const std::vector<std::string>& candidates);

}  // namespace leadtime::cli
