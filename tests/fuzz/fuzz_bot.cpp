// Fuzz target "bot": Lua text loaded as a bot (engine/lua/bot.h) and given
// turns, as a seat's bot file on the server or in a sweep. The seat is the
// input's length modulo the number of seats.
//
// The bot loads (its init runs), decides, its orders are validated and a
// round resolves, it hears the result and decides again. Beyond "no crash",
// it checks that the memory cap holds at every step and that no step runs
// for seconds (the instruction budget holds, also for work done in C).
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/lua/bot.h"
#include "engine/match.h"
#include "tests/fuzz/fuzz_common.h"

namespace lt = leadtime;

namespace {

// Small limits keep each input fast; the checks are the same at any size.
// The CPU-time limit, the last line of defence for single instructions that
// do long C work (comparing long strings), is well under kSlowest so a call
// it stops still passes the checks below.
constexpr std::size_t kMemoryCap = std::size_t{8} << 20U;
constexpr std::uint64_t kInstructions = 200'000;
constexpr auto kTimeLimit = std::chrono::milliseconds(1500);

lt::lua::BotLimits limits() {
  lt::lua::BotLimits l(kInstructions, kMemoryCap);
  l.time_limit_per_call = kTimeLimit;
  return l;
}

// Bots load from files: one per process, rewritten for every input and
// removed at exit (kept on the heap so it outlives static destructors).
const std::string& bot_file() {
  static const std::string* const path = [] {
    const auto* p = new std::string(
        (std::filesystem::temp_directory_path() / ("leadtime-fuzz-bot-" + std::to_string(::getpid()) + ".lua"))
            .string());
    std::atexit([] { std::remove(bot_file().c_str()); });
    return p;
  }();
  return *path;
}

// Far above what a call within its budget takes even under the sanitizers
// (well under a second), so only a budget that does not hold trips it, and
// the standalone build, which has no -timeout, checks it too. Counted in
// the thread's CPU time, as the sandbox's own limit is: on a loaded machine
// (tests in parallel) the wall clock ran 7 times the CPU time.
constexpr auto kSlowest = std::chrono::seconds(10);

// The calling thread's CPU time.
struct ThreadClock {
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<ThreadClock, duration>;
  static time_point now() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return time_point(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
  }
};

// Checks the limits after one step of the bot's that began at `since`.
void check_limits(const lt::lua::Bot& bot, const char* step, ThreadClock::time_point since) {
  LEADTIME_FUZZ_CHECK(bot.memory_used() <= kMemoryCap, "%s: the bot holds %zu bytes, over its %zu-byte cap", step,
                      bot.memory_used(), kMemoryCap);
  const auto took = ThreadClock::now() - since;
  LEADTIME_FUZZ_CHECK(took < kSlowest, "%s took %lld ms: the instruction budget did not hold", step,
                      static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto scenario = leadtime::fuzz::default_scenario();
  const std::string& path = bot_file();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    LEADTIME_FUZZ_CHECK(out.good(), "cannot write %s", path.c_str());
  }
  const std::size_t seats = scenario->initial.actors.size();
  const int seat = static_cast<int>(size % seats);
  using Clock = ThreadClock;
  auto t = Clock::now();
  auto loaded = lt::lua::Bot::load(path, *scenario, seat, 17, limits());
  const auto load_took = Clock::now() - t;
  LEADTIME_FUZZ_CHECK(load_took < kSlowest, "loading took %lld ms: the instruction budget did not hold",
                      static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(load_took).count()));
  if (auto* error = std::get_if<std::string>(&loaded)) {
    LEADTIME_FUZZ_CHECK(!error->empty(), "a bot refused without a reason");
    return 0;
  }
  auto& bot = std::get<lt::lua::Bot>(loaded);
  check_limits(bot, "loading", t);
  lt::Match match(scenario, 17);
  for (int round = 0; round < 2; ++round) {
    t = Clock::now();
    lt::lua::BotTurn turn = lt::lua::take_turn(bot, match.state(), scenario->coef, seat);
    check_limits(bot, "deciding", t);
    LEADTIME_FUZZ_CHECK(turn.notes.size() == turn.faults.size(), "%zu notes for %zu faults", turn.notes.size(),
                        turn.faults.size());
    lt::RoundOrders orders(seats);
    orders[static_cast<std::size_t>(seat)] = std::move(turn.orders);
    match.play_round(std::move(orders), std::move(turn.notes));
    t = Clock::now();
    (void)lt::lua::tell_result(bot, match.state(), scenario->coef, seat);
    check_limits(bot, "hearing the result", t);
  }
  return 0;
}
