#pragma once

// Non-interactive runs: --exec "cmd; cmd", --file commands.txt, or commands
// piped on stdin. Each command runs in order; the first that fails stops the
// run with exit code 1, its error naming the line it came from.
#include <string>
#include <variant>
#include <vector>

#include "client-cli/session.h"
#include "client-cli/terminal_sink.h"

namespace leadtime::cli {

struct ScriptLine {
  std::string where;  // "--exec", "commands.txt:3", "stdin:2"
  std::string text;
};

std::vector<ScriptLine> script_from_exec(const std::vector<std::string>& exec);
// Blank lines and lines starting with '#' are skipped. "-" reads stdin.
std::variant<std::vector<ScriptLine>, std::string> script_from_file(const std::string& path);

int run_script(Session& session, TerminalSink& sink, const std::vector<ScriptLine>& lines);

}  // namespace leadtime::cli
