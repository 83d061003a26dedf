#include "client-cli/token_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace leadtime::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json read_all(const std::string& path) {
  std::ifstream in(path);
  if (!in) return json::object();
  json j = json::parse(in, nullptr, false);
  return j.is_object() ? j : json::object();
}

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

std::string TokenStore::default_path() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    return (fs::path(xdg) / "leadtime" / "tokens.json").string();
  }
  const char* home = std::getenv("HOME");
  return (fs::path(home != nullptr ? home : ".") / ".local" / "share" / "leadtime" / "tokens.json").string();
}

std::optional<std::string> TokenStore::save(const std::string& server, const GameTokens& tokens) const {
  json all = read_all(path_);
  json seats = json::array();
  for (const auto& [seat, token] : tokens.seats) seats.push_back({{"seat", seat}, {"token", token}});
  all["version"] = 1;
  all["servers"][server][tokens.game_id] = {{"facilitator", tokens.facilitator},
                                            {"observer", tokens.observer},
                                            {"seats", seats},
                                            {"created", tokens.created.empty() ? now_utc() : tokens.created}};
  const fs::path p(path_);
  std::error_code ec;
  if (p.has_parent_path() && !fs::exists(p.parent_path())) {
    fs::create_directories(p.parent_path(), ec);
    if (ec) return "cannot create " + p.parent_path().string() + ": " + ec.message();
    fs::permissions(p.parent_path(), fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  // Created 0600 from the start, so the secrets are never readable by others,
  // and renamed into place so a reader never sees half a file.
  const std::string tmp = path_ + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot write " + tmp + ": " + std::strerror(errno);
  ::fchmod(fd, 0600);
  const std::string text = all.dump(2) + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!written) return "cannot write " + tmp;
  fs::rename(tmp, p, ec);
  if (ec) return "cannot replace " + path_ + ": " + ec.message();
  return std::nullopt;
}

std::optional<GameTokens> TokenStore::find(const std::string& server, const std::string& game_id) const {
  const json all = read_all(path_);
  const auto servers = all.find("servers");
  if (servers == all.end() || !servers->contains(server)) return std::nullopt;
  const json& games = (*servers)[server];
  if (!games.contains(game_id)) return std::nullopt;
  return from_json(game_id, games[game_id]);
}

std::vector<GameTokens> TokenStore::games(const std::string& server) const {
  std::vector<GameTokens> out;
  const json all = read_all(path_);
  const auto servers = all.find("servers");
  if (servers == all.end() || !servers->contains(server)) return out;
  for (const auto& [id, j] : (*servers)[server].items()) out.push_back(from_json(id, j));
  return out;
}

}  // namespace leadtime::cli
