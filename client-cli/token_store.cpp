#include "client-cli/token_store.h"

#include <ctime>
#include <nlohmann/json.hpp>

#include "client-cli/data_file.h"

namespace leadtime::cli {

using nlohmann::json;

namespace {

GameTokens from_json(const std::string& game_id, const json& j) {
  GameTokens t;
  t.game_id = game_id;
  t.facilitator = j.value("facilitator", "");
  t.observer = j.value("observer", "");
  t.created = j.value("created", "");
  if (const auto seats = j.find("seats"); seats != j.end() && seats->is_array()) {
    for (const json& s : *seats) t.seats.emplace_back(s.value("seat", ""), s.value("token", ""));
  }
  return t;
}

std::string now_utc() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

TokenStore::TokenStore(std::string path) : path_(path.empty() ? default_path() : std::move(path)) {}

std::string TokenStore::default_path() { return data_path("tokens.json"); }

std::optional<std::string> TokenStore::save(const std::string& server, const GameTokens& tokens) const {
  json all = read_json_object(path_);
  json seats = json::array();
  for (const auto& [seat, token] : tokens.seats) seats.push_back({{"seat", seat}, {"token", token}});
  all["version"] = 1;
  all["servers"][server][tokens.game_id] = {{"facilitator", tokens.facilitator},
                                            {"observer", tokens.observer},
                                            {"seats", seats},
                                            {"created", tokens.created.empty() ? now_utc() : tokens.created}};
  return write_private_json(path_, all);
}

std::optional<GameTokens> TokenStore::find(const std::string& server, const std::string& game_id) const {
  const json all = read_json_object(path_);
  const auto servers = all.find("servers");
  if (servers == all.end() || !servers->contains(server)) return std::nullopt;
  const json& games = (*servers)[server];
  if (!games.contains(game_id)) return std::nullopt;
  return from_json(game_id, games[game_id]);
}

std::vector<GameTokens> TokenStore::games(const std::string& server) const {
  std::vector<GameTokens> out;
  const json all = read_json_object(path_);
  const auto servers = all.find("servers");
  if (servers == all.end() || !servers->contains(server)) return out;
  for (const auto& [id, j] : (*servers)[server].items()) out.push_back(from_json(id, j));
  return out;
}

}  // namespace leadtime::cli
