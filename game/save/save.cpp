#include "game/save/save.h"

#include <xxhash.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "engine/hash.h"
#include "engine/views.h"
#include "protocol/convert.h"
#include "save_generated.h"

namespace leadtime::game::save {

namespace fb = flatbuffers;
namespace fbs = ::leadtime::save;  // the generated save-file tables

namespace {

constexpr char kMagic[8] = {'L', 'E', 'A', 'D', 'T', 'I', 'M', 'E'};
constexpr std::size_t kHeader = 32;

void put_u32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
void put_u64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
std::uint32_t get_u32(const std::uint8_t* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
std::uint64_t get_u64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

std::string text(const fb::String* s) { return s ? s->str() : std::string(); }

std::vector<std::uint8_t> bytes(const fb::Vector<std::uint8_t>* v) {
  return v ? std::vector<std::uint8_t>(v->begin(), v->end()) : std::vector<std::uint8_t>();
}

SaveData read_game(const fbs::SavedGame& g) {
  SaveData d;
  d.game.id = text(g.game_id());
  d.game.scenario_path = text(g.scenario_path());
  d.game.scenario_source = text(g.scenario_source());
  d.game.seed = g.seed();
  d.game.deadline_s = g.deadline_s();
  if (g.bot_paths()) {
    for (const auto* p : *g.bot_paths()) d.game.bot_paths.push_back(p->str());
  }
  d.game.parent_id = text(g.parent_id());
  d.game.branch_round = g.branch_round();
  d.game.finished = g.finished();
  d.game.created_ms = g.created_ms();
  if (g.journal()) {
    for (const fbs::Entry* e : *g.journal()) {
      d.journal.push_back({e->seq(), e->at_ms(), text(e->kind()), e->seat(), text(e->args())});
    }
  }
  if (g.rounds()) {
    for (const fbs::Round* r : *g.rounds())
      d.rounds.push_back({r->round(), text(r->quarter()), r->hash(), bytes(r->snapshot())});
  }
  return d;
}

}  // namespace

std::vector<std::uint8_t> encode(const SaveData& d) {
  // Strings by their length, not as C strings (the *Direct helpers), so a
  // NUL inside one, say in a scenario's text, does not cut it short; the
  // bytes are otherwise those the helpers wrote.
  fb::FlatBufferBuilder fbb;
  std::vector<fb::Offset<fbs::Entry>> journal;
  for (const auto& e : d.journal) {
    const auto kind = fbb.CreateString(e.kind);
    const auto args = fbb.CreateString(e.payload);
    journal.push_back(fbs::CreateEntry(fbb, e.seq, e.at_ms, kind, e.seat, args));
  }
  std::vector<fb::Offset<fbs::Round>> rounds;
  for (const auto& r : d.rounds) {
    const auto quarter = fbb.CreateString(r.quarter);
    // No snapshot is no field: the verifier refuses an empty nested buffer.
    const auto snapshot = r.snapshot.empty() ? 0 : fbb.CreateVector(r.snapshot);
    rounds.push_back(fbs::CreateRound(fbb, r.round, quarter, r.hash, snapshot));
  }
  std::vector<fb::Offset<fb::String>> bots;
  for (const std::string& p : d.game.bot_paths) bots.push_back(fbb.CreateString(p));
  const auto id = fbb.CreateString(d.game.id);
  const auto scenario_path = fbb.CreateString(d.game.scenario_path);
  const auto scenario_source = fbb.CreateString(d.game.scenario_source);
  const auto bot_paths = fbb.CreateVector(bots);
  const auto parent_id = fbb.CreateString(d.game.parent_id);
  const auto journal_vec = fbb.CreateVector(journal);
  const auto rounds_vec = fbb.CreateVector(rounds);
  const auto game =
      fbs::CreateSavedGame(fbb, id, scenario_path, scenario_source, d.game.seed, d.game.deadline_s, bot_paths,
                           parent_id, d.game.branch_round, d.game.finished, d.game.created_ms, journal_vec, rounds_vec);
  fbs::FinishSavedGameBuffer(fbb, game);
  std::vector<std::uint8_t> out(kHeader + fbb.GetSize());
  std::memcpy(out.data(), kMagic, sizeof kMagic);
  put_u32(out.data() + 8, kFormatVersion);
  put_u32(out.data() + 12, 0);
  put_u64(out.data() + 16, fbb.GetSize());
  put_u64(out.data() + 24, XXH3_64bits(fbb.GetBufferPointer(), fbb.GetSize()));
  std::memcpy(out.data() + kHeader, fbb.GetBufferPointer(), fbb.GetSize());
  return out;
}

std::variant<SaveData, std::string> decode(std::span<const std::uint8_t> file) {
  if (file.size() < kHeader) {
    return "truncated: " + std::to_string(file.size()) + " bytes, shorter than the 32-byte header";
  }
  if (std::memcmp(file.data(), kMagic, sizeof kMagic) != 0) return std::string("not a Leadtime save file");
  const std::uint32_t version = get_u32(file.data() + 8);
  if (version > kFormatVersion) {
    return "format version " + std::to_string(version) + " is newer than this build reads (" +
           std::to_string(kFormatVersion) + "); upgrade Leadtime";
  }
  if (version < kOldestReadable) {
    return "format version " + std::to_string(version) + " is older than this build reads (" +
           std::to_string(kOldestReadable) + " to " + std::to_string(kFormatVersion) + ")";
  }
  const std::uint64_t size = get_u64(file.data() + 16);
  if (file.size() - kHeader != size) {
    return "truncated: the header says " + std::to_string(size) + " bytes of game, the file has " +
           std::to_string(file.size() - kHeader);
  }
  const std::span<const std::uint8_t> body = file.subspan(kHeader);
  if (XXH3_64bits(body.data(), body.size()) != get_u64(file.data() + 24)) {
    return std::string("checksum mismatch: the file was changed or damaged after it was written");
  }
  fb::Verifier verifier(body.data(), body.size());
  if (!fbs::VerifySavedGameBuffer(verifier)) return std::string("the game inside the file fails verification");
  return read_game(*fbs::GetSavedGame(body.data()));
}

std::vector<std::uint8_t> snapshot(const Match& match) {
  const State& state = match.state();
  fb::FlatBufferBuilder fbb;
  std::vector<fb::Offset<wire::SelfState>> actors;
  for (const Actor& a : state.actors) actors.push_back(protocol::to_wire(fbb, a));
  const auto actors_vec = fbb.CreateVector(actors);
  const auto indicators = protocol::to_wire(fbb, public_indicators(state, match.scenario().coef));
  const auto events = protocol::build_events(fbb, state.events);
  const auto scores = fbb.CreateVector(state.outcomes.scores);
  const auto canonical = fbb.CreateVector(canonical_bytes(state));
  const RoundRecord& last = match.history().back();
  const auto quarter = fbb.CreateString(last.quarter.str());
  fbb.Finish(
      fbs::CreateSnapshot(fbb, last.round + 1, quarter, last.hash, actors_vec, indicators, events, scores, canonical));
  return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

std::variant<std::vector<std::uint8_t>, std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return path + ": cannot open it";
  std::vector<std::uint8_t> out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return out;
}

std::string write_file(const std::string& path, std::span<const std::uint8_t> bytes) {
  // A temporary file renamed into place: a crash never leaves half a save.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return path + ": cannot write it";
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) return path + ": write failed (disk full?)";
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return path + ": " + ec.message();
  return {};
}

}  // namespace leadtime::game::save
