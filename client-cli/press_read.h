#pragma once

// Which press this user has read, kept in the folder of the saved tokens
// (press_read.json), so a client started again shows as unread only what
// is: rejoining replays the whole press of the game, and without this every
// message would be new again. Kept per server, game, seat (or role) and
// token (so a game that reuses an id on a fresh database starts unread) as
// the highest sequence number this client had seen and the ones below it
// still unread; a message above it arrived while no client was running.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "client-cli/model_types.h"

namespace leadtime::cli {

struct PressReadState {
  std::uint64_t seen = 0;             // the highest sequence number seen
  std::vector<std::uint64_t> unread;  // at or below `seen`, ascending
  friend bool operator==(const PressReadState&, const PressReadState&) = default;
};

// The state of a press list (messages without a sequence number are left out).
PressReadState read_state_of(const std::vector<PressItem>& press);

// Marks read what `state` says was read: at or below `seen` and not unread.
void apply_read_state(const PressReadState& state, std::vector<PressItem>& press);

class PressReadStore {
 public:
  explicit PressReadStore(std::string path) : path_(std::move(path)) {}
  // press_read.json in the folder of a tokens file.
  static std::string beside(const std::string& tokens_path);

  // `who`: the game, the seat or role, and a hash of the token joined with
  // ("g3/us/8f0c...", "g3/facilitator/...").
  [[nodiscard]] std::optional<PressReadState> find(const std::string& server, const std::string& who) const;
  std::optional<std::string> save(const std::string& server, const std::string& who, const PressReadState& state) const;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace leadtime::cli
