#pragma once

// One connection of a soak client: a bench::Link (bench/load/link.h) with a
// reader coroutine that takes every frame as it comes, so a client can wait
// for a reply, a round or the end of its phase while pushes keep arriving.
// The clients run on one thread, so a connection's coroutines need no
// strand. A Conn is closed and its reader finished before it is destroyed;
// a Link cannot reconnect, so each reconnection is a new Conn.
//
// GCC 12.2 miscompiles coroutines in two ways that bit this program: a
// co_await inside a condition ("if (!co_await x) co_return; co_await y;"
// crashes: a 20-line asio program shows it), and temporaries with
// destructors inside a co_await expression (lambdas with captures, strings,
// frames built in the argument list) are known to. So every co_await here is
// a statement of its own or initialises a named value, the coroutines take
// references, and every caller names what it passes first.

#include "protocol/asio.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "bench/load/link.h"
#include "protocol/convert.h"

namespace leadtime::bench::soak {

using SoakClock = std::chrono::steady_clock;

class Conn {
 public:
  Conn(asio::io_context& io, ConnectionGauge& gauge);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  [[nodiscard]] Link& link() { return *link_; }

  // Connects and starts the reader. False when refused.
  asio::awaitable<bool> connect(const asio::ip::tcp::endpoint& server);
  // Connect, Hello, Welcome. False on any failure (`error()` says which).
  asio::awaitable<bool> open(const asio::ip::tcp::endpoint& server, const std::string& client_name,
                             SoakClock::time_point give_up);

  // Sends a request and waits for the envelope with its request id: the
  // answer or an Error. nullopt when the connection closed or `give_up` came.
  asio::awaitable<std::optional<Received>> request(const Frame& frame, std::uint32_t rid,
                                                   SoakClock::time_point give_up);
  // Sends bytes without waiting for anything; false when the send failed.
  asio::awaitable<bool> send(const Frame& frame);
  // Waits until `done()` holds, the connection closes, or `give_up`. Returns done().
  using Condition = std::function<bool()>;
  asio::awaitable<bool> wait_until(const Condition& done, SoakClock::time_point give_up);
  asio::awaitable<void> sleep_until(SoakClock::time_point t);
  // Closes and waits for the reader to end.
  asio::awaitable<void> close();

  [[nodiscard]] bool closed() const { return reader_done_; }
  // What ended the connection (the reader's exception), if it ended.
  [[nodiscard]] const std::string& end_reason() const { return end_reason_; }
  [[nodiscard]] bool closed_by_us() const { return closed_by_us_; }
  // The last Error the server sent on this connection.
  [[nodiscard]] const std::optional<std::pair<wire::ErrorCode, std::string>>& last_error() const { return last_error_; }
  [[nodiscard]] int errors_received() const { return errors_received_; }
  [[nodiscard]] const std::string& error() const { return error_; }

  // Every envelope that is not the awaited reply goes here.
  std::function<void(const wire::Envelope&)> on_push;

 private:
  asio::awaitable<void> reader();
  void wake() { wake_.cancel(); }

  std::unique_ptr<Link> link_;
  asio::steady_timer wake_;
  bool reader_started_ = false;
  bool reader_done_ = true;  // no reader yet: nothing to wait for
  bool closed_by_us_ = false;
  std::string end_reason_;
  std::string error_;
  std::optional<std::uint32_t> awaited_;
  std::optional<Received> reply_;
  std::optional<std::pair<wire::ErrorCode, std::string>> last_error_;
  int errors_received_ = 0;
};

// --- Frames the soak sends -----------------------------------------------------

Frame hello_frame(std::uint32_t rid, const std::string& client_name, std::uint16_t version);
Frame join_frame(std::uint32_t rid, const std::string& token, const std::string& member, std::uint64_t last_press,
                 int last_round);
Frame submit_frame(std::uint32_t rid, const std::vector<OrderDraft>& drafts);
Frame press_frame(std::uint32_t rid, const std::vector<std::string>& to, const std::string& text);
Frame command_frame(std::uint32_t rid, wire::Command command, const std::string& game_id, std::uint32_t seconds = 0);

std::string text_of(const flatbuffers::String* s);
// "RateLimited: more than 50 messages a second ..." for reports.
std::string describe_error(const wire::Envelope& env);

}  // namespace leadtime::bench::soak
