#pragma once

#include <map>
#include <memory>
#include <string>

#include "game/tokens.h"
#include "server/app/room.h"

namespace leadtime::server::app {

// The games in memory by id, and by the hash of each of their tokens, so a
// Join finds its game in one look-up however many games the server holds
// (scanning every game's tokens made 10,000 Joins over 1,000 games cost
// seconds under the lobby's lock). The look-up is by the token's hash, a
// digest a guesser cannot choose, and the room then compares it in
// constant time (GameRoom::authenticate). Not thread-safe: the lobby's
// lock guards it.
class RoomIndex {
 public:
  using ById = std::map<std::string, std::shared_ptr<GameRoom>>;

  // Adds the room, or replaces the one of the same id.
  void put(const std::shared_ptr<GameRoom>& room);
  // The room of that id already here, else `room` added.
  std::shared_ptr<GameRoom> put_if_absent(const std::shared_ptr<GameRoom>& room);
  bool erase(const std::string& id);
  [[nodiscard]] bool contains(const std::string& id) const { return by_id_.contains(id); }

  [[nodiscard]] std::shared_ptr<GameRoom> by_token(const TokenHash& token) const;
  [[nodiscard]] std::size_t size() const { return by_id_.size(); }
  [[nodiscard]] ById::const_iterator begin() const { return by_id_.begin(); }
  [[nodiscard]] ById::const_iterator end() const { return by_id_.end(); }

 private:
  void add_tokens(const GameRoom& room);
  void drop_tokens(const GameRoom& room);

  ById by_id_;
  std::map<TokenHash, std::string> game_of_token_;
};

}  // namespace leadtime::server::app
