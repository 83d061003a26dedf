#pragma once

#include <cstdint>

namespace leadtime::server::net {

// A further door to a Server's sessions (the web listener): bound when it is
// made, started and stopped by the server with its own.
class Listener {
 public:
  Listener() = default;
  virtual ~Listener() = default;
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  virtual void start() = 0;
  virtual void stop() = 0;
  [[nodiscard]] virtual std::uint16_t port() const = 0;
};

}  // namespace leadtime::server::net
