// Writes the fuzz targets' seed corpus (tests/fuzz/corpus/<target>/) and
// dictionaries (tests/fuzz/dict/):
//
//   leadtime-fuzz-seeds tests/fuzz
//
// run from the source root. Every seed is built from real values (encoded
// messages of every type, valid orders for every action, played games'
// save files, the shipped scenarios and bots), so the fuzzers start from
// inputs that reach deep; the output is the same on every run. The Lua
// dictionary holds the scenario format's keys and the catalogue's names.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/catalogue.h"
#include "engine/coefficients.h"
#include "engine/fields.h"
#include "engine/match.h"
#include "engine/metrics.h"
#include "game/save/restore.h"
#include "game/save/save.h"
#include "protocol/convert.h"
#include "tests/fuzz/fuzz_common.h"
#include "tests/fuzz/seed_messages.h"
#include "tests/fuzz/server_input.h"
#include "tests/game/fixed_bots.h"

namespace fs = std::filesystem;
namespace lt = leadtime;
namespace wire = leadtime::wire;
namespace proto = leadtime::protocol;
namespace save = leadtime::game::save;
namespace srv = leadtime::game;
namespace input = leadtime::fuzz::server_input;
using flatbuffers::FlatBufferBuilder;
using leadtime::fuzz::seeds::Bytes;
using leadtime::fuzz::seeds::framed;
using leadtime::fuzz::seeds::kKey;
using leadtime::fuzz::seeds::Messages;
using leadtime::fuzz::seeds::messages;

