// Damaged, read-only and full databases: a clear error naming the file, and
// never part of a batch in the database.
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <random>

#include "server/store/store.h"
#include "server/store/store_testing.h"
#include "tests/store/fixtures.h"

namespace leadtime::server::store {
namespace {

using testing::append_now;
using testing::create_now;
using testing::entry;
using testing::open_error;
using testing::open_store;
using testing::query;
using testing::round_row;
using testing::sample_game;
using testing::TempDir;

void write_random_bytes(const std::string& path, std::size_t count, std::streamoff at) {
  std::mt19937_64 rng(12345);
  std::fstream out(path, std::ios::binary | std::ios::in | std::ios::out);
  if (!out) out.open(path, std::ios::binary | std::ios::out);
  out.seekp(at);
  for (std::size_t i = 0; i < count; ++i) out.put(static_cast<char>(rng() & 0xff));
  REQUIRE(out.good());
}

// A closed store of about 200 pages, its WAL checkpointed into the file.
void fill_store(const std::string& path) {
  auto store = open_store(path);
  REQUIRE_FALSE(create_now(*store, sample_game("g")));
  for (int round = 1; round <= 40; ++round) {
    std::vector<JournalEntry> entries;
    for (int k = 0; k < 10; ++k) {
      const auto seq = static_cast<std::uint64_t>(round * 10 + k);
      entries.push_back(entry(seq, "submitted", k % 3, std::string(500, static_cast<char>('a' + k))));
    }
    REQUIRE_FALSE(append_now(*store, "g", std::move(entries), {round_row(round, 2000)}));
  }
}

TEST_CASE("a file of random bytes is refused as not a database") {
  const TempDir dir;
  const std::string path = dir.file("noise.db");
  write_random_bytes(path, 64 * 1024, 0);
  CHECK(open_error(path) == path + ": file is not a database");
}

TEST_CASE("a truncated database is refused as damaged") {
  const TempDir dir;
  const std::string path = dir.file("db");
  fill_store(path);
  const auto size = std::filesystem::file_size(path);
  REQUIRE(size > 300 * 1024);
  REQUIRE_FALSE(std::filesystem::exists(path + "-wal"));
  std::filesystem::resize_file(path, size / 2);
  const std::string error = open_error(path);
  INFO(error);
  CHECK(error.find(path + ": ") == 0);
  CHECK(error.find("damaged") != std::string::npos);
}

TEST_CASE("garbage over pages deep in the file is found by check_whole(), naming the file") {
  const TempDir dir;
  const std::string path = dir.file("db");
  fill_store(path);
  CHECK_FALSE(open_store(path)->check_whole());
  write_random_bytes(path, 3 * 4096, 40 * 4096);
  // Opening reads only the header and the schema, so it still succeeds.
  auto store = open_store(path);
  const Outcome verdict = store->check_whole();
  REQUIRE(verdict);
  CHECK(verdict->find(path + ": the database is damaged (") == 0);
}

// Opens `path` in a child process and returns the error ("" if it opened).
// Root ignores file modes, so as root the child first becomes `nobody`:
// then a read-only file or directory is read-only to it, as to any user.
std::string open_error_unprivileged(const std::string& path) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    close(fds[0]);
    constexpr uid_t kNobody = 65534;
    if (geteuid() == 0 && (setgroups(0, nullptr) != 0 || setgid(kNobody) != 0 || setuid(kNobody) != 0)) _exit(3);
    const std::string error = open_error(path);
    const bool written = write(fds[1], error.data(), error.size()) == static_cast<ssize_t>(error.size());
    _exit(written ? 0 : 4);
  }
  close(fds[1]);
  std::string error;
  char buffer[512];
  ssize_t n = 0;
  while ((n = read(fds[0], buffer, sizeof buffer)) > 0) error.append(buffer, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  return error;
}

TEST_CASE("a read-only database file is refused at open, naming the file") {
  const TempDir dir;
  const std::string path = dir.file("db");
  open_store(path).reset();
  REQUIRE(chmod(dir.path.string().c_str(), 0755) == 0);
  REQUIRE(chmod(path.c_str(), 0444) == 0);
  CHECK(open_error_unprivileged(path) ==
        path + ": the file is read-only (check that this user may write the file and its directory)");
}

TEST_CASE("a database in a read-only directory is refused at open, naming the file") {
  const TempDir dir;
  const std::string path = dir.file("db");
  SUBCASE("an existing database (its WAL cannot be created)") {
    open_store(path).reset();
    REQUIRE(chmod(path.c_str(), 0666) == 0);
  }
  SUBCASE("a new database") {}
  REQUIRE(chmod(dir.path.string().c_str(), 0555) == 0);
  const std::string error = open_error_unprivileged(path);
  INFO(error);
  CHECK(error.find(path + ": ") == 0);
  CHECK(error.find("(check that this user may write the file and its directory)") != std::string::npos);
}

TEST_CASE("a store whose file turns read-only fails the whole batch, and recovers") {
  const TempDir dir;
  const std::string path = dir.file("db");
  auto store = open_store(path);
  REQUIRE_FALSE(create_now(*store, sample_game("g")));
  REQUIRE_FALSE(StoreTesting::exec_on_writer(*store, "PRAGMA query_only = 1"));
  Outcome first, second;
  {
    const StoreTesting::Hold hold(*store);
    store->append("g", {entry(1)}, {round_row(1)}, [&](const Outcome& o) { first = o; });
    store->append("g", {entry(2)}, {}, [&](const Outcome& o) { second = o; });
  }
  store->flush();
  REQUIRE(first);
  CHECK(*first == path + ": attempt to write a readonly database");
  CHECK(second == first);
  CHECK(store->journal("g").empty());
  CHECK(store->rounds("g").empty());

  REQUIRE_FALSE(StoreTesting::exec_on_writer(*store, "PRAGMA query_only = 0"));
  CHECK_FALSE(append_now(*store, "g", {entry(1)}));
  CHECK(store->journal("g").size() == 1);
}

TEST_CASE("a full disk fails the whole batch, leaves nothing of it, and the next batch commits") {
  const TempDir dir;
  const std::string path = dir.file("db");
  auto store = open_store(path);
  REQUIRE_FALSE(create_now(*store, sample_game("g")));
  REQUIRE_FALSE(append_now(*store, "g", {entry(1)}));
  const Store::Stats before = store->stats();
  // Three pages to spare: the first append fits, a later one does not, so
  // the batch fails part-way and must be undone whole.
  const int pages = std::stoi(query(path, "PRAGMA page_count"));
  const std::string limit = "PRAGMA max_page_count = " + std::to_string(pages + 3);
  REQUIRE_FALSE(StoreTesting::exec_on_writer(*store, limit));

  std::vector<Outcome> outcomes(6);
  {
    const StoreTesting::Hold hold(*store);
    for (std::uint64_t i = 0; i < outcomes.size(); ++i) {
      store->append("g", {entry(10 + i, "resolved", -1, std::string(3000, 'x'))},
                    {round_row(static_cast<int>(i) + 1, 3000)}, [&outcomes, i](const Outcome& o) { outcomes[i] = o; });
    }
  }
  store->flush();
  for (const Outcome& o : outcomes) {
    REQUIRE(o);
    CHECK(*o == path + ": database or disk is full");
  }
  CHECK(store->journal("g").size() == 1);
  CHECK(store->rounds("g").empty());
  CHECK(store->stats().transactions == before.transactions);
  CHECK(store->stats().items == before.items);

  REQUIRE_FALSE(StoreTesting::exec_on_writer(*store, "PRAGMA max_page_count = 1073741823"));
  CHECK_FALSE(append_now(*store, "g", {entry(2)}, {round_row(1)}));
  CHECK(store->journal("g").size() == 2);
  CHECK(store->rounds("g").size() == 1);
}

}  // namespace
}  // namespace leadtime::server::store
