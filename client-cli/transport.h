#pragma once

// What the session needs from the network, and nothing more: send a frame,
// wait for the next event. The Asio connection (connection.h) implements it;
// unit tests implement it with a script of canned frames.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace leadtime::cli {

// TLS on the connection (leadtime-server --tls-cert/--tls-key): the server's
// certificate is checked against the system's trust store, or against
// `ca_file` alone when given, and must name the host connected to.
struct TlsOptions {
  bool enabled = false;
  std::string ca_file;  // PEM: trust these certificates (e.g. a server's self-signed one) instead
};

struct NetEvent {
  enum class Kind {
    Connected,     // handshake done (Hello/Welcome); `text` is the server version
    Disconnected,  // the connection is gone; `text` says why; reconnecting unless `fatal`
    Frame,         // one complete frame (without its length prefix), not yet verified
  };
  Kind kind = Kind::Frame;
  std::string text;
  bool fatal = false;  // no more attempts will be made
  std::vector<std::uint8_t> frame;
  std::string web_url;  // Connected: the server's browser pages (Welcome.web_url), "" when none
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Queues a frame (length prefix included); false when not connected.
  virtual bool send(std::vector<std::uint8_t> frame) = 0;
  // The next event, waiting up to `wait`; nullopt when none came.
  virtual std::optional<NetEvent> next_event(std::chrono::milliseconds wait) = 0;
  // Drops the connection and makes a fresh one (a new Connected follows).
  virtual void reconnect() = 0;
  // A descriptor that is readable while events wait, for poll(); -1 if none.
  [[nodiscard]] virtual int wake_fd() const = 0;
  // "host:port", to key saved tokens and for messages.
  [[nodiscard]] virtual std::string address() const = 0;
};

}  // namespace leadtime::cli
