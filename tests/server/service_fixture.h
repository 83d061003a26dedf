// Helpers for the game service's tests without a socket: a participant that
// keeps its frames, the service on an io_context of its own thread, and
// short ways to create, join and start games.
#pragma once

#include <doctest/doctest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "game/briefing.h"
#include "game/save/save.h"
#include "protocol/framing.h"
#include "server/app/lobby.h"
#include "server/app/service.h"

namespace app = leadtime::server::app;
namespace wire = leadtime::wire;
namespace proto = leadtime::protocol;

namespace {

// A participant that keeps every frame it is given.
class Inbox final : public app::Participant {
 public:
  explicit Inbox(std::string address = "10.0.0.1") : address_(std::move(address)), peer_(address_ + ":1") {}
  void deliver(app::Frame frame, bool /*close*/) override {
    const std::lock_guard lock(mutex_);
    frames_.push_back(std::move(frame));
    arrived_.notify_all();
  }
  void deliver_all(std::vector<app::Frame> frames) override {
    const std::lock_guard lock(mutex_);
    batches_.emplace_back(frames_.size(), frames.size());
    for (app::Frame& f : frames) frames_.push_back(std::move(f));
    arrived_.notify_all();
  }
  void deliver_status(app::Frame frame) override { deliver(std::move(frame), false); }
  void stop_soon() override {}
  [[nodiscard]] const std::string& peer() const override { return peer_; }
  [[nodiscard]] const std::string& address() const override { return address_; }

  // How many frames carrying `type` are here now.
  std::size_t count(wire::Message type) {
    const std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const app::Frame& f : frames_) {
      const auto body = std::span<const std::uint8_t>(f).subspan(proto::kLengthPrefixBytes);
      std::vector<std::uint8_t> copy(body.begin(), body.end());
      const auto verified = proto::verify_envelope(copy);
      if (verified && verified.envelope->message_type() == type) ++n;
    }
    return n;
  }

  // The message types of each deliver_all so far, in order.
  std::vector<std::vector<wire::Message>> batches() {
    const std::lock_guard lock(mutex_);
    std::vector<std::vector<wire::Message>> out;
    for (const auto& [first, n] : batches_) {
      out.emplace_back();
      for (std::size_t i = 0; i < n; ++i) out.back().push_back(type_of(frames_[first + i]));
    }
    return out;
  }

  // Waits (a few seconds at most) for a frame carrying `type`.
  bool received(wire::Message type) { return !nth(type, 0).empty(); }

  // The envelope of the `n`th frame (from 0) carrying `type`, once it is
  // there (a few seconds at most); empty if it never comes.
  std::vector<std::uint8_t> nth(wire::Message type, std::size_t n) {
    std::vector<std::uint8_t> found;
    std::unique_lock lock(mutex_);
    arrived_.wait_for(lock, std::chrono::seconds(5), [&] {
      std::size_t seen = 0;
      for (const app::Frame& f : frames_) {
        const auto body = std::span<const std::uint8_t>(f).subspan(proto::kLengthPrefixBytes);
        std::vector<std::uint8_t> copy(body.begin(), body.end());  // aligned for the verifier
        const auto verified = proto::verify_envelope(copy);
        if (verified && verified.envelope->message_type() == type && seen++ == n) {
          found = std::move(copy);
          return true;
        }
      }
      return false;
    });
    return found;
  }

 private:
  static wire::Message type_of(const app::Frame& f) {
    const auto body = std::span<const std::uint8_t>(f).subspan(proto::kLengthPrefixBytes);
    std::vector<std::uint8_t> copy(body.begin(), body.end());
    const auto verified = proto::verify_envelope(copy);
    return verified ? verified.envelope->message_type() : wire::Message::NONE;
  }

  std::string address_;
  std::string peer_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<app::Frame> frames_;
  // Where each deliver_all batch starts in frames_, and its size.
  std::vector<std::pair<std::size_t, std::size_t>> batches_;
};

// The service on an io_context of its own thread, as a transport sees it.
struct Service {
  asio::io_context io;
  leadtime::server::ServerOptions options;
  std::optional<app::Lobby> lobby;
  std::optional<app::GameService> service;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::thread thread;

  explicit Service(std::string facilitator_key = {}) {
    options.facilitator_key = std::move(facilitator_key);
    run();
  }
  // With these options, started as a server starts its lobby (recovered
  // games' clocks, the sweep that unloads finished games).
  explicit Service(leadtime::server::ServerOptions o) : options(std::move(o)) {
    run();
    lobby->start();
  }
  void run() {
    lobby.emplace(io, options);
    service.emplace(*lobby);
    work.emplace(io.get_executor());
    thread = std::thread([this] { io.run(); });
  }
  ~Service() {
    lobby->stop();
    work.reset();
    thread.join();
  }
};

// Calls a service method with a Reply and waits for its result.
template <class T, class Call>
app::Result<T> ask(Call call) {
  std::promise<app::Result<T>> promise;
  auto future = promise.get_future();
  call([&promise](app::Result<T> r) { promise.set_value(std::move(r)); });
  REQUIRE(future.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  return future.get();
}

template <class T>
const T& ok(const app::Result<T>& r) {
  if (const auto* f = std::get_if<app::Failure>(&r)) FAIL("refused: " << f->text);
  return std::get<T>(r);
}

const app::Failure& refused(const auto& r) {
  REQUIRE(std::holds_alternative<app::Failure>(r));
  return std::get<app::Failure>(r);
}

app::Command command(wire::Command c) {
  app::Command out;
  out.command = c;
  return out;
}

app::CreateGame people_game() {
  app::CreateGame c;
  for (const char* seat : {"us", "cn", "eu"}) c.people.emplace_back(seat);
  c.seed = 7;
  c.deadline_seconds = 3600;
  return c;
}

std::string token_of(const app::GameCreated& g, const std::string& seat) {
  for (const auto& s : g.seats) {
    if (s.seat == seat) return s.token;
  }
  FAIL("no token for " << seat);
  return {};
}

app::Membership join(Service& s, const std::string& token, const std::shared_ptr<Inbox>& who) {
  auto joined = s.service->join({token, "ann", 0, 0, 1}, who);
  if (const auto* f = std::get_if<app::Failure>(&joined)) FAIL("join refused: " << f->text);
  return std::get<app::Membership>(joined);
}

// A game of people_game() created by `by`'s connection.
app::GameCreated people_game_by(Service& s, const std::shared_ptr<Inbox>& by) {
  return ok(ask<app::GameCreated>([&](auto reply) { s.service->create_game(people_game(), by, std::move(reply)); }));
}

// Waits until everything already queued on the room's strand has run, and
// what that queued in turn (a status line posted by a Join that ran just
// before): requests that change nothing, the second asked once the first
// has run.
[[maybe_unused]] void settle(Service& s, const app::Membership& fac) {
  for (int i = 0; i < 2; ++i) {
    ok(ask<app::SaveFile>([&](auto reply) { s.service->export_game(fac, std::move(reply)); }));
  }
}

// Starts the game as its facilitator.
void start(Service& s, const app::Membership& fac) {
  ok(ask<app::Done>([&](auto reply) { s.service->command(fac, command(wire::Command::Start), std::move(reply)); }));
}

}  // namespace
