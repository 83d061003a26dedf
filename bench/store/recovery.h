#pragma once

// What a restart costs: opening a database that holds many games and
// listing the ones to resume.
#include <cstdint>
#include <string>

namespace leadtime::bench::store {

struct RecoveryShape {
  int finished_games = 1000;
  int unfinished_games = 10;
  int rounds = 10;                    // per game
  int entries = 100;                  // journal entries per game
  std::size_t snapshot_bytes = 4096;  // per round
  std::string scenario_source;        // stored with every game
};

struct RecoveryFigures {
  std::uint64_t file_bytes = 0;
  double build_seconds = 0;
  double open_seconds = 0;             // open(): WAL, quick_check, migrations
  double list_unfinished_seconds = 0;  // games(true)
  double read_unfinished_seconds = 0;  // journal() and rounds() of each
  double list_all_seconds = 0;         // games(false)
  double check_whole_seconds = 0;      // check_whole(): every page
  std::size_t unfinished_listed = 0;
  std::size_t all_listed = 0;
};

// Writes the games once (when the file does not exist yet).
double build_recovery_database(const std::string& path, const RecoveryShape& shape);

// Opens and lists; with `cold`, first asks the kernel to drop the file's
// cached pages (posix_fadvise), so the reads come from the disk.
RecoveryFigures measure_recovery(const std::string& path, bool cold);

}  // namespace leadtime::bench::store
