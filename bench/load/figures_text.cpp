#include "bench/load/figures_text.h"

#include <fmt/format.h>

#include <functional>
#include <map>
#include <string_view>

namespace leadtime::bench {

namespace {

using Reader = std::function<void(RunFigures&, const std::string&)>;

constexpr std::string_view kByType = "received_by_type.";

// Doubles at full precision, so the parent prints what the child measured.
std::string text(double value) { return fmt::format("{:.17g}", value); }

template <class T>
Reader integer(T RunFigures::*field) {
  return [field](RunFigures& f, const std::string& v) { f.*field = static_cast<T>(std::stoull(v)); };
}

Reader real(double RunFigures::*field) {
  return [field](RunFigures& f, const std::string& v) { f.*field = std::stod(v); };
}

Reader latency(double LatencySummary::*field) {
  return [field](RunFigures& f, const std::string& v) { f.round_trip.*field = std::stod(v); };
}

// Every scalar field by the name it is written under.
const std::map<std::string, Reader, std::less<>>& readers() {
  static const std::map<std::string, Reader, std::less<>> table = {
      {"connections", integer(&RunFigures::connections)},
      {"peak_open", integer(&RunFigures::peak_open)},
      {"open_after_play", integer(&RunFigures::open_after_play)},
      {"setup_s", real(&RunFigures::setup_s)},
      {"play_s", real(&RunFigures::play_s)},
      {"server_cpu_s", real(&RunFigures::server_cpu_s)},
      {"clients_cpu_s", real(&RunFigures::clients_cpu_s)},
      {"frames", integer(&RunFigures::frames)},
      {"round_trip.samples", [](RunFigures& f, const std::string& v) { f.round_trip.samples = std::stoull(v); }},
      {"round_trip.p50_ms", latency(&LatencySummary::p50_ms)},
      {"round_trip.p99_ms", latency(&LatencySummary::p99_ms)},
      {"round_trip.max_ms", latency(&LatencySummary::max_ms)},
      {"rounds_resolved", integer(&RunFigures::rounds_resolved)},
      {"rejected_orders", integer(&RunFigures::rejected_orders)},
      {"failures", integer(&RunFigures::failures)},
      {"timed_out", [](RunFigures& f, const std::string& v) { f.timed_out = v == "1"; }},
      {"first_failure", [](RunFigures& f, const std::string& v) { f.first_failure = v; }},
  };
  return table;
}

// A failure's text on one line: the reader splits lines at newlines.
std::string one_line(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

}  // namespace

void write_figures(std::FILE* out, const RunFigures& f) {
  const auto put = [out](std::string_view name, const std::string& value) {
    fmt::print(out, "{}{} {}\n", kFigureLine, name, value);
  };
  put("connections", std::to_string(f.connections));
  put("peak_open", std::to_string(f.peak_open));
  put("open_after_play", std::to_string(f.open_after_play));
  put("setup_s", text(f.setup_s));
  put("play_s", text(f.play_s));
  put("server_cpu_s", text(f.server_cpu_s));
  put("clients_cpu_s", text(f.clients_cpu_s));
  put("frames", std::to_string(f.frames));
  put("round_trip.samples", std::to_string(f.round_trip.samples));
  put("round_trip.p50_ms", text(f.round_trip.p50_ms));
  put("round_trip.p99_ms", text(f.round_trip.p99_ms));
  put("round_trip.max_ms", text(f.round_trip.max_ms));
  put("rounds_resolved", std::to_string(f.rounds_resolved));
  for (const auto& [name, count] : f.received_by_type) put(std::string(kByType) + name, std::to_string(count));
  put("rejected_orders", std::to_string(f.rejected_orders));
  put("failures", std::to_string(f.failures));
  put("timed_out", f.timed_out ? "1" : "0");
  put("first_failure", one_line(f.first_failure));
  std::fflush(out);
}

bool read_figure(const std::string& line, RunFigures& f) {
  const std::size_t space = line.find(' ');
  const std::string name = line.substr(0, space);
  const std::string value = space == std::string::npos ? std::string() : line.substr(space + 1);
  if (name.starts_with(kByType)) {
    f.received_by_type[name.substr(kByType.size())] = std::stoull(value);
    return true;
  }
  const auto it = readers().find(name);
  if (it == readers().end()) return false;
  it->second(f, value);
  return true;
}

}  // namespace leadtime::bench
