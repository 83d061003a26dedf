#include "client-cli/render_tables.h"

#include <algorithm>
#include <sstream>

#include "client-cli/render_text.h"
#include "engine/text.h"

namespace leadtime::cli {

namespace {

std::string pad(std::string s, std::size_t width) {
  // Count code points, not bytes, so columns line up.
  std::size_t shown = 0;
  for (unsigned char c : s) shown += (c & 0xC0) != 0x80 ? 1 : 0;
  if (shown < width) s.append(width - shown, ' ');
  return s;
}

}  // namespace

std::string seats_table(const GameInfo* game, const GameTokens* tokens) {
  std::ostringstream out;
  std::vector<std::string> seats;
  if (game != nullptr) {
    for (const SeatInfo& s : game->seats) seats.push_back(s.seat);
  }
  if (tokens != nullptr) {
    for (const auto& [seat, _] : tokens->seats) {
      if (std::find(seats.begin(), seats.end(), seat) == seats.end()) seats.push_back(seat);
    }
  }
  out << "  " << pad("seat", 11) << pad("player", 26) << pad("online", 8) << pad("orders", 8) << pad("ready", 7)
      << (tokens ? "token" : "") << "\n";
  for (const std::string& seat : seats) {
    const SeatInfo* info = nullptr;
    if (game != nullptr) {
      for (const SeatInfo& s : game->seats) {
        if (s.seat == seat) info = &s;
      }
    }
    std::string token;
    if (tokens != nullptr) {
      for (const auto& [s, t] : tokens->seats) {
        if (s == seat) token = t;
      }
    }
    // The bot's file name says which bot; its folder rarely matters here.
    std::string player = "?";
    if (info != nullptr) {
      const auto slash = info->bot_path.rfind('/');
      player = !info->bot ? "person" : "bot " + info->bot_path.substr(slash == std::string::npos ? 0 : slash + 1);
    }
    out << "  " << pad(seat, 11) << pad(player.substr(0, 25), 26)
        << pad(info ? std::to_string(info->connected) : "?", 8) << pad(info ? (info->submitted ? "yes" : "-") : "?", 8)
        << pad(info ? (info->ready ? "yes" : "-") : "?", 7)
        << (token.empty() ? (tokens ? "(bot: no token)" : "") : token) << "\n";
  }
  return out.str();
}

std::string games_table(const std::vector<GameInfo>& games, const std::vector<GameTokens>& tokens, SteadyTime now) {
  std::ostringstream out;
  if (games.empty()) return "No games on this server.\n";
  for (const GameInfo& g : games) {
    const GameTokens* t = nullptr;
    for (const auto& x : tokens) {
      if (x.game_id == g.game_id) t = &x;
    }
    out << g.game_id << " · " << g.scenario << " · " << g.round << " of "
        << count_noun(static_cast<std::size_t>(std::max(g.rounds, 0)), "round") << " played · " << g.phase;
    if (g.phase == "orders" && g.has_deadline()) out << " · " << clock(g.seconds_left_at(now)) << " left";
    out << " · seed " << g.seed;
    if (!g.open_seats.empty()) out << " · open seats: " << join(g.open_seats, ", ");
    out << "\n";
    if (t != nullptr) out << "  facilitator token " << t->facilitator << " · observer token " << t->observer << "\n";
    out << seats_table(&g, t);
  }
  return out.str();
}

std::string tokens_text(const GameTokens& t) {
  std::ostringstream out;
  out << "  facilitator  " << t.facilitator << "\n  observer     " << t.observer;
  for (const auto& [seat, token] : t.seats) out << "\n  " << pad(seat, 11) << "  " << token;
  if (t.seats.empty()) out << "\n  (every seat is played by a bot)";
  return out.str();
}

}  // namespace leadtime::cli
