#include "tests/client/proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <vector>

namespace leadtime::test {

namespace {

int connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

Proxy::Proxy(std::uint16_t target_port) : target_port_(target_port) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener_, 16) != 0) {
    throw std::runtime_error("proxy: cannot listen");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { run(); });
}

Proxy::~Proxy() {
  stop_ = true;
  thread_.join();
  ::close(listener_);
}

void Proxy::cut(bool hold) {
  held_ = hold;
  cuts_ += 1;
}

// One thread, poll() over the listener and both ends of every relayed pair.
void Proxy::run() {
  struct Pair {
    int client;
    int server;
  };
  std::vector<Pair> pairs;
  int cuts_seen = 0;
  auto close_pair = [](Pair& p) {
    ::close(p.client);
    ::close(p.server);
  };
  while (!stop_) {
    if (cuts_ != cuts_seen) {
      cuts_seen = cuts_;
      for (Pair& p : pairs) close_pair(p);
      pairs.clear();
    }
    std::vector<pollfd> fds = {{listener_, POLLIN, 0}};
    for (const Pair& p : pairs) {
      fds.push_back({p.client, POLLIN, 0});
      fds.push_back({p.server, POLLIN, 0});
    }
    if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
    if (fds[0].revents & POLLIN) {
      const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client >= 0) {
        const int server = held_ ? -1 : connect_to(target_port_);
        if (server < 0) {
          ::close(client);
        } else {
          pairs.push_back({client, server});
        }
      }
    }
    std::vector<bool> dead(pairs.size(), false);
    for (std::size_t i = 0; i + 1 < fds.size(); ++i) {
      if (fds[i + 1].revents == 0) continue;
      const std::size_t pair = i / 2;
      if (pair >= dead.size() || dead[pair]) continue;
      const int from = i % 2 == 0 ? pairs[pair].client : pairs[pair].server;
      const int to = i % 2 == 0 ? pairs[pair].server : pairs[pair].client;
      char buf[16384];
      const ssize_t n = ::read(from, buf, sizeof buf);
      if (n <= 0 || ::send(to, buf, static_cast<std::size_t>(n), MSG_NOSIGNAL) != n) dead[pair] = true;
    }
    for (std::size_t i = pairs.size(); i-- > 0;) {
      if (!dead[i]) continue;
      close_pair(pairs[i]);
      pairs.erase(pairs.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
  for (Pair& p : pairs) close_pair(p);
}

}  // namespace leadtime::test
