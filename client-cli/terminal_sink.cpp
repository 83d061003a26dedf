#include "client-cli/terminal_sink.h"

#include <cstdio>

namespace leadtime::cli {

std::string TerminalSink::render(const Output& output) const {
  if (style_.json) {
    if (output.json.is_null()) return {};
    nlohmann::json j = output.json;
    if (output.error && !where_.empty()) j["where"] = where_;
    // Invalid UTF-8 from a peer is replaced rather than thrown on.
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  if (output.text.empty()) return {};
  if (output.error) {
    return style_.color ? "\x1b[31m✗ " + output.text + "\x1b[0m\n" : "✗ " + output.text + "\n";
  }
  return output.text + "\n";
}

void TerminalSink::emit(const Output& output) {
  if (output.error && style_.errors_to_stderr && !output.text.empty()) {
    std::fprintf(stderr, "leadtime-cli: %s%s\n", where_.empty() ? "" : (where_ + ": ").c_str(), output.text.c_str());
    std::fflush(stderr);
    if (!style_.json) return;
  }
  const std::string text = render(output);
  if (text.empty()) return;
  if (holding_) {
    held_ += text;
    return;
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

std::string TerminalSink::take_held() {
  std::string out;
  out.swap(held_);
  return out;
}

}  // namespace leadtime::cli
