#pragma once

// Seat tokens are secrets the server keeps only as hashes, so the
// facilitator's client is the one place they can be listed again: it saves
// every GameCreated to a file only its user can read (mode 0600 in a 0700
// folder), keyed by server and game.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace leadtime::cli {

struct GameTokens {
  std::string game_id;
  std::string facilitator;
  std::string observer;
  std::vector<std::pair<std::string, std::string>> seats;  // seat id, token
  std::string created;                                     // UTC, ISO 8601
};

class TokenStore {
 public:
  // An empty path means default_path().
  explicit TokenStore(std::string path = {});

  // $XDG_DATA_HOME/leadtime/tokens.json, else ~/.local/share/leadtime/tokens.json.
  static std::string default_path();

  // Adds or replaces a game's tokens; the error says what failed.
  std::optional<std::string> save(const std::string& server, const GameTokens& tokens) const;
  [[nodiscard]] std::optional<GameTokens> find(const std::string& server, const std::string& game_id) const;
  [[nodiscard]] std::vector<GameTokens> games(const std::string& server) const;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace leadtime::cli