namespace {

fs::path out_root;
std::size_t written = 0;

void write(const std::string& target, const std::string& name, const Bytes& bytes) {
  const fs::path dir = out_root / "corpus" / target;
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  ++written;
}

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// --- frames --------------------------------------------------------------------

void frames_corpus(const Messages& m) {
  auto stream = [](std::uint8_t cap, std::uint8_t split, const std::vector<Bytes>& payloads, const Bytes& tail = {}) {
    Bytes out{cap, split};
    for (const Bytes& p : payloads) {
      const Bytes f = framed(p);
      out.insert(out.end(), f.begin(), f.end());
    }
    out.insert(out.end(), tail.begin(), tail.end());
    return out;
  };
  std::uint8_t split = 0;
  for (const auto& [name, payload] : m.client) write("frames", "client_" + name, stream(0, split++, {payload}));
  for (const auto& [name, payload] : m.server) write("frames", "server_" + name, stream(0, split++, {payload}));
  std::vector<Bytes> all;
  for (const auto& [name, payload] : m.client) all.push_back(payload);
  write("frames", "many", stream(0, 7, all));
  write("frames", "lying_prefix", stream(0, 3, {m.client[0].second}, {0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3}));
  write("frames", "zero_prefix", stream(0, 4, {m.client[0].second}, {0, 0, 0, 0}));
  write("frames", "truncated", stream(0, 5, {m.client[0].second}, {100, 0, 0, 0, 'L', 'T'}));
  write("frames", "small_cap", stream(4, 6, {m.client[0].second, m.client[1].second}));
}

// --- server ------------------------------------------------------------------

void server_corpus(const Messages& m) {
  using P = input::Prelude;
  auto find = [&m](const std::string& name) -> Bytes {
    for (const auto& [n, b] : m.client) {
      if (n == name) return b;
    }
    for (const auto& [n, b] : m.server) {
      if (n == name) return b;
    }
    std::cerr << "no message " << name << "\n";
    std::exit(1);
  };
  auto prelude = [](P::Role role, bool started, int seat = 0, bool bots = false, bool skip_hello = false) {
    P p;
    p.role = role;
    p.started = started;
    p.seat = seat;
    p.bots = bots;
    p.skip_hello = skip_hello;
    return p;
  };
  auto seed = [&](const std::string& name, const P& p, const std::vector<std::string>& frames) {
    std::vector<Bytes> payloads;
    for (const std::string& f : frames) payloads.push_back(find(f));
    write("server", name, input::make(p, payloads));
  };
  // Before any game: every message a client may send, and the server's own.
  for (const auto& [name, bytes] : m.client)
    write("server", "lobby_" + name, input::make(prelude(P::None, false), {bytes}));
  for (const auto& [name, bytes] : m.server)
    write("server", "lobby_" + name, input::make(prelude(P::None, false), {bytes}));
  seed("no_hello_ready", prelude(P::None, false, 0, false, true), {"ready"});
  seed("no_hello_v2", prelude(P::None, false, 0, false, true), {"hello_v2"});
  seed("no_hello_twice", prelude(P::None, false, 0, false, true), {"hello", "hello"});
  seed("lobby_create_then_list", prelude(P::None, false), {"create_game", "list_games", "create_game_path"});
  // Seats: every action each seat has, ready, press.
  for (int seat = 0; seat < 8; ++seat) {
    write(
        "server", "seat" + std::to_string(seat) + "_orders",
        input::make(prelude(P::Seat, true, seat), {m.orders_per_seat[static_cast<std::size_t>(seat)], find("ready")}));
  }
  seed("seat_mixed", prelude(P::Seat, true, 0), {"submit_mixed", "not_ready", "press", "press_public"});
  seed("seat_lobby", prelude(P::Seat, false, 2), {"submit_orders", "ready", "press"});
  seed("seat_bots", prelude(P::Seat, true, 5, true), {"ready", "not_ready", "press"});
  seed("seat_not_facilitator", prelude(P::Seat, true, 1), {"command_force", "command_export", "join"});
  // The facilitator: every command, alone and in a game's course.
  for (const auto& [name, bytes] : m.client) {
    if (name.starts_with("command_"))
      write("server", "fac_" + name, input::make(prelude(P::Facilitator, true), {bytes}));
  }
  seed("fac_lobby", prelude(P::Facilitator, false), {"command_start", "command_force", "command_pause"});
  seed("fac_course", prelude(P::Facilitator, true),
       {"command_pause", "command_extend", "command_resume", "command_shorten", "command_force", "command_inject",
        "command_force", "command_rollback", "command_branch", "command_export", "press", "command_end"});
  seed("fac_bots", prelude(P::Facilitator, true, 0, true),
       {"command_force", "command_force", "command_swap_to_person", "command_kick", "command_swap_to_bot_path",
        "command_force", "command_export"});
  seed("observer", prelude(P::Observer, true), {"press", "submit_orders", "ready", "command_end"});
  // Raw bytes: a lying length prefix, a zero one, a frame cut short.
  auto raw = [](const Bytes& b) {
    Bytes out(input::kRawMark.begin(), input::kRawMark.end());
    out.insert(out.end(), b.begin(), b.end());
    return out;
  };
  write("server", "raw_lying_prefix",
        input::make(prelude(P::Seat, true), {find("ready"), raw({0xFF, 0xFF, 0xFF, 0x7F, 1, 2})}));
  write("server", "raw_zero_prefix", input::make(prelude(P::None, false), {raw({0, 0, 0, 0})}));
  write("server", "raw_cut_short",
        input::make(prelude(P::Facilitator, true), {find("command_pause"), raw({200, 0, 0, 0, 'L'})}));
  Bytes split = framed(find("ready"));
  write("server", "raw_split",
        input::make(prelude(P::Seat, true),
                    {raw(Bytes(split.begin(), split.begin() + 6)), raw(Bytes(split.begin() + 6, split.end()))}));
  write("server", "garbage", input::make(prelude(P::Seat, true), {bytes_of("not a flatbuffer at all")}));
}

// --- orders ------------------------------------------------------------------

// The bytes fuzz_orders.cpp reads as these drafts from `seat` (one round).
void orders_corpus(const lt::Scenario& scenario) {
  const lt::State& s = scenario.initial;
  const auto catalogue = lt::catalogue();
  for (std::size_t seat = 0; seat < s.actors.size(); ++seat) {
    Bytes b = {1, 0, 0, static_cast<std::uint8_t>(seat)};
    std::vector<std::size_t> actions;
    for (std::size_t a = 0; a < catalogue.size(); ++a) {
      if (lt::action_allowed(catalogue[a], s.actors[seat])) actions.push_back(a);
    }
    const std::size_t n = std::min<std::size_t>(actions.size(), 6);
    b.push_back(static_cast<std::uint8_t>(n));
    for (std::size_t k = 0; k < n; ++k) {
      const lt::ActionSpec& spec = catalogue[actions[(k * 3 + seat) % actions.size()]];
      b.push_back(static_cast<std::uint8_t>(&spec - catalogue.data()));
      for (const lt::ParamSpec& p : spec.params) {
        b.push_back(2);  // present once
        b.push_back(1);  // its own kind
        switch (p.type) {
          case lt::ParamType::Int:
            b.push_back(7);  // the minimum
            break;
          case lt::ParamType::Real:
            b.insert(b.end(), {13, 100});  // inside the range
            break;
          case lt::ParamType::Bool:
            b.insert(b.end(), {0, 1});
            break;
          case lt::ParamType::Market:
          case lt::ParamType::Bloc:
            b.push_back(4);  // "ROW"
            break;
          case lt::ParamType::Actor: {
            std::size_t pick = 0;
            for (std::size_t i = 0; i < s.actors.size(); ++i) {
              if ((p.actor_kinds & lt::kind_bit(s.actors[i].kind)) != 0 && i != seat) pick = i;
            }
            b.push_back(static_cast<std::uint8_t>(20 + pick));  // past the word list: an actor id
            break;
          }
        }
      }
      b.push_back(1);  // no extra parameters
    }
    b.push_back(1);  // undo and play again
    write("orders", "seat" + std::to_string(seat), b);
  }
  write("orders", "nan_and_unknown", {3, 1, 0, 0, 2, 5, 2, 1, 0, 240, 8, 'u', 'n', 'k', 'n', 'o', 'w', 'n', '!'});
}

// --- scenario and bot ----------------------------------------------------------

void text_corpus() {
  const std::string minimal = file_text("tests/lua/data/minimal.lua");
  write("scenario", "2028", bytes_of(file_text("scenarios/2028.lua")));
  write("scenario", "minimal", bytes_of(minimal));
  std::string hooked = minimal;
  hooked.insert(hooked.rfind('}'),
                "  hooks = { on_round = function(info)\n"
                "    if info.round >= 2 and info.shares.ROW.US > 0 then return { 'boom' } end\n"
                "  end },\n");
  write("scenario", "minimal_hooks", bytes_of(hooked));
  for (const char* bad : {"bad_kind", "bad_order", "bad_shares", "out_of_range", "typo_field", "unknown_target"}) {
    write("scenario", bad, bytes_of(file_text(std::string("tests/lua/data/") + bad + ".lua")));
  }
  for (const auto& entry : fs::directory_iterator("scenarios/lines")) {
    write("scenario", "line_" + entry.path().stem().string(), bytes_of("--line\n" + file_text(entry.path().string())));
  }
  for (const char* dir : {"scripts/bots", "tests/bots/data"}) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() != ".lua") continue;
      write("bot", entry.path().stem().string(), bytes_of(file_text(entry.path().string())));
    }
  }
}

