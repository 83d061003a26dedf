#pragma once

// What a facilitator hands each team: the seat's token in a file of its own
// (for --token-file) and a printable page with the join command, the
// browser link, the seat's objectives and its briefing. Written when a game
// is created; the token files are secrets, so both are readable only by
// their owner.
#include <string>
#include <variant>
#include <vector>

#include "protocol/scenario_info.h"

namespace leadtime::cli {

struct HandoutSeat {
  std::string seat;  // actor id
  std::string name;  // "United States"; empty when unknown
  std::string token;
  std::string briefing;  // game::seat_briefing() as the server sent it; empty when it did not
  std::vector<protocol::ObjectiveDetails> objectives;
};

struct Handouts {
  std::string game_id;
  std::string scenario;        // its name; empty when unknown
  std::string server_address;  // HOST:PORT (tls://HOST:PORT with TLS) the teams connect to
  std::string web_url;         // the server's browser pages, "" when none
  std::vector<HandoutSeat> seats;
  // The certificate the facilitator's client trusted for this server
  // (--tls-ca), written beside the handouts as server-ca.pem for the join
  // command's --tls-ca; "" when the system's trust store does.
  std::string tls_ca_pem;
};

// "http://host:8080/#token=T": the token in the fragment, which a browser
// never sends to the server, so no log holds it.
std::string browser_link(const std::string& web_url, const std::string& token);
// The pages' address for people elsewhere: a server tells a client on its
// own machine "http://127.0.0.1:8080/", which is no use to the teams; when
// the handouts give a host (`server_address`, HOST:PORT) that is not a
// loopback one, the link takes that host and keeps its scheme and port.
std::string web_url_for(const std::string& web_url, const std::string& server_address);
std::string handout_text(const Handouts& handouts, const HandoutSeat& seat);

// Writes DIR/SEAT.token (the token on one line) and DIR/SEAT-handout.md for
// every seat (and DIR/server-ca.pem when there is one), creating DIR (owner only) if needed; files are mode 0600. The
// paths written, or a sentence naming the file that could not be.
std::variant<std::vector<std::string>, std::string> write_handouts(const std::string& dir, const Handouts& handouts);

}  // namespace leadtime::cli
