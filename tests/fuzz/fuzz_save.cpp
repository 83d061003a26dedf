// Fuzz target "save": save-file import (game/save/save.h): decode, then
// rebuild the game from the decoded record by replaying its journal, as
// `leadtime-server import` and `replay` do.
//
// Input: a whole save file when it starts with "LEADTIME"; otherwise the
// SavedGame buffer alone, which gets a correct header and checksum so the
// fuzzer's changes reach the verifier and the replay instead of failing the
// checksum. Beyond "no crash", it checks that
//   - a decoded save encodes and decodes again to the same bytes;
//   - a game rebuilt from it, exported again (row and re-recorded journal)
//     and rebuilt, ends in the same state.
#include <xxhash.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "engine/hash.h"
#include "game/save/restore.h"
#include "game/save/save.h"
#include "tests/fuzz/fuzz_common.h"

namespace save = leadtime::game::save;
namespace srv = leadtime::game;

namespace {

std::vector<std::uint8_t> with_header(std::span<const std::uint8_t> body) {
  std::vector<std::uint8_t> file(32 + body.size());
  std::memcpy(file.data(), "LEADTIME", 8);
  const auto put = [&file](std::size_t at, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) file[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
  };
  put(8, save::kFormatVersion, 4);
  put(16, body.size(), 8);
  put(24, XXH3_64bits(body.data(), body.size()), 8);
  if (!body.empty()) std::memcpy(file.data() + 32, body.data(), body.size());
  return file;
}

std::int64_t wall(srv::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view magic("LEADTIME");
  const std::span<const std::uint8_t> input(data, size);
  const bool whole = size >= magic.size() && std::memcmp(data, magic.data(), magic.size()) == 0;
  const std::vector<std::uint8_t> file =
      whole ? std::vector<std::uint8_t>(input.begin(), input.end()) : with_header(input);

  auto decoded = save::decode(file);
  if (auto* error = std::get_if<std::string>(&decoded)) {
    LEADTIME_FUZZ_CHECK(!error->empty(), "a save refused without a reason");
    return 0;
  }
  const save::SaveData& data_in = std::get<save::SaveData>(decoded);

  // What decodes, encodes to a file that decodes to the same.
  const std::vector<std::uint8_t> again = save::encode(data_in);
  auto redecoded = save::decode(again);
  LEADTIME_FUZZ_CHECK(std::holds_alternative<save::SaveData>(redecoded), "a re-encoded save does not decode: %s",
                      std::get<std::string>(redecoded).c_str());
  LEADTIME_FUZZ_CHECK(save::encode(std::get<save::SaveData>(redecoded)) == again,
                      "a save encodes differently after a round trip");

  save::Rebuilt rebuilt = save::rebuild(data_in.game, data_in.journal);
  if (!rebuilt.game) {
    LEADTIME_FUZZ_CHECK(!rebuilt.error.empty(), "a game not rebuilt without a reason");
    return 0;
  }
  // As import does: new tokens, the row as it would be stored.
  srv::Game& game = *rebuilt.game;
  (void)game.issue_tokens();
  save::SaveData exported;
  exported.game = save::row_of(game, data_in.game.scenario_path, data_in.game.scenario_source, data_in.game.created_ms);
  for (const srv::Change& c : game.changes()) exported.journal.push_back(save::entry_of(c, wall));
  if (!rebuilt.error.empty()) return 0;  // the replay stopped part way: the journal cannot be trusted

  // The game as replayed, recorded and rebuilt again, ends the same.
  exported.game.facilitator_token_hash.clear();
  exported.game.observer_token_hash.clear();
  exported.game.seat_token_hashes.clear();
  auto back = save::decode(save::encode(exported));
  LEADTIME_FUZZ_CHECK(std::holds_alternative<save::SaveData>(back), "an exported game does not decode: %s",
                      std::get<std::string>(back).c_str());
  const save::SaveData& second = std::get<save::SaveData>(back);
  save::Rebuilt twice = save::rebuild(second.game, second.journal);
  LEADTIME_FUZZ_CHECK(twice.game && twice.error.empty(), "a re-exported game does not rebuild: %s",
                      twice.error.c_str());
  LEADTIME_FUZZ_CHECK(twice.game->match().history().size() == game.match().history().size(),
                      "%zu rounds after the first rebuild, %zu after the second", game.match().history().size(),
                      twice.game->match().history().size());
  LEADTIME_FUZZ_CHECK(leadtime::state_hash(twice.game->match().state()) == leadtime::state_hash(game.match().state()),
                      "a re-exported game ends in another state");
  return 0;
}
