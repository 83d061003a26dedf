#pragma once

// A TCP relay between the client and the server that a test can cut: every
// connection through it drops at once, and while it is held new connections
// are closed as soon as they arrive, as if the network were down.
#include <atomic>
#include <cstdint>
#include <thread>

namespace leadtime::test {

class Proxy {
 public:
  explicit Proxy(std::uint16_t target_port);
  ~Proxy();
  Proxy(const Proxy&) = delete;
  Proxy& operator=(const Proxy&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  // Drops every connection; with `hold`, refuses new ones until release().
  void cut(bool hold);
  void release() { held_ = false; }

 private:
  void run();

  std::uint16_t target_port_;
  std::uint16_t port_ = 0;
  int listener_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<bool> held_{false};
  std::atomic<int> cuts_{0};
  std::thread thread_;
};

}  // namespace leadtime::test
