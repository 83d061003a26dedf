#pragma once

// One thing the client shows: a reply, a push from the server, a notice or an
// error, in both renderings. The front end picks one: text for people, JSON
// lines for --json.
#include <nlohmann/json.hpp>

#include <string>

namespace leadtime::cli {

struct Output {
  std::string text;     // for people; may span lines; empty: nothing to say
  nlohmann::json json;  // for --json; null: nothing to say
  bool error = false;

  static Output error_text(std::string text);
  static Output note(std::string text, std::string json_type = "notice");
};

// Where outputs go. Front ends implement it (a terminal, a test).
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void emit(const Output& output) = 0;
};

}  // namespace leadtime::cli
