#pragma once

// Save files: a game exported to one file (game/save/save.fbs describes
// the format) and read back, refusing a file that is truncated, tampered
// with, or of a format version this build does not read, with a message
// that names what failed.
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "engine/match.h"
#include "server/store/store.h"

namespace leadtime::game::save {

inline constexpr std::uint32_t kFormatVersion = 1;
inline constexpr std::uint32_t kOldestReadable = 1;

struct SaveData {
  server::store::GameRow game;
  std::vector<server::store::JournalEntry> journal;
  std::vector<server::store::RoundRow> rounds;
};

std::vector<std::uint8_t> encode(const SaveData& data);
// The error names what failed: "truncated: ...", "checksum mismatch ...",
// "format version 7 is newer than this build reads (1)".
std::variant<SaveData, std::string> decode(std::span<const std::uint8_t> bytes);

// A round's snapshot (a save.Snapshot buffer) from the match right after it.
std::vector<std::uint8_t> snapshot(const Match& match);

std::variant<std::vector<std::uint8_t>, std::string> read_file(const std::string& path);
std::string write_file(const std::string& path, std::span<const std::uint8_t> bytes);  // "" or the error

}  // namespace leadtime::game::save
