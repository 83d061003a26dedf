// Round trips, group commit and per-item refusals of the game store.
#include "server/store/store.h"

#include <doctest/doctest.h>
#include <atomic>
#include <filesystem>
#include <thread>

#include "server/store/store_testing.h"
#include "tests/store/fixtures.h"

namespace leadtime::server::store {
namespace {

using testing::append_now;
using testing::create_now;
using testing::entry;
using testing::open_store;
using testing::round_row;
using testing::sample_game;
using testing::TempDir;

void check_same_game(const GameRow& a, const GameRow& b) {
  CHECK(a.id == b.id);
  CHECK(a.scenario_path == b.scenario_path);
  CHECK(a.scenario_source == b.scenario_source);
  CHECK(a.seed == b.seed);
  CHECK(a.deadline_s == b.deadline_s);
  CHECK(a.bot_paths == b.bot_paths);
  CHECK(a.facilitator_token_hash == b.facilitator_token_hash);
  CHECK(a.observer_token_hash == b.observer_token_hash);
  CHECK(a.seat_token_hashes == b.seat_token_hashes);
  CHECK(a.parent_id == b.parent_id);
  CHECK(a.branch_round == b.branch_round);
  CHECK(a.finished == b.finished);
  CHECK(a.created_ms == b.created_ms);
}

void check_same_entries(const std::vector<JournalEntry>& a, const std::vector<JournalEntry>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].seq == b[i].seq);
    CHECK(a[i].at_ms == b[i].at_ms);
    CHECK(a[i].kind == b[i].kind);
    CHECK(a[i].seat == b[i].seat);
    CHECK(a[i].payload == b[i].payload);
  }
}

void check_same_rounds(const std::vector<RoundRow>& a, const std::vector<RoundRow>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].round == b[i].round);
    CHECK(a[i].quarter == b[i].quarter);
    CHECK(a[i].hash == b[i].hash);
    CHECK(a[i].snapshot == b[i].snapshot);
  }
}

TEST_CASE("a game, its seats, journal and rounds read back as written, also after reopening") {
  const TempDir dir;
  const std::string path = dir.file("leadtime.db");
  GameRow game = sample_game("g1");
  game.parent_id = "g0";
  game.branch_round = 4;
  const std::vector<JournalEntry> entries = {entry(1, "started", -1, "{}"), entry(2, "submitted", 0),
                                             entry(3, "message", 2, R"({"text":"hello \u00e9"})"),
                                             entry(0x7fffffffffffff00ULL, "submitted", 1)};
  const std::vector<RoundRow> rounds = {round_row(1), round_row(2, 0), round_row(3, 5000)};
  {
    auto store = open_store(path);
    CHECK(store->path() == path);
    REQUIRE_FALSE(create_now(*store, game));
    REQUIRE_FALSE(append_now(*store, "g1", entries, rounds));
    const std::optional<GameRow> read = store->game("g1");
    REQUIRE(read);
    check_same_game(*read, game);
    check_same_entries(store->journal("g1"), entries);
    check_same_rounds(store->rounds("g1"), rounds);
    CHECK_FALSE(store->game("nope"));
    CHECK(store->journal("nope").empty());
  }
  auto reopened = open_store(path);
  const std::vector<GameRow> all = reopened->games(false);
  REQUIRE(all.size() == 1);
  check_same_game(all[0], game);
  check_same_entries(reopened->journal("g1"), entries);
  check_same_rounds(reopened->rounds("g1"), rounds);
}

TEST_CASE("journal_of_kind reads one kind of a game's entries in order") {
  const TempDir dir;
  auto store = open_store(dir.file("db"));
  REQUIRE_FALSE(create_now(*store, sample_game("g")));
  REQUIRE_FALSE(create_now(*store, sample_game("h")));
  REQUIRE_FALSE(append_now(*store, "g", {entry(1, "message"), entry(2, "submitted"), entry(3, "message")}));
  REQUIRE_FALSE(append_now(*store, "h", {entry(1, "message")}));
  const std::vector<JournalEntry> messages = store->journal_of_kind("g", "message");
  REQUIRE(messages.size() == 2);
  CHECK(messages[0].seq == 1);
  CHECK(messages[1].seq == 3);
}

