#pragma once

// leadtime-server's offline save-file commands: replay, export, import.
// Each prints what it did to `out`, errors to `err`, and returns the exit
// code (0 done, 1 a check failed, 2 bad input).
#include <iosfwd>
#include <string>

namespace leadtime::server::tools {

int replay_command(const std::string& save_path, std::ostream& out, std::ostream& err);
int export_command(const std::string& db_path, const std::string& game_id, const std::string& save_path,
                   std::ostream& out, std::ostream& err);
int import_command(const std::string& db_path, const std::string& save_path, std::ostream& out, std::ostream& err);

}  // namespace leadtime::server::tools
