#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace leadtime::server::app {

// A complete frame of the wire protocol (length prefix included): what rooms
// push and the service's replies are encoded into. Each transport sends it
// its own way (TCP as is, WebSocket as one binary message without prefix).
using Frame = std::vector<std::uint8_t>;

// One connected client as the game side sees it, whatever carries it (raw
// TCP, WebSocket, TLS under either). Rooms hold participants weakly and
// never learn what a socket is.
class Participant {
 public:
  Participant() = default;
  Participant(const Participant&) = delete;
  Participant& operator=(const Participant&) = delete;
  virtual ~Participant() = default;

  // Thread-safe: queues a frame to send (then, if `close`, closes).
  virtual void deliver(Frame frame, bool close = false) = 0;
  // Thread-safe: queues frames to send in order, in one hand-over, so they
  // leave together (a round's result and view: one write, one read).
  virtual void deliver_all(std::vector<Frame> frames) = 0;
  // Thread-safe: queues the game's status line (GameSummary). Only the
  // newest matters, so one not yet sent is replaced, as long as nothing
  // else was queued after it: a burst of changes costs a member one status
  // frame, not one per change, and nothing arrives out of order.
  virtual void deliver_status(Frame frame) = 0;
  // Thread-safe: closes the connection soon, dropping what is unsent.
  virtual void stop_soon() = 0;
  // "address:port" for the log, and the address limits are counted on (the
  // browser's own behind a trusted proxy).
  [[nodiscard]] virtual const std::string& peer() const = 0;
  [[nodiscard]] virtual const std::string& address() const = 0;
};

}  // namespace leadtime::server::app
