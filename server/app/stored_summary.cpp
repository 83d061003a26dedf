#include "server/app/stored_summary.h"

#include <nlohmann/json.hpp>

namespace leadtime::server::app {

using nlohmann::json;

std::string stored_summary(const Summary& summary) {
  json seats = json::array();
  for (std::size_t i = 0; i < summary.seat_ids.size() && i < summary.status.seats.size(); ++i) {
    const SeatStatus& s = summary.status.seats[i];
    seats.push_back({{"seat", summary.seat_ids[i]}, {"bot", s.bot}, {"bot_path", s.bot_path}});
  }
  return json{{"game_id", summary.game_id},      {"scenario", summary.scenario}, {"round", summary.status.round},
              {"rounds", summary.status.rounds}, {"quarter", summary.quarter},   {"seed", summary.seed},
              {"seats", std::move(seats)}}
      .dump();
}

std::optional<Summary> summary_from_store(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  try {
    Summary out;
    out.game_id = j.at("game_id").get<std::string>();
    out.scenario = j.at("scenario").get<std::string>();
    out.quarter = j.at("quarter").get<std::string>();
    out.seed = j.at("seed").get<std::uint64_t>();
    out.status.phase = Phase::Finished;
    out.status.round = j.at("round").get<int>();
    out.status.rounds = j.at("rounds").get<int>();
    for (const json& seat : j.at("seats")) {
      out.seat_ids.push_back(seat.at("seat").get<std::string>());
      out.status.seats.push_back({seat.at("bot").get<bool>(), seat.at("bot_path").get<std::string>(), false, false});
    }
    out.attendance.connected.assign(out.seat_ids.size(), 0);
    return out;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

}  // namespace leadtime::server::app
