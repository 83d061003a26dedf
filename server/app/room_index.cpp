#include "server/app/room_index.h"

namespace leadtime::server::app {

namespace {

template <class Visit>
void for_each_token(const GameRoom& room, Visit visit) {
  const TokenHashes hashes = room.token_hashes();
  visit(hashes.facilitator);
  visit(hashes.observer);
  for (const TokenHash& seat : hashes.seats) visit(seat);
}

}  // namespace

void RoomIndex::put(const std::shared_ptr<GameRoom>& room) {
  erase(room->id());
  by_id_.emplace(room->id(), room);
  add_tokens(*room);
}

std::shared_ptr<GameRoom> RoomIndex::put_if_absent(const std::shared_ptr<GameRoom>& room) {
  const auto [it, added] = by_id_.try_emplace(room->id(), room);
  if (added) add_tokens(*room);
  return it->second;
}

bool RoomIndex::erase(const std::string& id) {
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return false;
  drop_tokens(*it->second);
  by_id_.erase(it);
  return true;
}

std::shared_ptr<GameRoom> RoomIndex::by_token(const TokenHash& token) const {
  const auto game = game_of_token_.find(token);
  if (game == game_of_token_.end()) return nullptr;
  const auto room = by_id_.find(game->second);
  return room == by_id_.end() ? nullptr : room->second;
}

void RoomIndex::add_tokens(const GameRoom& room) {
  for_each_token(room, [&](const TokenHash& t) { game_of_token_[t] = room.id(); });
}

void RoomIndex::drop_tokens(const GameRoom& room) {
  for_each_token(room, [&](const TokenHash& t) {
    const auto it = game_of_token_.find(t);
    if (it != game_of_token_.end() && it->second == room.id()) game_of_token_.erase(it);
  });
}

}  // namespace leadtime::server::app
