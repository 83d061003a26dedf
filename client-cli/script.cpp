#include "client-cli/script.h"

#include <fstream>
#include <iostream>

namespace leadtime::cli {

std::vector<ScriptLine> script_from_exec(const std::vector<std::string>& exec) {
  std::vector<ScriptLine> lines;
  for (const std::string& e : exec) lines.push_back({"--exec", e});
  return lines;
}

std::variant<std::vector<ScriptLine>, std::string> script_from_file(const std::string& path) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path);
    if (!file) return "cannot read command file '" + path + "'";
    in = &file;
  }
  const std::string name = path == "-" ? "stdin" : path;
  std::vector<ScriptLine> lines;
  std::string line;
  for (int n = 1; std::getline(*in, line); ++n) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    lines.push_back({name + ":" + std::to_string(n), line});
  }
  return lines;
}

int run_script(Session& session, TerminalSink& sink, const std::vector<ScriptLine>& lines) {
  for (const ScriptLine& line : lines) {
    sink.set_where(line.where);
    if (!session.run_line(line.text)) return 1;
    if (session.quit_requested()) break;
  }
  sink.set_where({});
  // Anything the server pushed in answer to the last command.
  session.pump(std::chrono::milliseconds(0));
  return 0;
}

}  // namespace leadtime::cli