TEST_CASE("seat lists of different lengths are padded to the number of seats") {
  const TempDir dir;
  auto store = open_store(dir.file("db"));
  GameRow game = sample_game("g");
  game.bot_paths = {"a.lua"};
  REQUIRE_FALSE(create_now(*store, game));
  const std::optional<GameRow> read = store->game("g");
  REQUIRE(read);
  CHECK(read->bot_paths == std::vector<std::string>{"a.lua", "", ""});
  CHECK(read->seat_token_hashes == game.seat_token_hashes);
}

TEST_CASE("games(true) lists the unfinished games only, oldest first") {
  const TempDir dir;
  auto store = open_store(dir.file("db"));
  REQUIRE_FALSE(create_now(*store, sample_game("late", 3000)));
  REQUIRE_FALSE(create_now(*store, sample_game("early", 1000)));
  REQUIRE_FALSE(create_now(*store, sample_game("middle", 2000)));
  std::atomic<int> done_count{0};
  store->set_finished("middle", true, [&](const Outcome& o) {
    CHECK_FALSE(o);
    ++done_count;
  });
  store->flush();
  CHECK(done_count == 1);

  const std::vector<GameRow> open_games = store->games(true);
  REQUIRE(open_games.size() == 2);
  CHECK(open_games[0].id == "early");
  CHECK(open_games[1].id == "late");
  CHECK(open_games[1].seat_token_hashes.size() == 3);
  const std::vector<GameRow> all = store->games(false);
  REQUIRE(all.size() == 3);
  CHECK(all[1].id == "middle");
  CHECK(all[1].finished);
}

TEST_CASE("finished_games lists the newest finished games first, with the status line each finished with") {
  const TempDir dir;
  auto store = open_store(dir.file("db"));
  for (const auto& [id, created] : {std::pair{"a", 1000}, {"b", 2000}, {"c", 3000}, {"open", 4000}}) {
    REQUIRE_FALSE(create_now(*store, sample_game(id, created)));
  }
  const auto finish = [&](const std::string& id, std::string summary) {
    Store::Chain chain;
    chain.finished = true;
    chain.summary = std::move(summary);
    store->append(id, {}, {}, std::move(chain), [](const Outcome& o) { CHECK_FALSE(o); });
  };
  finish("a", R"({"game_id":"a"})");
  finish("c", R"({"game_id":"c"})");
  store->set_finished("b", true, [](const Outcome& o) { CHECK_FALSE(o); });  // no status line kept
  store->flush();

  const std::vector<FinishedGame> all = store->finished_games(10);
  REQUIRE(all.size() == 3);
  CHECK(all[0].id == "c");
  CHECK(all[0].summary == R"({"game_id":"c"})");
  CHECK(all[1].id == "b");
  CHECK(all[1].summary.empty());
  CHECK(all[2].id == "a");
  CHECK(all[2].summary == R"({"game_id":"a"})");
  const std::vector<FinishedGame> newest = store->finished_games(1);
  REQUIRE(newest.size() == 1);
  CHECK(newest[0].id == "c");
}

