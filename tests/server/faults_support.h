#pragma once

// What the fault tests share: replies, orders and ready, a hard drop, the
// gate that holds a round's bots, and reading the facilitator's pushes.
#include <doctest/doctest.h>

#include <sys/socket.h>
#include <nlohmann/json.hpp>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>

#include "batch/headless.h"
#include "engine/lua/scenario_loader.h"
#include "game/save/restore.h"
#include "game/save/save.h"
#include "server/store/store_testing.h"
#include "tests/server/net_client.h"
#include "tests/server/server_process.h"
#include "tests/server/three_teams.h"

using namespace net_testing;
using namespace std::chrono_literals;

namespace faults_testing {

namespace store = lt::server::store;

inline constexpr std::uint64_t kSeed = 23;

inline bool contains(const flatbuffers::String* s, const std::string& part) {
  return s != nullptr && s->str().find(part) != std::string::npos;
}

inline std::string text_of(const wire::Envelope* e) {
  if (e == nullptr || e->message_type() != wire::Message::Error) return {};
  return e->message_as_Error()->text()->str();
}

// The reply to request `rid` (an Ack, an Error or the request's own answer),
// skipping pushes; null if none comes.
inline const wire::Envelope* reply_to(Client& c, std::uint32_t rid) {
  for (int i = 0; i < 200; ++i) {
    const wire::Envelope* e = c.read();
    if (e == nullptr) return nullptr;
    if (e->request_id() == rid) return e;
  }
  return nullptr;
}

inline std::uint32_t send_command(Client& c, wire::Command cmd, const std::string& seat = "", std::uint32_t seconds = 0,
                                  const std::string& bot = "", int round = 0) {
  flatbuffers::FlatBufferBuilder fbb;
  return c.send(fbb, wire::CreateFacilitatorCommandDirect(fbb, cmd, "", seconds, seat.c_str(), "", bot.c_str(), round));
}

inline std::uint32_t send_orders(Client& c, const std::vector<lt::OrderDraft>& orders) {
  flatbuffers::FlatBufferBuilder fbb;
  return c.send(fbb, proto::build_submit_orders(fbb, orders));
}

inline std::uint32_t send_ready(Client& c) {
  flatbuffers::FlatBufferBuilder fbb;
  return c.send(fbb, wire::CreateReady(fbb, true));
}

inline void submit(Client& c, const std::vector<lt::OrderDraft>& orders) {
  const wire::Envelope* e = reply_to(c, send_orders(c, orders));
  REQUIRE(e != nullptr);
  REQUIRE_MESSAGE(e->message_type() == wire::Message::OrdersAccepted, text_of(e));
  CHECK(e->message_as_OrdersAccepted()->rejected()->size() == 0);
}

// Closes the connection with a reset, as a crashed client's system does.
inline void drop_hard(std::unique_ptr<Client>& c) {
  linger l{1, 0};
  ::setsockopt(c->socket.native_handle(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
  c.reset();
}

// Holds every round's bots before they decide until released, so a test
// can act while the round is resolving (ServerOptions::testing_before_bots).
struct BotGate {
  std::mutex mutex;
  std::condition_variable changed;
  bool open = true;
  int waiting = 0;
  int passed = 0;

  void close() {
    const std::lock_guard lock(mutex);
    open = false;
  }
  void release() {
    const std::lock_guard lock(mutex);
    open = true;
    changed.notify_all();
  }
  void pass() {
    std::unique_lock lock(mutex);
    ++waiting;
    changed.notify_all();
    // Bounded, so a failing test cannot hang the bot pool for ever.
    changed.wait_for(lock, 30s, [this] { return open; });
    --waiting;
    ++passed;
  }
  // True once `n` rounds' bots are held.
  bool held(int n) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, 10s, [&] { return waiting >= n; });
  }
  int rounds_passed() {
    const std::lock_guard lock(mutex);
    return passed;
  }
  std::function<void(const std::string&)> hook() {
    return [this](const std::string&) { pass(); };
  }
};

// Releases the gate before the server (declared before this) goes down.
struct ReleaseOnExit {
  BotGate& gate;
  ~ReleaseOnExit() { gate.release(); }
};

// The seat's orders in a FacilitatorView.
inline const wire::SeatOrders* seat_orders(const wire::FacilitatorView* fv, const std::string& seat) {
  for (const auto* s : *fv->orders()) {
    if (s->seat()->str() == seat) return s;
  }
  return nullptr;
}

// Reads the facilitator's pushes up to the FacilitatorView after round
// `round`; returns the round's hash and its events' kinds and texts.
struct Seen {
  std::uint64_t hash = 0;
  std::vector<std::string> faults;  // bot_fault texts
  std::size_t seat_orders = 0;      // orders the watched seat played
};
inline Seen until_view(Client& fac, int round, const std::string& seat) {
  Seen seen;
  bool result = false;
  for (int i = 0; i < 200; ++i) {
    const wire::Envelope* e = fac.read();
    REQUIRE(e != nullptr);
    if (e->message_type() == wire::Message::RoundResult && e->message_as_RoundResult()->round() == round) {
      result = true;
      seen.hash = e->message_as_RoundResult()->hash();
      for (const auto* ev : *e->message_as_RoundResult()->events()) {
        if (ev->kind()->str() == "bot_fault") seen.faults.push_back(ev->text()->str());
      }
    }
    if (result && e->message_type() == wire::Message::FacilitatorView) {
      const wire::SeatOrders* played = seat_orders(e->message_as_FacilitatorView(), seat);
      REQUIRE(played != nullptr);
      seen.seat_orders = played->orders() ? played->orders()->size() : 0;
      return seen;
    }
  }
  FAIL("no result for round " << round);
  return seen;
}

// The hash of round `round` from the RoundResult pushes `c` gets (earlier
// rounds' results, sent on joining, are skipped).
inline std::uint64_t result_of(Client& c, int round) {
  for (int i = 0; i < 50; ++i) {
    const wire::Envelope* e = c.read_until(wire::Message::RoundResult);
    REQUIRE(e != nullptr);
    if (e->message_as_RoundResult()->round() == round) return e->message_as_RoundResult()->hash();
  }
  FAIL("no result for round " << round);
  return 0;
}

// The rounds a game's records on disk replay to (the journal must replay
// cleanly, every round's hash checked against the recorded one).
inline std::vector<std::uint64_t> replayed_from_disk(store::Store& db, const std::string& game_id) {
  const auto row = db.game(game_id);
  REQUIRE(row);
  lt::game::ReplayHooks hooks;
  const auto rebuilt = lt::game::save::rebuild(*row, db.journal(game_id), hooks);
  REQUIRE_MESSAGE(rebuilt.error.empty(), rebuilt.error);
  std::vector<std::uint64_t> out;
  for (const auto& r : rebuilt.game->match().history()) out.push_back(r.hash);
  return out;
}

// Every seq from 1 up, with no hole.
inline bool journal_whole(store::Store& db, const std::string& game_id) {
  std::uint64_t expected = 1;
  for (const auto& e : db.journal(game_id)) {
    if (e.seq != expected++) return false;
  }
  return true;
}

// The error a request got, or "" if it was answered otherwise.
inline std::string error_reply(Client& c, std::uint32_t rid) {
  const wire::Envelope* e = reply_to(c, rid);
  REQUIRE(e != nullptr);
  return text_of(e);
}

}  // namespace faults_testing
