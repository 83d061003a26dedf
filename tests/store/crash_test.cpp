// A child process writes to the store from several client threads and is
// SIGKILLed at many points; every entry it acknowledged must survive, and
// every batch must be whole (an entry and the round appended with it are
// both there or both absent).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <doctest/doctest.h>
#include <atomic>
#include <set>
#include <thread>

#include "server/store/store.h"
#include "tests/store/fixtures.h"

namespace leadtime::server::store {
namespace {

using testing::create_now;
using testing::entry;
using testing::open_store;
using testing::round_row;
using testing::sample_game;
using testing::TempDir;

constexpr int kClients = 4;

// The child: clients append one entry and one round at a time, each waiting
// for its acknowledgement, and report each acknowledged seq on `ack_fd`.
// It never returns; the parent kills it.
[[noreturn]] void write_until_killed(const std::string& path, std::uint64_t first_seq, int ack_fd) {
  auto opened = Store::open(path);
  if (!std::holds_alternative<std::unique_ptr<Store>>(opened)) _exit(2);
  Store& store = *std::get<std::unique_ptr<Store>>(opened);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&store, first_seq, ack_fd, c] {
      for (std::uint64_t k = 0;; ++k) {
        const std::uint64_t seq = first_seq + static_cast<std::uint64_t>(c) + kClients * k;
        if (testing::append_now(store, "g", {entry(seq, "resolved")}, {round_row(static_cast<int>(seq), 300)})) {
          _exit(3);
        }
        if (write(ack_fd, &seq, sizeof seq) != sizeof seq) _exit(4);
      }
    });
  }
  for (std::thread& c : clients) c.join();
  _exit(5);
}

// Runs a child until it has acknowledged `acks_before_kill` entries, kills
// it and returns every seq it acknowledged (some may arrive after the kill
// was decided; they were acknowledged all the same).
std::set<std::uint64_t> run_and_kill(const std::string& path, std::uint64_t first_seq, int acks_before_kill) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    close(fds[0]);
    write_until_killed(path, first_seq, fds[1]);
  }
  close(fds[1]);
  std::set<std::uint64_t> acked;
  std::uint64_t seq = 0;
  bool killed = false;
  while (read(fds[0], &seq, sizeof seq) == sizeof seq) {
    acked.insert(seq);
    if (!killed && static_cast<int>(acked.size()) >= acks_before_kill) {
      REQUIRE(kill(child, SIGKILL) == 0);
      killed = true;
    }
  }
  close(fds[0]);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(killed);
  CHECK(WIFSIGNALED(status));
  return acked;
}

TEST_CASE("every acknowledged entry survives a SIGKILL, at many points, and every batch is whole") {
  const TempDir dir;
  const std::string path = dir.file("crash.db");
  {
    auto store = open_store(path);
    REQUIRE_FALSE(create_now(*store, sample_game("g")));
  }
  std::set<std::uint64_t> all_acked;
  const int kill_points[] = {1, 2, 7, 31, 100, 257, 600, 1500};
  std::uint64_t first_seq = 1;
  for (const int point : kill_points) {
    CAPTURE(point);
    const std::set<std::uint64_t> acked = run_and_kill(path, first_seq, point);
    CHECK(static_cast<int>(acked.size()) >= point);
    all_acked.insert(acked.begin(), acked.end());
    first_seq += 1'000'000;

    auto store = open_store(path);  // recovers the WAL and passes quick_check
    std::set<std::uint64_t> stored;
    for (const JournalEntry& e : store->journal("g")) stored.insert(e.seq);
    std::set<std::uint64_t> stored_rounds;
    for (const RoundRow& r : store->rounds("g")) stored_rounds.insert(static_cast<std::uint64_t>(r.round));
    for (const std::uint64_t seq : all_acked) CHECK(stored.count(seq) == 1);
    CHECK(stored == stored_rounds);
  }
}

}  // namespace
}  // namespace leadtime::server::store
