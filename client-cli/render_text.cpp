#include "client-cli/render_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "client-cli/order_text.h"
#include "client-cli/render_json.h"
#include "client-cli/render_scenario.h"
#include "client-cli/render_tables.h"
#include "engine/text.h"

namespace leadtime::cli {

namespace {

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string pad(std::string s, std::size_t width) {
  // Count code points, not bytes, so charts and dashes line up.
  std::size_t shown = 0;
  for (unsigned char c : s) shown += (c & 0xC0) != 0x80 ? 1 : 0;
  if (shown < width) s.append(width - shown, ' ');
  return s;
}

std::string section(const std::string& title) {
  std::string line = "── " + title + " ";
  const std::size_t shown = static_cast<std::size_t>(
      std::count_if(line.begin(), line.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
  for (std::size_t n = shown; n < 72; ++n) line += "─";
  return line + "\n";
}

// Charts show the last rounds only, so long games keep one line each.
constexpr std::size_t kChartRounds = 16;

std::vector<double> last_rounds(std::vector<double> values) {
  if (values.size() > kChartRounds) values.erase(values.begin(), values.end() - kChartRounds);
  return values;
}

// History of one public figure, oldest first.
template <typename F>
std::vector<double> series(const ClientModel& model, F pick) {
  std::vector<double> out;
  for (const auto& [round, info] : model.rounds) out.push_back(pick(info.indicators));
  return last_rounds(std::move(out));
}

}  // namespace

std::string round_headline(const ClientModel& model) {
  const int total = model.total_rounds();
  const std::string of = total > 0 ? " of " + std::to_string(total) : "";
  if (model.over()) return "The game is over after round " + std::to_string(model.round()) + of;
  const std::string quarter = model.view ? model.view->quarter.str() : model.game ? model.game->quarter : std::string();
  return "Round " + std::to_string(model.round() + 1) + of + (quarter.empty() ? "" : " (" + quarter + ")");
}

namespace {

std::string phase_line(const ClientModel& model, SteadyTime now) {
  std::ostringstream out;
  out << round_headline(model);
  const std::string phase = model.phase();
  if (model.over()) {
  } else if (phase == "lobby") {
    out << " · waiting for the facilitator to start";
  } else if (phase == "paused") {
    out << " · paused";
    if (model.game->has_deadline()) out << " (" << clock(model.game->seconds_left) << " left when resumed)";
  } else if (phase == "orders") {
    out << " · orders open";
    if (model.game->has_deadline())
      out << " · " << clock(model.game->seconds_left_at(now)) << " left";
    else
      out << " · no deadline";
  } else if (phase == "resolving") {
    out << " · resolving the round";
  } else if (!phase.empty()) {
    out << " · " << phase;
  }
  return out.str();
}

std::string self_lines(const ClientModel& model) {
  const Actor& a = *model.self();
  std::ostringstream out;
  std::vector<double> cash;
  for (const auto& [r, v] : model.cash_by_round) cash.push_back(v);
  std::vector<double> score;
  for (const auto& [r, v] : model.score_by_round) score.push_back(v);
  out << "  cash " << pad(money(a.cash_usd_b), 9) << pad(sparkline(last_rounds(cash)), kChartRounds + 2) << "score "
      << fixed(model.view->own_score, 2) << "  " << sparkline(last_rounds(score)) << "\n";
  switch (a.kind) {
    case ActorKind::Government:
      out << "  budget " << money(a.gov.budget_usd_b) << " a quarter · political capital "
          << fixed(a.gov.political_capital, 2);
      if (a.gov.cum_fab_investment_usd_b > 0) out << " · fabs so far " << money(a.gov.cum_fab_investment_usd_b);
      if (a.gov.cum_sovereignty_usd_b > 0) out << " · sovereignty so far " << money(a.gov.cum_sovereignty_usd_b);
      break;
    case ActorKind::Vendor:
      out << "  capacity " << compute(a.vendor.capacity_h100e) << "/quarter (" << percent(a.vendor.capacity_growth)
          << " growth) · sold " << compute(a.vendor.sold_h100e) << " · revenue " << money(a.vendor.revenue_usd_b);
      break;
    case ActorKind::Lab:
      out << "  compute " << compute(a.lab.compute_h100e) << " (+" << compute(a.lab.offshore_h100e)
          << " offshore) · capability " << fixed(a.lab.capability_oom, 2) << " OOM · revenue "
          << money(a.lab.revenue_usd_b);
      if (a.lab.accelerated) out << " · accelerated";
      break;
  }
  out << "\n";
  if (model.round() > 0) out << "  paid " << percent(a.spent.scale) << " of standing spending last round\n";
  out << "  policy: " << policy_text(a, model.actors) << "\n";
  return out.str();
}

std::string indicator_lines(const ClientModel& model, const PublicIndicators& ind) {
  std::ostringstream out;
  const auto lead = series(model, [](const PublicIndicators& i) { return i.lead_months; });
  const auto ratio = series(model, [](const PublicIndicators& i) { return i.compute_ratio_us_cn; });
  out << "  " << pad("lead US over CN", 18) << pad(fixed(ind.lead_months, 1) + " months", 14) << sparkline(lead)
      << "\n";
  out << "  " << pad("compute US/CN", 18) << pad(fixed(ind.compute_ratio_us_cn, 2) + "x", 14) << sparkline(ratio)
      << "\n";
  for (std::size_t m = 0; m < kMarketCount; ++m) {
    std::vector<std::string> shares;
    for (std::size_t s = 0; s < kStackCount; ++s)
      shares.push_back(std::string(kStackNames[s]) + " " + percent(ind.shares[m][s]));
    const auto us = series(model, [m](const PublicIndicators& i) { return i.shares[m][0]; });
    const auto cn = series(model, [m](const PublicIndicators& i) { return i.shares[m][1]; });
    out << "  " << pad(std::string(kMarketNames[m]) + " market " + money(ind.market_size_usd_b[m]), 18)
        << pad(join(shares, " "), 22) << "US " << pad(sparkline(us), kChartRounds + 2) << "CN " << sparkline(cn)
        << "\n";
  }
  out << "  norms " << fixed(ind.norm_index, 2) << " (-1 CN .. 1 US) · surveillance exports "
      << percent(ind.surveillance_exports) << " · thefts "
      << ind.thefts_public
      // All chips stopped this round, at borders and in exposed cases; a
      // case's event counts only that case's.
      << " · seized at borders and in cases " << compute(ind.seized_h100e) << "\n";
  return out.str();
}

std::string others_lines(const View& view) {
  std::ostringstream out;
  for (const Estimate& e : view.others) {
    out << "  " << pad(e.id, 10) << pad(kActorKindNames[static_cast<std::size_t>(e.kind)], 11)
        << pad(kBlocNames[static_cast<std::size_t>(e.bloc)], 4) << "cash ~" << pad(money(e.cash_usd_b), 9);
    if (e.kind == ActorKind::Lab) {
      out << "compute ~" << compute(e.compute_h100e) << ", capability ~" << fixed(e.capability_oom, 1) << " OOM";
    } else if (e.kind == ActorKind::Vendor) {
      out << "capacity ~" << compute(e.capacity_h100e);
    }
    out << " (±" << percent(e.noise_sd) << ")\n";
  }
  return out.str();
}

std::string event_lines(const ClientModel& model, std::size_t max_lines) {
  std::vector<std::string> lines;
  for (const auto& [round, info] : model.rounds) {
    for (const Event& e : info.events) lines.push_back("  [" + info.quarter + "] " + e.kind + ": " + e.text);
  }
  if (lines.empty()) return "  none yet\n";
  std::string out;
  const std::size_t first = lines.size() > max_lines ? lines.size() - max_lines : 0;
  for (std::size_t i = first; i < lines.size(); ++i) out += lines[i] + "\n";
  return out;
}

std::string facilitator_screen(const ClientModel& model, SteadyTime now) {
  std::ostringstream out;
  out << "Game " << model.game_id << (model.game ? " · scenario " + model.game->scenario : "")
      << " · you are the facilitator\n";
  out << phase_line(model, now) << "\n";
  if (model.game) out << seats_table(&*model.game, nullptr);
  if (model.facilitator) {
    const FacilitatorInfo& f = *model.facilitator;
    out << section("Actors (exact)");
    for (std::size_t i = 0; i < f.actors.size(); ++i) {
      const Actor& a = f.actors[i];
      out << "  " << pad(a.id, 10) << "cash " << pad(money(a.cash_usd_b), 9);
      if (a.kind == ActorKind::Lab) out << "capability " << fixed(a.lab.capability_oom, 2) << " OOM  ";
      if (i < f.scores.size()) out << "score " << fixed(f.scores[i], 2);
      out << "\n";
    }
  }
  const RoundInfo* latest = model.rounds.empty() ? nullptr : &model.rounds.rbegin()->second;
  if (latest != nullptr) {
    out << section("Public indicators");
    out << indicator_lines(model, latest->indicators);
  }
  out << section("Events") << event_lines(model, 8);
  out << section("Press") << "  " << count_noun(model.press.size(), "message") << ", " << model.unread()
      << " unread ('inbox' to read)\n";
  return out.str();
}

}  // namespace

std::string sparkline(const std::vector<double>& values) {
  static const char* const kBars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  if (values.empty()) return {};
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  std::string out;
  for (double v : values) {
    int level = 3;
    if (*hi - *lo > 1e-12 * std::max(1.0, std::abs(*hi))) {
      level = static_cast<int>(std::lround((v - *lo) / (*hi - *lo) * 7));
    }
    out += kBars[std::clamp(level, 0, 7)];
  }
  return out;
}

std::string money(double usd_b) {
  if (std::abs(usd_b) >= 1000) return "$" + fixed(usd_b / 1000, 2) + "T";
  if (std::abs(usd_b) >= 10) return "$" + fixed(usd_b, 0) + "B";
  if (std::abs(usd_b) >= 1) return "$" + fixed(usd_b, 1) + "B";
  return "$" + fixed(usd_b, 2) + "B";
}

std::string compute(double h100e) {
  const double a = std::abs(h100e);
  if (a >= 1e6) return fixed(h100e / 1e6, 2) + "M H100e";
  if (a >= 1e3) return fixed(h100e / 1e3, 0) + "k H100e";
  return fixed(h100e, 0) + " H100e";
}

std::string percent(double share) { return fixed(share * 100, 0) + "%"; }

std::string clock(std::int64_t seconds) {
  seconds = std::max<std::int64_t>(0, seconds);
  char buf[32];
  if (seconds >= 3600) {
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(seconds / 3600),
                  static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(seconds / 60),
                  static_cast<long long>(seconds % 60));
  }
  return buf;
}

std::string policy_text(const Actor& self, const State& names) {
  // Only what differs from the defaults, so a seat sees its own choices.
  const json mine = policy_json(self.policy, names);
  const json defaults = policy_json(Policy{}, names);
  std::vector<std::string> parts;
  for (const auto& [key, value] : mine.items()) {
    if (defaults.contains(key) && defaults[key] == value) continue;
    if (value.is_object()) {
      std::vector<std::string> items;
      for (const auto& [k, v] : value.items()) {
        if (defaults[key].contains(k) && defaults[key][k] == v) continue;
        items.push_back(k + " " + v.dump());
      }
      parts.push_back(key + " " + join(items, ", "));
    } else {
      parts.push_back(key + " " + (value.is_string() ? value.get<std::string>() : value.dump()));
    }
  }
  return parts.empty() ? "all defaults" : join(parts, "; ");
}

std::string status_screen(const ClientModel& model, SteadyTime now) {
  if (model.role == Role::Facilitator) return facilitator_screen(model, now);
  std::ostringstream out;
  out << "Game " << (model.game_id.empty() ? "?" : model.game_id);
  if (model.game && !model.game->scenario.empty()) out << " · scenario " << model.game->scenario;
  if (const Actor* a = model.self()) {
    out << " · you are " << a->id << " (" << a->name << ", " << kActorKindNames[static_cast<std::size_t>(a->kind)]
        << ", " << kBlocNames[static_cast<std::size_t>(a->bloc)] << ")";
  } else {
    out << " · " << role_name(model.role);
  }
  out << "\n" << phase_line(model, now) << "\n";
  if (model.role == Role::Seat) {
    out << "Your orders: " << model.draft.size() << " in the draft";
    if (!model.draft.empty()) out << (model.draft.dirty() ? " (not submitted)" : " (submitted)");
    out << " · " << (model.ready ? "ready" : "not ready") << "\n";
  }
  if (!model.view) return out.str() + "(no view from the server yet)\n";
  if (model.self() != nullptr) {
    out << section("You") << self_lines(model);
    if (!model.objectives.empty()) {
      out << "  score = " << score_formula(model.objectives) << " ('objectives' says what each means)\n";
    }
  }
  out << section("Public indicators (history →)") << indicator_lines(model, model.view->indicators);
  if (!model.view->others.empty()) out << section("Others (estimates)") << others_lines(*model.view);
  out << section("Recent events") << event_lines(model, 6);
  out << section("Press") << "  " << model.unread() << " unread of " << model.press.size()
      << (model.unread() > 0 ? " · 'inbox' to read them" : "") << "\n";
  return out.str();
}

std::string prompt_text(const ClientModel& model, SteadyTime now) {
  std::string who = model.role == Role::Seat   ? model.seat
                    : model.role == Role::None ? "leadtime"
                                               : role_name(model.role);
  std::string out = who;
  if (model.role != Role::None) {
    out += " r" + std::to_string(model.over() ? model.round() : model.round() + 1);
    const std::string phase = model.phase();
    if (model.over()) {
      out += " over";
    } else if (phase == "orders" && model.game->has_deadline()) {
      // Whole minutes until the last one, so the prompt is not redrawn
      // every second while someone types.
      const std::int64_t left = model.game->seconds_left_at(now);
      out += " " + (left >= 60 ? std::to_string((left + 59) / 60) + "m" : std::to_string(left) + "s");
    } else if (!phase.empty() && phase != "orders") {
      out += " " + phase;
    }
    if (model.role == Role::Seat && model.ready) out += " ready";
    if (model.unread() > 0) out += " ✉" + std::to_string(model.unread());
  }
  return out + "> ";
}

std::string round_notice(const RoundInfo& r, const std::string& seat, bool command_hints) {
  std::ostringstream out;
  out << "── Round " << r.round << " resolved (" << r.quarter << "): lead " << fixed(r.indicators.lead_months, 1)
      << " months, compute US/CN " << fixed(r.indicators.compute_ratio_us_cn, 2) << "x";
  if (r.events.empty()) out << ", no events";
  for (const Event& e : r.events) {
    out << "\n   "
        << (e.visibility == Visibility::Public
                ? ""
                : "[" + std::string(e.visibility == Visibility::Private ? "private" : "facilitator") + "] ")
        << e.kind << ": " << e.text;
  }
  if (!seat.empty() && command_hints) out << "\n   type 'status' for your new position";
  return out.str();
}

std::string press_line(const PressItem& p, const std::string& my_seat) {
  const std::string from = p.from.empty() ? "facilitator" : p.from == my_seat ? "you" : p.from;
  std::string to = "everyone";
  if (!p.to.empty()) {
    std::vector<std::string> names;
    for (const auto& t : p.to) names.push_back(t == my_seat ? "you" : t);
    to = join(names, ", ");
  }
  return "✉ " + from + " → " + to + ": " + p.text;
}

std::string seat_hand_over_notice(const GameInfo* before, const GameInfo& after, const std::string& seat) {
  if (before == nullptr) return {};
  const auto find = [&seat](const GameInfo& g) -> const SeatInfo* {
    for (const SeatInfo& s : g.seats) {
      if (s.seat == seat) return &s;
    }
    return nullptr;
  };
  const SeatInfo* was = find(*before);
  const SeatInfo* is = find(after);
  if (was == nullptr || is == nullptr || was->bot == is->bot) return {};
  if (is->bot) {
    return "The facilitator handed your seat (" + seat + ") to a bot (" + is->bot_path +
           "): the bot gives its orders now, and yours are refused until the seat is given back";
  }
  return "The facilitator gave your seat (" + seat + ") back to your team: your orders count again";
}

std::string game_change_notice(const GameInfo* before, const GameInfo& after, Role role, SteadyTime now) {
  std::vector<std::string> lines;
  const std::string old_phase = before ? before->phase : "";
  if (after.phase != old_phase) {
    if (after.phase == "orders" && (old_phase == "lobby" || old_phase.empty()) && after.round == 0) {
      lines.push_back("The game has started: round 1 (" + after.quarter + ") is open for orders" +
                      (after.has_deadline() ? ", " + clock(after.seconds_left_at(now)) + " to go" : ""));
    } else if (after.phase == "paused") {
      lines.push_back("The game is paused");
    } else if (after.phase == "orders" && old_phase == "paused") {
      lines.push_back("The game resumes" +
                      (after.has_deadline() ? ": " + clock(after.seconds_left_at(now)) + " left" : std::string()));
    } else if (after.phase == "finished") {
      lines.push_back("The game is over");
    } else if (after.phase == "orders" && before != nullptr) {
      lines.push_back("Round " + std::to_string(after.round + 1) + " (" + after.quarter + ") is open for orders" +
                      (after.has_deadline() ? ", " + clock(after.seconds_left_at(now)) + " to go" : ""));
    }
  } else if (before != nullptr && after.phase == "orders" && after.round == before->round && after.has_deadline()) {
    const std::int64_t was = before->seconds_left_at(now);
    const std::int64_t is = after.seconds_left_at(now);
    if (std::abs(is - was) >= 5) {
      lines.push_back("The deadline moved: " + clock(is) + " left (" + (is > was ? "+" : "-") +
                      clock(std::abs(is - was)) + ")");
    }
  }
  if (before != nullptr && role == Role::Facilitator) {
    for (const SeatInfo& s : after.seats) {
      const auto it =
          std::find_if(before->seats.begin(), before->seats.end(), [&](const SeatInfo& b) { return b.seat == s.seat; });
      if (it == before->seats.end()) continue;
      if (s.bot != it->bot) lines.push_back(s.seat + " is now played by " + (s.bot ? "a bot" : "a person"));
      if (s.connected != it->connected) {
        lines.push_back(s.seat + (s.connected > it->connected ? " connected" : " disconnected") + " (" +
                        std::to_string(s.connected) + " at the seat)");
      }
      if (s.submitted && !it->submitted && after.round == before->round) lines.push_back(s.seat + " submitted orders");
      if (s.ready && !it->ready && after.round == before->round) lines.push_back(s.seat + " is ready");
    }
  }
  return join(lines, "\n");
}

std::string game_end_text(const GameEndInfo& end) {
  std::ostringstream out;
  out << "── Game over" << (end.reason.empty() ? "" : ": " + end.reason);
  std::vector<SeatScore> scores = end.scores;
  std::stable_sort(scores.begin(), scores.end(),
                   [](const SeatScore& a, const SeatScore& b) { return a.score > b.score; });
  for (const SeatScore& s : scores) out << "\n   " << pad(s.seat, 12) << fixed(s.score, 3);
  return out.str();
}

std::string draft_text(const Draft& draft, int round) {
  std::ostringstream out;
  out << "Draft for round " << round + 1 << ": ";
  if (draft.empty()) {
    out << "no orders (your standing policy stays). Add one by typing an action, e.g. 'set_intelligence 1'";
    return out.str();
  }
  out << count_noun(draft.size(), "order")
      << (draft.dirty() ? std::string(", not yet submitted ('submit' sends ") + (draft.size() == 1 ? "it)" : "them)")
                        : std::string(", submitted"));
  for (std::size_t i = 0; i < draft.entries().size(); ++i) {
    const DraftEntry& e = draft.entries()[i];
    const char* mark = e.status == DraftStatus::New ? "  " : e.status == DraftStatus::Submitted ? "✓ " : "✗ ";
    out << "\n  " << i + 1 << ". " << mark << format_order(e.order);
    if (!e.error.empty()) out << "\n       ✗ " << e.error;
  }
  return out.str();
}

std::string submit_text(const Draft& draft, const SubmitResult& result) {
  std::ostringstream out;
  out << "Submitted: " << result.accepted << " accepted";
  if (!result.rejected.empty()) out << ", " << result.rejected.size() << " rejected";
  for (const auto& r : result.rejected) {
    const std::size_t n = static_cast<std::size_t>(r.index) + 1;
    out << "\n  " << n << ". ";
    if (r.index >= 0 && n <= draft.size()) out << format_order(draft.entries()[n - 1].order);
    out << "\n     ✗ " << r.message;
  }
  if (!result.rejected.empty())
    out << "\nFix them with 'edit N ...' or drop them with 'remove N', then 'submit' again.";
  return out.str();
}

std::string inbox_text(const std::vector<const PressItem*>& items, const std::string& my_seat) {
  if (items.empty()) return "No messages.";
  std::string out;
  for (const PressItem* p : items) out += (out.empty() ? "" : "\n") + press_line(*p, my_seat);
  return out;
}

}  // namespace leadtime::cli
