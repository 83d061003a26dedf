#include "bench/soak/ledger.h"

#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <set>
#include <tuple>

namespace leadtime::bench::soak {

namespace {

using nlohmann::json;

struct CloseDb {
  void operator()(sqlite3* db) const noexcept { sqlite3_close(db); }
};
struct Finalize {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;
using Stmt = std::unique_ptr<sqlite3_stmt, Finalize>;

std::string column_text(sqlite3_stmt* s, int column) {
  const auto* text = sqlite3_column_text(s, column);
  return text != nullptr ? reinterpret_cast<const char*>(text) : "";
}

// What the journal holds, keyed as the ledger's entries are.
struct Stored {
  std::set<std::string> orders;                                      // game|seat|member|orders
  std::set<std::string> press;                                       // game|seat|text
  std::map<std::tuple<std::string, int, std::string>, int> counted;  // (game, seat, kind) -> lines
  std::set<std::string> games;
};

std::string orders_key(const std::string& game, int seat, const std::string& member, const json& orders) {
  return game + "|" + std::to_string(seat) + "|" + member + "|" + orders.dump();
}

std::string press_key(const std::string& game, int seat, const std::string& text) {
  return game + "|" + std::to_string(seat) + "|" + text;
}

// The journal's kind for an acknowledgement counted per game and seat.
const char* counted_kind(Acked::Kind kind) {
  switch (kind) {
    case Acked::Kind::Ready:
      return "ready";
    case Acked::Kind::Extend:
      return "deadline";
    case Acked::Kind::Force:
      return "forced";
    case Acked::Kind::Start:
      return "started";
    default:
      return "";
  }
}

void note_line(Stored& stored, const std::string& game, int seat, const std::string& kind, const std::string& payload) {
  const json args = json::parse(payload, nullptr, false);
  if (args.is_discarded()) return;
  if (kind == "submitted") {
    stored.orders.insert(orders_key(game, seat, args.value("member", ""), args.value("orders", json::array())));
  } else if (kind == "message") {
    stored.press.insert(press_key(game, seat, args.value("text", "")));
  } else if (kind == "ready") {
    if (args.value("ready", false)) ++stored.counted[{game, seat, kind}];
  } else if (kind == "deadline") {
    if (args.value("by", 0) > 0) ++stored.counted[{game, seat, kind}];
  } else {
    ++stored.counted[{game, seat, kind}];
  }
}

std::string read_store(const std::string& path, Stored& stored, JournalCheck& check) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return path + ": " + (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
  sqlite3_busy_timeout(db.get(), 5000);
  const auto query = [&](const char* sql, auto&& row) -> std::string {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db.get(), sql, -1, &s, nullptr) != SQLITE_OK) return path + ": " + sqlite3_errmsg(db.get());
    const Stmt stmt(s);
    int step = SQLITE_ROW;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) row(s);
    if (step != SQLITE_DONE) return path + ": " + sqlite3_errmsg(db.get());
    return "";
  };
  // One read transaction, so both tables are read at the same moment.
  if (auto error = query("BEGIN", [](sqlite3_stmt*) {}); !error.empty()) return error;
  if (auto error = query("SELECT id FROM games",
                         [&](sqlite3_stmt* s) {
                           stored.games.insert(column_text(s, 0));
                           ++check.game_rows;
                         });
      !error.empty()) {
    return error;
  }
  if (auto error = query("SELECT game_id, seat, kind, payload FROM journal",
                         [&](sqlite3_stmt* s) {
                           ++check.journal_rows;
                           note_line(stored, column_text(s, 0), sqlite3_column_int(s, 1), column_text(s, 2),
                                     column_text(s, 3));
                         });
      !error.empty()) {
    return error;
  }
  return query("COMMIT", [](sqlite3_stmt*) {});
}

