#include "batch/report.h"

#include <xxhash.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/hash.h"
#include "files/files.h"

namespace leadtime {
namespace {

constexpr std::size_t kROW = 3;
constexpr std::size_t kUS = 0;
constexpr std::size_t kCN = 1;

std::string notable(const RoundRecord& r) {
  std::string out;
  for (const Event& e : r.events) {
    if (e.visibility != Visibility::Public) continue;
    out += out.empty() ? e.kind : "," + e.kind;
  }
  return out;
}

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

nlohmann::json stamp_json(const FileStamp& stamp) { return {{"path", stamp.path}, {"xxh3", hash_hex(stamp.xxh3)}}; }

}  // namespace

std::variant<FileStamp, std::string> stamp_file(const std::string& path) {
  const std::optional<std::string> bytes = files::read_file(path);
  if (!bytes) return "cannot read '" + path + "'";
  return FileStamp{path, XXH3_64bits(bytes->data(), bytes->size())};
}

std::variant<MatchSources, std::string> match_sources(const std::string& scenario_path,
                                                      const std::vector<std::string>& bot_paths,
                                                      const std::string& orders_path) {
  MatchSources sources;
  auto scenario = stamp_file(scenario_path);
  if (auto* why = std::get_if<std::string>(&scenario)) return "scenario: " + *why;
  sources.scenario = std::get<FileStamp>(std::move(scenario));
  for (const std::string& path : bot_paths) {
    if (path.empty()) {
      sources.bots.emplace_back();
      continue;
    }
    auto bot = stamp_file(path);
    if (auto* why = std::get_if<std::string>(&bot)) return "bot: " + *why;
    sources.bots.emplace_back(std::get<FileStamp>(std::move(bot)));
  }
  if (!orders_path.empty()) {
    auto orders = stamp_file(orders_path);
    if (auto* why = std::get_if<std::string>(&orders)) return "orders: " + *why;
    sources.orders = std::get<FileStamp>(std::move(orders));
  }
  return sources;
}

void print_table(std::ostream& out, const Match& match) {
  const Scenario& sc = match.scenario();
  out << "Leadtime match: scenario '" << sc.name << "', seed " << match.seed() << "\n\n";
  out << "round  quarter  lead_mo  US:CN  CN_vendor%  smuggled_k  offshore_k  ROW_US  ROW_CN  events\n";
  for (const RoundRecord& r : match.history()) {
    const double share =
        r.flows.us_vendor_output_h100e > 0 ? 100 * r.flows.cn_vendor_output_h100e / r.flows.us_vendor_output_h100e : 0;
    char line[200];
    std::snprintf(line, sizeof line, "%5d  %7s  %7.1f  %5.1f  %10.1f  %10.0f  %10.0f  %6.2f  %6.2f  ", r.round + 1,
                  r.quarter.str().c_str(), r.outcomes.lead_months, r.outcomes.compute_ratio_us_cn, share,
                  r.flows.smuggled_h100e / 1e3, r.flows.offshore_h100e / 1e3, r.outcomes.shares[kROW][kUS],
                  r.outcomes.shares[kROW][kCN]);
    out << line << notable(r) << "\n";
  }
  out << "\nfinal scores\n";
  const State& s = match.state();
  for (std::size_t i = 0; i < s.actors.size(); ++i) {
    out << "  " << s.actors[i].id << std::string(12 - std::min<std::size_t>(11, s.actors[i].id.size()), ' ')
        << fmt("%10.2f", i < s.outcomes.scores.size() ? s.outcomes.scores[i] : 0) << "\n";
  }
  if (!match.history().empty()) out << "\nfinal state hash " << hash_hex(match.history().back().hash) << "\n";
}

void print_csv(std::ostream& out, const Match& match) {
  out << "round,quarter,lead_months,compute_ratio_us_cn,us_compute_h100e,cn_compute_h100e,us_best_oom,cn_best_oom,"
         "cn_vendor_share,smuggled_h100e,seized_h100e,offshore_h100e";
  for (const char* m : kMarketNames) {
    for (const char* s : kStackNames) out << ",share_" << m << "_" << s;
  }
  out << ",norm_index,hash\n";
  for (const RoundRecord& r : match.history()) {
    const double share =
        r.flows.us_vendor_output_h100e > 0 ? r.flows.cn_vendor_output_h100e / r.flows.us_vendor_output_h100e : 0;
    out << r.round + 1 << "," << r.quarter.str() << "," << r.outcomes.lead_months << ","
        << r.outcomes.compute_ratio_us_cn << "," << r.outcomes.compute_h100e[0] << "," << r.outcomes.compute_h100e[1]
        << "," << r.outcomes.best_capability_oom[0] << "," << r.outcomes.best_capability_oom[1] << "," << share << ","
        << r.flows.smuggled_h100e << "," << r.flows.seized_h100e << "," << r.flows.offshore_h100e;
    for (const auto& row : r.outcomes.shares) {
      for (double v : row) out << "," << v;
    }
    out << "," << r.outcomes.norm_index << "," << hash_hex(r.hash) << "\n";
  }
}

void print_json(std::ostream& out, const Match& match, const MatchSources& sources) {
  using nlohmann::json;
  const State& s = match.state();
  json rounds = json::array();
  for (const RoundRecord& r : match.history()) {
    json shares = json::object();
    for (std::size_t m = 0; m < kMarketCount; ++m) {
      for (std::size_t k = 0; k < kStackCount; ++k) shares[kMarketNames[m]][kStackNames[k]] = r.outcomes.shares[m][k];
    }
    json events = json::array();
    for (const Event& e : r.events) {
      if (e.visibility == Visibility::Public) events.push_back({{"kind", e.kind}, {"text", e.text}});
    }
    rounds.push_back({{"round", r.round + 1},
                      {"quarter", r.quarter.str()},
                      {"lead_months", r.outcomes.lead_months},
                      {"compute_ratio_us_cn", r.outcomes.compute_ratio_us_cn},
                      {"us_vendor_output_h100e", r.flows.us_vendor_output_h100e},
                      {"cn_vendor_output_h100e", r.flows.cn_vendor_output_h100e},
                      {"smuggled_h100e", r.flows.smuggled_h100e},
                      {"offshore_h100e", r.flows.offshore_h100e},
                      {"shares", shares},
                      {"norm_index", r.outcomes.norm_index},
                      {"events", events},
                      {"hash", hash_hex(r.hash)}});
  }
  json scores = json::object();
  for (std::size_t i = 0; i < s.actors.size(); ++i) scores[s.actors[i].id] = s.outcomes.scores[i];
  // Who played each seat: a bot's file by path and hash, or null for a seat
  // that kept its standing orders.
  json bots = json::object();
  for (std::size_t i = 0; i < s.actors.size(); ++i) {
    const bool played = i < sources.bots.size() && sources.bots[i];
    bots[s.actors[i].id] = played ? stamp_json(*sources.bots[i]) : json(nullptr);
  }
  json doc = {{"scenario", match.scenario().name},
              {"scenario_file", stamp_json(sources.scenario)},
              {"seed", match.seed()},
              {"bots", bots},
              {"orders_file", sources.orders ? stamp_json(*sources.orders) : json(nullptr)},
              {"rounds", rounds},
              {"scores", scores}};
  out << doc.dump() << "\n";
}

}  // namespace leadtime
