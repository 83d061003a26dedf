#pragma once

// Where the client's outputs go in a terminal or a pipe: text for people
// (errors on stderr when scripted, so stdout stays the result), or one JSON
// object per line with --json. While the line editor owns the terminal,
// output is held and shown by the editor above the line being typed.
#include <mutex>
#include <string>

#include "client-cli/output.h"

namespace leadtime::cli {

struct SinkStyle {
  bool json = false;
  bool errors_to_stderr = true;  // scripts; the interactive client shows errors in place
  bool color = false;
};

class TerminalSink final : public Sink {
 public:
  explicit TerminalSink(SinkStyle style) : style_(style) {}
  void emit(const Output& output) override;

  // Where the next errors come from ("commands.txt:3"), for scripts.
  void set_where(std::string where) { where_ = std::move(where); }
  // Holding: outputs wait in a buffer (the line editor is drawing).
  void hold(bool on) { holding_ = on; }
  [[nodiscard]] bool has_held() const { return !held_.empty(); }
  std::string take_held();
  [[nodiscard]] const SinkStyle& style() const { return style_; }

 private:
  std::string render(const Output& output) const;

  SinkStyle style_;
  std::string where_;
  bool holding_ = false;
  std::string held_;
};

}  // namespace leadtime::cli
