#pragma once

#include "protocol/asio.h"

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/leadtime_generated.h"
#include "server/app/participant.h"
#include "server/app/service.h"
#include "server/net/link.h"

namespace leadtime::server::net {

class Server;

// One client connection, as in Asio's chat example: a reader coroutine that
// verifies messages, keeps the limits and hands each request to the game
// service (decode -> service -> encode), a writer coroutine that drains a
// queue, and a watchdog that closes connections that stall or flood. All
// three run on the connection's strand. The same over every link (TCP, TLS,
// WebSocket): what differs is only how the link carries messages.
class Session : public app::Participant, public std::enable_shared_from_this<Session> {
 public:
  Session(std::unique_ptr<Link> link, Server& server, std::string address, std::string peer);

  void start();
  void deliver(Frame frame, bool close = false) override;
  void deliver_all(std::vector<Frame> frames) override;
  void deliver_status(Frame frame) override;
  void stop_soon() override;
  [[nodiscard]] const std::string& peer() const override { return peer_; }
  [[nodiscard]] const std::string& address() const override { return address_; }

 private:
  asio::awaitable<void> reader();
  asio::awaitable<void> writer();
  asio::awaitable<void> watchdog();
  void deliver_here(Frame frame, bool close = false);
  void wake_writer();
  void stop();
  void refuse(std::uint32_t request_id, wire::ErrorCode code, std::string_view text, bool close = false);
  bool within_rate();
  void handle(const Frame& message);
  void dispatch(const wire::Envelope& env);
  void hello(std::uint32_t rid, const wire::Hello& msg);
  [[nodiscard]] std::uint32_t idle_timeout_seconds() const;
  void pong(std::uint32_t rid, const wire::Ping& ping);
  void join(app::Join asked);
  void examine_join(const app::Join& asked);
  asio::awaitable<void> watch_peer_while_waiting();
  void command(std::uint32_t rid, const wire::FacilitatorCommand& msg);
  bool need_room(std::uint32_t rid);
  [[nodiscard]] const app::Membership* membership() const { return membership_ ? &*membership_ : nullptr; }
  [[nodiscard]] std::string local_host() const;
  // The service's answer to request `rid`, sent when it comes (any thread).
  template <class T>
  app::Reply<T> reply_to(std::uint32_t rid);

  std::unique_ptr<Link> link_;
  asio::steady_timer wake_;       // wakes the writer
  asio::steady_timer watchdog_;   // handshake and idle timeouts
  asio::steady_timer join_turn_;  // holds the reader until a Join's turn
  Server& server_;
  app::GameService& service_;
  std::string address_;
  std::string peer_;
  std::deque<Frame> queue_;
  // The batch being written; kept between writes so that its storage is
  // allocated once per connection, not once per write.
  std::vector<Frame> sending_;
  std::optional<Frame> status_;  // the newest status line, after everything queued
  bool writer_parked_ = false;   // waiting on wake_ for something to write
  bool hello_ = false;
  bool closing_ = false;  // no more reading; the writer flushes and closes
  bool stopped_ = false;
  std::chrono::steady_clock::time_point connected_at_;
  std::chrono::steady_clock::time_point last_frame_;
  // Token bucket for the message rate limit.
  double tokens_ = 0;
  std::chrono::steady_clock::time_point refilled_;
  int rate_strikes_ = 0;
  // A Join waiting for its address's turn (after wrong tokens); the reader
  // reads nothing more meanwhile.
  std::optional<app::Join> waiting_join_;
  std::optional<app::Membership> membership_;
};

}  // namespace leadtime::server::net
