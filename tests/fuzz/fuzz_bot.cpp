// Fuzz target "bot": Lua text loaded as a bot (engine/lua/bot.h) and given
// turns, as a seat's bot file on the server or in a sweep. The seat is the
// input's length modulo the number of seats.
//
// The bot loads (its init runs), decides, its orders are validated and a
// round resolves, it hears the result and decides again. Beyond "no crash",
// it checks that the memory cap holds at every step; the instruction budget
// holding shows as no input timing out (run with -timeout).
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/lua/bot.h"
#include "engine/match.h"
#include "tests/fuzz/fuzz_common.h"

namespace lt = leadtime;

namespace {

// Small limits keep each input fast; the checks are the same at any size.
constexpr std::size_t kMemoryCap = std::size_t{8} << 20U;
constexpr std::uint64_t kInstructions = 200'000;

// Bots load from files: one per process, rewritten for every input.
const std::string& bot_file() {
  static const std::string path =
      (std::filesystem::temp_directory_path() / ("leadtime-fuzz-bot-" + std::to_string(::getpid()) + ".lua")).string();
  return path;
}

void check_memory(const lt::lua::Bot& bot, const char* when) {
  LEADTIME_FUZZ_CHECK(bot.memory_used() <= kMemoryCap, "%s: the bot holds %zu bytes, over its %zu-byte cap", when,
                      bot.memory_used(), kMemoryCap);
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
  auto loaded = lt::lua::Bot::load(path, *scenario, seat, 17, lt::lua::BotLimits(kInstructions, kMemoryCap));
  if (auto* error = std::get_if<std::string>(&loaded)) {
    LEADTIME_FUZZ_CHECK(!error->empty(), "a bot refused without a reason");
    return 0;
  }
  lt::lua::Bot& bot = std::get<lt::lua::Bot>(loaded);
  check_memory(bot, "after loading");
  lt::Match match(scenario, 17);
  for (int round = 0; round < 2; ++round) {
    lt::lua::BotTurn turn = lt::lua::take_turn(bot, match.state(), scenario->coef, seat);
    check_memory(bot, "after deciding");
    LEADTIME_FUZZ_CHECK(turn.notes.size() == turn.faults.size(), "%zu notes for %zu faults", turn.notes.size(),
                        turn.faults.size());
    lt::RoundOrders orders(seats);
    orders[static_cast<std::size_t>(seat)] = std::move(turn.orders);
    match.play_round(std::move(orders), std::move(turn.notes));
    (void)lt::lua::tell_result(bot, match.state(), scenario->coef, seat);
    check_memory(bot, "after the result");
  }
  return 0;
}