std::string describe(const Acked& a) {
  std::string out = std::string(kind_name(a.kind)) + " of game " + a.game_id + " seat " + std::to_string(a.seat);
  if (!a.member.empty()) out += " by '" + a.member + "'";
  if (a.kind == Acked::Kind::Orders) out += ": " + a.content.dump();
  out += " (phase " + std::to_string(a.phase + 1) + ")";
  return out;
}

}  // namespace

const char* kind_name(Acked::Kind kind) {
  switch (kind) {
    case Acked::Kind::Orders:
      return "orders";
    case Acked::Kind::Press:
      return "press";
    case Acked::Kind::Ready:
      return "ready";
    case Acked::Kind::Extend:
      return "extend";
    case Acked::Kind::Force:
      return "force";
    case Acked::Kind::Start:
      return "start";
  }
  return "?";
}

void Ledger::append(const Ledger& other) {
  entries_.insert(entries_.end(), other.entries_.begin(), other.entries_.end());
  games_.insert(games_.end(), other.games_.begin(), other.games_.end());
}

int JournalCheck::lost_orders() const {
  const auto it = by_kind.find("orders");
  return it == by_kind.end() ? 0 : it->second.lost;
}

int JournalCheck::lost_total() const {
  int lost = 0;
  for (const auto& [_, k] : by_kind) lost += k.lost;
  return lost;
}

JournalCheck check_journal(const Ledger& ledger, const std::string& db_path, std::string when) {
  JournalCheck check;
  check.when = std::move(when);
  Stored stored;
  const auto started = std::chrono::steady_clock::now();
  check.error = read_store(db_path, stored, check);
  check.read_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (!check.error.empty()) return check;

  const auto lose = [&](const std::string& what) {
    if (check.lost_examples.size() < 10) check.lost_examples.push_back(what);
  };
  // Counted kinds: the acknowledgements per (game, seat, kind), then compared.
  std::map<std::tuple<std::string, int, std::string>, int> acked_counts;
  for (const Acked& a : ledger.entries()) {
    KindCheck& k = check.by_kind[kind_name(a.kind)];
    ++k.acked;
    if (a.kind == Acked::Kind::Orders) {
      if (!stored.orders.contains(orders_key(a.game_id, a.seat, a.member, a.content))) {
        ++k.lost;
        lose(describe(a));
      }
    } else if (a.kind == Acked::Kind::Press) {
      if (!stored.press.contains(press_key(a.game_id, a.seat, a.content.get<std::string>()))) {
        ++k.lost;
        lose(describe(a));
      }
    } else {
      ++acked_counts[{a.game_id, a.seat, counted_kind(a.kind)}];
    }
  }
  for (const auto& [key, acked] : acked_counts) {
    const auto it = stored.counted.find(key);
    const int found = it == stored.counted.end() ? 0 : it->second;
    if (found >= acked) continue;
    const auto& [game, seat, kind] = key;
    std::string name = kind == "deadline" ? "extend" : kind == "forced" ? "force" : kind == "started" ? "start" : kind;
    check.by_kind[name].lost += acked - found;
    lose(std::to_string(acked - found) + " of " + std::to_string(acked) + " acknowledged '" + kind + "' of game " +
         game + " seat " + std::to_string(seat));
  }
  KindCheck& games = check.by_kind["games"];
  for (const std::string& id : ledger.games()) {
    ++games.acked;
    if (!stored.games.contains(id)) {
      ++games.lost;
      lose("game " + id + " (its GameCreated was received)");
    }
  }
  return check;
}

std::set<std::string> finished_games(const std::string& db_path, const std::vector<std::string>& ids) {
  std::set<std::string> out;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(db_path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  const Db db(raw);
  if (rc != SQLITE_OK) return out;
  sqlite3_busy_timeout(db.get(), 5000);
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db.get(), "SELECT finished FROM games WHERE id = ?", -1, &s, nullptr) != SQLITE_OK) return out;
  const Stmt stmt(s);
  for (const std::string& id : ids) {
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, id.c_str(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) != 0) out.insert(id);
  }
  return out;
}

}  // namespace leadtime::bench::soak