TEST_CASE("a token's hash finds its game and holder; game_ids lists every game") {
  const TempDir dir;
  auto store = open_store(dir.file("db"));
  GameRow other = sample_game("other", 500);
  other.facilitator_token_hash.assign(32, 0x11);
  other.observer_token_hash.assign(32, 0x12);
  for (auto& h : other.seat_token_hashes) h.assign(32, 0x13);
  other.seat_token_hashes[2].assign(32, 0x14);
  REQUIRE_FALSE(create_now(*store, other));
  REQUIRE_FALSE(create_now(*store, sample_game("g", 1000)));
  store->set_finished("g", true, [](const Outcome& o) { CHECK_FALSE(o); });
  store->flush();

  const auto facilitator = store->token_owner(std::vector<std::uint8_t>(32, 0xfa));
  REQUIRE(facilitator);
  CHECK(facilitator->game_id == "g");
  CHECK(facilitator->holder == TokenOwner::Holder::Facilitator);
  CHECK(facilitator->finished);
  const auto observer = store->token_owner(std::vector<std::uint8_t>(32, 0x12));
  REQUIRE(observer);
  CHECK(observer->game_id == "other");
  CHECK(observer->holder == TokenOwner::Holder::Observer);
  CHECK_FALSE(observer->finished);
  const auto seat = store->token_owner(std::vector<std::uint8_t>(32, 0x14));
  REQUIRE(seat);
  CHECK(seat->game_id == "other");
  CHECK(seat->holder == TokenOwner::Holder::Seat);
  CHECK(seat->seat == 2);
  CHECK_FALSE(store->token_owner(std::vector<std::uint8_t>(32, 0x77)));
  CHECK(store->game_ids() == std::vector<std::string>{"other", "g"});
}

TEST_CASE("work queued while the writer waits commits as one transaction, and every callback runs") {
  const TempDir dir;
  auto store = open_store(dir.file("db"));
  REQUIRE_FALSE(create_now(*store, sample_game("g")));
  const Store::Stats before = store->stats();
  std::atomic<int> acked{0};
  {
    const StoreTesting::Hold hold(*store);
    for (std::uint64_t seq = 1; seq <= 50; ++seq) {
      store->append("g", {entry(seq)}, {}, [&](const Outcome& o) {
        CHECK_FALSE(o);
        ++acked;
      });
    }
  }
  store->flush();
  CHECK(acked == 50);
  CHECK(store->stats().transactions == before.transactions + 1);
  CHECK(store->stats().items == before.items + 50);
  CHECK(store->journal("g").size() == 50);
}

TEST_CASE("a refused call fails alone, naming its game, and the rest of its batch commits") {
  const TempDir dir;
  const std::string path = dir.file("db");
  auto store = open_store(path);
  REQUIRE_FALSE(create_now(*store, sample_game("g")));
  REQUIRE_FALSE(append_now(*store, "g", {entry(1)}));
  Outcome unknown_game, duplicate_seq, duplicate_game, unknown_finish, too_large_seq, fine;
  {
    const StoreTesting::Hold hold(*store);
    store->append("ghost", {entry(1)}, {}, [&](const Outcome& o) { unknown_game = o; });
    store->append("g", {entry(2), entry(1)}, {round_row(1)}, [&](const Outcome& o) { duplicate_seq = o; });
    store->create_game(sample_game("g"), [&](const Outcome& o) { duplicate_game = o; });
    store->set_finished("ghost", true, [&](const Outcome& o) { unknown_finish = o; });
    store->append("g", {entry(4), entry(1ULL << 63)}, {}, [&](const Outcome& o) { too_large_seq = o; });
    store->append("g", {entry(3)}, {}, [&](const Outcome& o) { fine = o; });
  }
  store->flush();
  REQUIRE(unknown_game);
  CHECK(*unknown_game == path + ": no game 'ghost'");
  REQUIRE(duplicate_seq);
  CHECK(duplicate_seq->find(path + ": game 'g': UNIQUE constraint failed") == 0);
  REQUIRE(duplicate_game);
  CHECK(duplicate_game->find(path + ": game 'g': UNIQUE constraint failed") == 0);
  REQUIRE(unknown_finish);
  CHECK(*unknown_finish == path + ": no game 'ghost'");
  REQUIRE(too_large_seq);
  CHECK(*too_large_seq == path + ": game 'g': journal seq 9223372036854775808 is above 2^63 - 1");
  CHECK_FALSE(fine);

  // Nothing of the refused append (its seq 2 and its round) is stored.
  const std::vector<JournalEntry> journal = store->journal("g");
  REQUIRE(journal.size() == 2);
  CHECK(journal[0].seq == 1);
  CHECK(journal[1].seq == 3);
  CHECK(store->rounds("g").empty());
  CHECK(store->games(false).size() == 1);
}

