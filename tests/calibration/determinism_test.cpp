// Same scenario, seed and orders give the same state hash every round, on any
// run and any thread; the recorded golden match pins the rules and the hash
// format so neither changes silently.
#include <fstream>
#include <sstream>
#include <thread>

#include "engine/hash.h"
#include "tests/calibration/lines.h"

namespace lt = leadtime;
using lt::testing::default_scenario;
using lt::testing::line;
using lt::testing::play;

namespace {

std::vector<std::uint64_t> hashes(const lt::Match& m) {
  std::vector<std::uint64_t> out;
  for (const lt::RoundRecord& r : m.history()) out.push_back(r.hash);
  return out;
}

}  // namespace

TEST_CASE("determinism: the same match twice gives identical hashes every round") {
  for (const char* name : {"tight", "lax"}) {
    const lt::OrderLine l = line(name);
    for (std::uint64_t seed : {1ULL, 7ULL, 123456789ULL}) {
      const auto a = hashes(*play(default_scenario(), l, seed));
      const auto b = hashes(*play(default_scenario(), l, seed));
      REQUIRE(a.size() == 10);
      CHECK(a == b);
    }
  }
}

TEST_CASE("determinism: different seeds give different matches") {
  const lt::OrderLine l = line("lax");
  const auto a = hashes(*play(default_scenario(), l, 1));
  const auto b = hashes(*play(default_scenario(), l, 2));
  for (std::size_t r = 0; r < a.size(); ++r) CHECK(a[r] != b[r]);
}

TEST_CASE("determinism: matches on two threads equal matches on one") {
  const lt::OrderLine l = line("tight");
  std::vector<std::vector<std::uint64_t>> sequential;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) sequential.push_back(hashes(*play(default_scenario(), l, seed)));
  std::vector<std::vector<std::uint64_t>> parallel(8);
  auto worker = [&](std::uint64_t first) {
    for (std::uint64_t seed = first; seed <= 8; seed += 2) {
      lt::LineResult result = lt::play_line(default_scenario(), seed, &l);
      parallel[seed - 1] = hashes(*result.match);
    }
  };
  std::thread t1(worker, 1);
  std::thread t2(worker, 2);
  t1.join();
  t2.join();
  CHECK(parallel == sequential);
}

TEST_CASE("determinism: golden match (tight line, seed 1) keeps its recorded hashes") {
  // A rule change that moves these must update tests/data/golden/tight_seed1.txt
  // in the same commit and say why.
  std::ifstream in("tests/data/golden/tight_seed1.txt");
  REQUIRE_MESSAGE(in, "missing tests/data/golden/tight_seed1.txt");
  std::vector<std::string> expected;
  for (std::string word; in >> word;) expected.push_back(word);
  const auto got = hashes(*play(default_scenario(), line("tight"), 1));
  REQUIRE(got.size() == expected.size());
  for (std::size_t r = 0; r < got.size(); ++r) {
    CAPTURE(r);
    CHECK(lt::hash_hex(got[r]) == expected[r]);
  }
}
