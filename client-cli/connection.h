#pragma once

// The client's thin network layer: one Asio io_context on a background
// thread that connects, says Hello, and then reads frames into an inbox the
// session drains; sends are posted to the same thread. When a connection is
// lost it reconnects by itself, backing off up to a few seconds, and reports
// each loss and each reconnection as an event, so the session can rejoin.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "client-cli/transport.h"

namespace leadtime::cli {

struct ConnectionOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 7700;
  std::string client_name = "leadtime-cli";
  // Keep trying after a lost connection. The first attempt is reported
  // either way, so a wrong address fails fast.
  bool reconnect = true;
  // While connected, a Ping goes out this often (more often if the server's
  // idle limit, from Welcome, is shorter), so a quiet observer is not closed
  // as idle; a connection silent for three intervals is taken as lost (a
  // laptop that slept, a NAT that forgot it) and made again.
  std::chrono::milliseconds keepalive{60'000};
  TlsOptions tls;
};

class Connection final : public Transport {
 public:
  explicit Connection(ConnectionOptions options);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Why the connection cannot be made at all (a --tls-ca file that does not
  // load), "" when it can; check before start().
  [[nodiscard]] const std::string& setup_error() const { return setup_error_; }
  // Starts connecting in the background; events follow.
  void start();
  // Closes the socket and joins the thread; no events after it returns.
  void stop();

  bool send(std::vector<std::uint8_t> frame) override;
  std::optional<NetEvent> next_event(std::chrono::milliseconds wait) override;
  void reconnect() override;
  [[nodiscard]] int wake_fd() const override { return wake_read_; }
  [[nodiscard]] std::string address() const override;

  struct Impl;  // the Asio side, defined in connection.cpp

 private:
  void push(NetEvent event);

  ConnectionOptions options_;
  std::string setup_error_;
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<NetEvent> inbox_;
  int wake_read_ = -1;
  int wake_write_ = -1;
};

// "host:port" split and checked; the error names what was expected.
// "tls://host:port" is the same address with TLS asked for.
struct HostPort {
  std::string host;
  std::uint16_t port = 0;
  bool tls = false;  // written tls://
};
std::optional<HostPort> parse_host_port(const std::string& text, std::string& error);

}  // namespace leadtime::cli