TEST_CASE("a round resolved again after a rollback replaces the stored one") {
  const TempDir dir;
  auto store = open_store(dir.file("db"));
  REQUIRE_FALSE(create_now(*store, sample_game("g")));
  REQUIRE_FALSE(append_now(*store, "g", {entry(1, "resolved")}, {round_row(1), round_row(2)}));
  RoundRow again = round_row(2, 3);
  again.hash = 42;
  REQUIRE_FALSE(append_now(*store, "g", {entry(2, "rolled_back"), entry(3, "resolved")}, {again}));
  const std::vector<RoundRow> rounds = store->rounds("g");
  REQUIRE(rounds.size() == 2);
  CHECK(rounds[1].hash == 42);
  CHECK(rounds[1].snapshot == again.snapshot);
}

TEST_CASE("many client threads appending at once are all acknowledged and all stored") {
  const TempDir dir;
  auto store = open_store(dir.file("db"));
  REQUIRE_FALSE(create_now(*store, sample_game("g")));
  constexpr int kThreads = 16;
  constexpr int kEach = 100;
  std::atomic<int> failures{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < kThreads; ++t) {
    clients.emplace_back([&, t] {
      for (int k = 0; k < kEach; ++k) {
        const auto seq = static_cast<std::uint64_t>(1 + t + kThreads * k);
        if (append_now(*store, "g", {entry(seq, "submitted", t)})) ++failures;
      }
    });
  }
  for (std::thread& c : clients) c.join();
  CHECK(failures == 0);
  const std::vector<JournalEntry> journal = store->journal("g");
  REQUIRE(journal.size() == kThreads * kEach);
  for (std::size_t i = 0; i < journal.size(); ++i) CHECK(journal[i].seq == i + 1);
  CHECK(store->stats().items == kThreads * kEach + 1);
}

TEST_CASE("a callback may queue more work") {
  const TempDir dir;
  auto store = open_store(dir.file("db"));
  REQUIRE_FALSE(create_now(*store, sample_game("g")));
  std::atomic<int> acked{0};
  store->append("g", {entry(1)}, {}, [&](const Outcome& first) {
    CHECK_FALSE(first);
    store->append("g", {entry(2)}, {}, [&](const Outcome& second) {
      CHECK_FALSE(second);
      ++acked;
    });
  });
  // The second append is queued before the first flush returns (its
  // callback ran before the flush marker's), so the second flush waits for it.
  store->flush();
  store->flush();
  CHECK(acked == 1);
  CHECK(store->journal("g").size() == 2);
}

TEST_CASE("closing the store commits everything still queued first") {
  const TempDir dir;
  const std::string path = dir.file("db");
  std::atomic<int> acked{0};
  {
    auto store = open_store(path);
    REQUIRE_FALSE(create_now(*store, sample_game("g")));
    for (std::uint64_t seq = 1; seq <= 100; ++seq) {
      store->append("g", {entry(seq)}, {}, [&](const Outcome& o) {
        if (!o) ++acked;
      });
    }
  }
  CHECK(acked == 100);
  CHECK(open_store(path)->journal("g").size() == 100);
}

TEST_CASE("open creates the database's missing directories") {
  const TempDir dir;
  const std::string path = dir.file("saves/nested/leadtime.db");
  auto store = open_store(path);
  CHECK(std::filesystem::exists(path));
}

}  // namespace
}  // namespace leadtime::server::store