// --- save --------------------------------------------------------------------

std::int64_t wall(srv::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

save::SaveData played(const std::shared_ptr<const lt::Scenario>& scenario, bool with_bots) {
  using namespace std::chrono_literals;
  const srv::TimePoint t0 = srv::TimePoint{} + 5000s;
  srv::GameOptions o;
  o.seed = with_bots ? 12 : 99;
  o.deadline = 300s;
  o.bot_seats.assign(scenario->initial.actors.size(), false);
  o.bot_paths.assign(scenario->initial.actors.size(), "");
  srv::Game::BotPlayer bots;
  if (with_bots) {
    o.bot_seats[1] = true;
    o.bot_paths[1] = "scripts/bots/cn_shortcut.lua";
    bots = lt::testing::fixed_bots([](int, const lt::View&, const lt::State&) {
      return std::variant<std::vector<lt::OrderDraft>, std::string>(
          std::vector<lt::OrderDraft>{{"set_smuggling", {{"usd_b", 1.0}}}});
    });
  }
  srv::Game g(with_bots ? "g3" : "g7", scenario, o, bots);
  (void)g.issue_tokens();
  (void)g.start(t0);
  save::SaveData d;
  g.on_round([&d](const lt::Match& match) {
    const lt::RoundRecord& rec = match.history().back();
    d.rounds.push_back({rec.round + 1, rec.quarter.str(), rec.hash, save::snapshot(match)});
  });
  for (int r = 0; r < 3; ++r) {
    const auto t = t0 + std::chrono::seconds(10 * r + 1);
    const lt::OrderDraft tier{"set_export_tier", {{"target", std::string("CN")}, {"tier", double(r)}}};
    (void)g.submit(0, "ann", {tier}, t);
    (void)g.send(0, {1}, "round " + std::to_string(r));
    (void)g.set_ready(0, true, t);
    if (with_bots && r == 1) {
      (void)g.pause(t);
      (void)g.resume(t + 1s);
      (void)g.move_deadline(std::chrono::seconds(60), t + 2s);
    }
    (void)g.force(t + 3s);
  }
  if (with_bots) {
    (void)g.rollback(t0 + 100s);
    (void)g.end();
  }
  d.game = save::row_of(g, "scenarios/2028.lua", file_text("scenarios/2028.lua"), 1234);
  d.game.facilitator_token_hash.clear();
  d.game.observer_token_hash.clear();
  d.game.seat_token_hashes.clear();
  for (const srv::Change& c : g.changes()) d.journal.push_back(save::entry_of(c, wall));
  return d;
}

void save_corpus(const std::shared_ptr<const lt::Scenario>& scenario) {
  for (const bool bots : {false, true}) {
    const Bytes file = save::encode(played(scenario, bots));
    const std::string name = bots ? "bots_rollback" : "three_rounds";
    write("save", name + "_body", Bytes(file.begin() + 32, file.end()));
    if (!bots) write("save", name + "_file", file);
  }
  save::SaveData empty;
  empty.game.id = "g1";
  empty.game.scenario_path = "minimal.lua";
  empty.game.scenario_source = file_text("tests/lua/data/minimal.lua");
  empty.game.seed = 1;
  empty.game.deadline_s = 60;
  const Bytes file = save::encode(empty);
  write("save", "minimal_unplayed_body", Bytes(file.begin() + 32, file.end()));
}

// --- dictionaries ---------------------------------------------------------------

std::string dict_entry(std::string_view word) {
  std::string out = "\"";
  for (const char c : word) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\' || u < 0x20 || u >= 0x7F) {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02X", u);
      out += hex;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

void write_dict(const std::string& name, const std::string& comment, const std::vector<std::string>& words) {
  fs::create_directories(out_root / "dict");
  std::ofstream out(out_root / "dict" / name, std::ios::trunc);
  out << "# " << comment << "\n# Written by leadtime-fuzz-seeds; do not edit.\n";
  std::vector<std::string> sorted = words;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (const std::string& w : sorted) {
    if (!w.empty()) out << dict_entry(w) << "\n";
  }
}

void dictionaries(const lt::Scenario& scenario) {
  std::vector<std::string> lua = {
      // The language, and the sandbox's known escape and denial families.
      "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in", "local", "nil",
      "not", "or", "repeat", "return", "then", "true", "until", "while", "==", "~=", "<=", ">=", "..", "...",
      "::", "[[", "]]", "--[[", "//", "<<", ">>", "#", "0x", "1e308", "math.huge", "-0.0", "0/0", "string.rep",
      "string.format", "string.find", "string.gsub", "string.dump", "string.char", "string.byte", ":rep(",
      "table.concat", "table.insert", "table.sort", "table.unpack", "coroutine.wrap", "coroutine.create",
      "coroutine.resume", "coroutine.yield", "pcall", "xpcall", "error", "setmetatable", "getmetatable", "rawset",
      "rawget", "__gc", "__index", "__newindex", "__call", "__tostring", "__len", "__eq", "__lt", "__close", "__mode",
      "collectgarbage", "load", "require", "dofile", "io.open", "os.execute", "debug.sethook", "math.random",
      "math.randomseed", "tostring", "tonumber", "select", "next", "pairs", "ipairs", "utf8.char",
      // Bots.
      "decide", "init", "on_result", "catalogue", "param", "view", "self", "others", "indicators", "events", "policy",
      "info", "seat",
      // Scenarios and order lines.
      "name", "description", "start", "rounds", "coefficients", "local_preference", "actors", "markets", "hubs",
      "events", "hooks", "on_round", "id", "kind", "bloc", "orders", "objectives", "metric", "weight", "bot",
      "size_usd_b", "growth", "share", "probability", "first", "last", "once", "visibility", "audience", "conditions",
      "effects", "target", "field", "op", "value", "action", "at", "set", "add", "mul", "public", "private",
      "facilitator", "government", "vendor", "lab", "2026Q3", "2027Q1", "2028Q4", "--line"};
  for (const char* b : lt::kBlocNames) lua.emplace_back(b);
  for (const lt::Actor& a : scenario.initial.actors) lua.push_back(a.id);
  for (const lt::ScenarioEvent& e : scenario.events) lua.push_back(e.id);
  for (const lt::ActionSpec& a : lt::catalogue()) {
    lua.emplace_back(a.name);
    for (const lt::ParamSpec& p : a.params) lua.emplace_back(p.name);
  }
  for (const auto& f : lt::actor_fields()) lua.emplace_back(f.name);
  for (const auto& f : lt::market_fields()) lua.emplace_back(f.name);
  for (const auto& f : lt::hub_fields()) lua.emplace_back(f.name);
  for (const auto& f : lt::coefficient_fields()) lua.emplace_back(f.name);
  for (const auto& m : lt::metrics()) lua.emplace_back(m.name);
  write_dict("lua.dict", "Lua scenarios, order lines and bots (targets scenario, bot).", lua);

  std::vector<std::string> server = {std::string(input::kSeparator),
                                     std::string(input::kRawMark),
                                     "LTW1",
                                     kKey,
                                     "scripts/bots/us_hawk.lua",
                                     "scenarios/2028.lua",
                                     "none",
                                     "..",
                                     "/"};
  for (const lt::Actor& a : scenario.initial.actors) server.push_back(a.id);
  for (const lt::ActionSpec& a : lt::catalogue()) server.emplace_back(a.name);
  write_dict("server.dict", "The server target's separators and names (targets server, frames).", server);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " tests/fuzz   (run from the source root)\n";
    return 2;
  }
  out_root = argv[1];
  const auto scenario = leadtime::fuzz::default_scenario();
  const Messages m = messages(*scenario);
  frames_corpus(m);
  server_corpus(m);
  orders_corpus(*scenario);
  text_corpus();
  save_corpus(scenario);
  dictionaries(*scenario);
  std::cout << written << " seeds written under " << (out_root / "corpus").string() << "\n";
  return 0;
}
