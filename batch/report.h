#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "engine/match.h"

namespace leadtime {

// A file a match was played from, with the XXH3-64 of its bytes, so a
// result names exactly which scenario and which bots produced it.
struct FileStamp {
  std::string path;
  std::uint64_t xxh3 = 0;
};

// The stamp of a file, or why it cannot be read.
std::variant<FileStamp, std::string> stamp_file(const std::string& path);

// What played a match: the scenario file, each seat's bot in seat order (no
// stamp: the seat kept its standing orders) and the order line, if any.
struct MatchSources {
  FileStamp scenario;
  std::vector<std::optional<FileStamp>> bots;
  std::optional<FileStamp> orders;
};

// The stamps of a match's files (an empty bot path: no bot); the error
// names a file that cannot be read.
std::variant<MatchSources, std::string> match_sources(const std::string& scenario_path,
                                                      const std::vector<std::string>& bot_paths,
                                                      const std::string& orders_path);

// The per-round outcome table and final scores of a match, for people
// (text), spreadsheets (CSV) and scripts (JSON, with the sources: each
// seat's bot and the scenario by path and hash).
void print_table(std::ostream& out, const Match& match);
void print_csv(std::ostream& out, const Match& match);
void print_json(std::ostream& out, const Match& match, const MatchSources& sources);

}  // namespace leadtime
