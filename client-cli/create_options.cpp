#include "client-cli/create_options.h"

#include <charconv>
#include <optional>

#include "client-cli/session.h"
#include "client-cli/suggest.h"
#include "client-cli/words.h"

namespace leadtime::cli {

namespace {

// KEY=VALUE split at the first '='; nullopt for a word without one.
std::optional<std::pair<std::string, std::string>> key_value(const std::string& word) {
  const auto eq = word.find('=');
  if (eq == std::string::npos) return std::nullopt;
  return std::pair{word.substr(0, eq), word.substr(eq + 1)};
}

// handouts= or address=: nullopt when `key` is neither or the value is
// good, else the error.
std::optional<std::string> read_place(const std::string& command, const std::string& key, const std::string& value,
                                      HandoutPlace& place) {
  if (key == "handouts") {
    if (value.empty()) return command + ": expected a folder after handouts=";
    place.dir = value;
  } else if (key == "address") {
    if (value.find(':') == std::string::npos || value.front() == ':' || value.back() == ':') {
      return command + ": expected HOST:PORT after address= (what the handouts tell teams), got '" + value + "'";
    }
    place.address = value;
  }
  return std::nullopt;
}

std::optional<std::string> read_create_option(const std::string& key, const std::string& value, CreateOptions& o) {
  if (key == "seed") {
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), o.seed);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
      return "create: expected a whole number for seed=, got '" + value + "'";
    }
  } else if (key == "deadline") {
    const auto s = parse_seconds(value);
    if (!s) return "create: expected a time for deadline= (300, 90s, 5m, 1h; 0 for none), got '" + value + "'";
    o.deadline_s = *s;
  } else if (key == "people") {
    o.people = split_commas(value);
    if (o.people.empty()) return "create: expected seat ids or 'all' after people=";
  } else if (key == "bot") {
    const auto colon = value.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == value.size()) {
      return "create: expected bot=SEAT:PATH (e.g. bot=us:scripts/bots/us_dealmaker.lua), got 'bot=" + value + "'";
    }
    o.bots.emplace_back(value.substr(0, colon), value.substr(colon + 1));
  } else if (key == "handouts" || key == "address") {
    return read_place("create", key, value, o.place);
  } else {
    return "create: unknown option '" + key + "'" +
           did_you_mean(key, {"seed", "deadline", "people", "bot", "handouts", "address"}) +
           " (options: seed=, deadline=, people=, bot=, handouts=, address=)";
  }
  return std::nullopt;
}

}  // namespace

std::variant<CreateOptions, std::string> parse_create(const std::vector<std::string>& args) {
  CreateOptions o;
  for (const std::string& a : args) {
    const auto kv = key_value(a);
    if (!kv) {
      if (!o.scenario.empty()) return "create: one scenario only, got '" + o.scenario + "' and '" + a + "'";
      o.scenario = a;
      continue;
    }
    if (auto why = read_create_option(kv->first, kv->second, o)) return *why;
  }
  return o;
}

std::variant<BranchOptions, std::string> parse_branch(const std::vector<std::string>& args) {
  BranchOptions o;
  bool have_round = false;
  for (const std::string& a : args) {
    if (const auto kv = key_value(a)) {
      if (kv->first != "handouts" && kv->first != "address") {
        return "branch: unknown option '" + kv->first + "'" + did_you_mean(kv->first, {"handouts", "address"}) +
               " (options: handouts=, address=)";
      }
      if (auto why = read_place("branch", kv->first, kv->second, o.place)) return *why;
      continue;
    }
    const auto round = parse_int(a);
    if (have_round || !round || *round < 0) {
      return "branch: expected the number of rounds to keep, e.g. 'branch 3', got '" + a + "'";
    }
    o.round = static_cast<int>(*round);
    have_round = true;
  }
  if (!have_round) return std::string("branch: expected the number of rounds to keep, e.g. 'branch 3'");
  return o;
}

}  // namespace leadtime::cli
