#pragma once

// The abusive side of the soak: connections that flood past the rate limit,
// send garbage, oversized or lying length prefixes, trickle a byte at a
// time, sit idle, guess tokens, send oversized orders lists and press, or
// join a real seat and try what a seat may not. Each connection's outcome
// is tallied by kind and by the limit the server named when it refused or
// closed it, and compared with what the protocol promises for that kind.
#include "protocol/asio.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/soak/players.h"
#include "bench/soak/soak.h"

namespace leadtime::bench::soak {

enum class AbuseKind {
  Flood,            // past 50 messages/s and the burst of 200: RateLimited, then closed
  Garbage,          // a frame of random bytes: refused by the verifier, closed
  OversizePrefix,   // a length prefix over the 1 MiB cap: BadFrame, closed
  LyingPrefix,      // a prefix of 512 KiB, a few bytes, then silence: closed at the handshake timeout
  Truncated,        // Hello, then half a frame and gone (a client dropping mid-frame)
  Slowloris,        // Hello one byte every half second: closed at the handshake timeout
  Idle,             // connects and says nothing: closed at the handshake timeout
  IdleAfterHello,   // Hello, then nothing: held until the 30-minute idle limit (longer than a run)
  WrongToken,       // Join with made-up tokens: UnknownToken, ever more slowly
  OversizedOrders,  // 500 orders in one SubmitOrders before any Join: NotAuthorised
  Insider,          // joins a real seat, then: 5,000-character press, 500 orders, a facilitator
                    // command, a second Join, press to no such seat; each refused
  BadVersion,       // Hello with protocol version 99: VersionMismatch, closed
  NoHello,          // Join before Hello: BadMessage, closed
};
inline constexpr int kAbuseKinds = 13;
const char* abuse_kind_name(AbuseKind kind);

struct AbuseTally {
  int connections = 0;
  int as_expected = 0;
  int cut_short = 0;                    // still waiting for its limit when the phase ended: proves nothing
  std::map<std::string, int> outcomes;  // "closed after RateLimited (rate limit)", "held open at give-up", ...
  std::vector<std::string> unexpected;  // a few descriptions
  double max_close_s = 0;               // longest a connection of this kind lived
};

struct BurstFigures {
  int attempted = 0;
  int connected = 0;
  int connect_failed = 0;
  int refused = 0;                      // answered with RateLimited and closed
  int held = 0;                         // accepted and left waiting for Hello
  std::map<std::string, int> refusals;  // by the limit named
};

struct AbuseFigures {
  std::map<std::string, AbuseTally> by_kind;
  std::map<std::string, int> errors_by_limit;  // every Error the abusers got, by the limit it names
  int wrong_token_answers = 0;
  double wrong_token_max_delay_ms = 0;
  std::vector<BurstFigures> bursts;  // one per abusive phase that ran one
  [[nodiscard]] int connections() const;
  [[nodiscard]] int unexpected() const;
};

// The limit an Error names, from its code and text: "rate limit",
// "handshake timeout", "frame size cap", ...
std::string limit_of(wire::ErrorCode code, const std::string& text);

// One abuser: abusive connections one after another, from the phase's
// abuse_from to its end. `slots` lend seat tokens to the Insider kind.
// Token guesses come from `guess_from` (another loopback address, as an
// attacker elsewhere would), or from the players' own address if empty (as
// behind one NAT: the server then slows the players' Joins too).
asio::awaitable<void> abuse(int index, PhaseContext& phase, std::vector<std::unique_ptr<Slot>>& slots,
                            AbuseFigures& figures, std::uint64_t seed, std::string guess_from);

// `count` connections at once from 127.0.0.3 (another address than the
// players', so they keep their own per-address allowance): more than the
// server's 1,024 per address are refused with RateLimited. All are closed
// again before it returns.
asio::awaitable<BurstFigures> connection_burst(PhaseContext& phase, int count);

}  // namespace leadtime::bench::soak
