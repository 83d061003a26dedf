// A main for fuzz targets built without libFuzzer (the gcc build): runs every
// file of the folders named on the command line through the target, in
// sorted order, so each target's seed corpus and every crash ever found run
// as a regression test under the ordinary sanitizer build. The first folder
// (the corpus) must hold at least one file; later ones may be missing.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> files_in(const fs::path& place) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (fs::is_regular_file(place, ec)) {
    out.push_back(place);
    return out;
  }
  if (!fs::is_directory(place, ec)) return out;
  for (const auto& entry : fs::directory_iterator(place, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && !name.starts_with(".") && name != "README.md") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [MORE_DIRS_OR_FILES...]\n", argv[0]);
    return 2;
  }
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  std::size_t total = 0;
  for (int i = 1; i < argc; ++i) {
    const std::vector<fs::path> files = files_in(argv[i]);
    if (i == 1 && files.empty()) {
      std::fprintf(stderr, "%s: no inputs in %s\n", argv[0], argv[i]);
      return 1;
    }
    for (const fs::path& file : files) {
      std::ifstream in(file, std::ios::binary);
      const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      // A buffer of exactly the input's size, so the sanitizer catches any
      // read past its end, as under libFuzzer.
      const auto copy = std::make_unique<std::uint8_t[]>(bytes.size() + (bytes.empty() ? 1 : 0));
      if (!bytes.empty()) std::memcpy(copy.get(), bytes.data(), bytes.size());
      std::fprintf(stderr, "running %s (%zu bytes)\n", file.c_str(), bytes.size());
      LLVMFuzzerTestOneInput(copy.get(), bytes.size());
      ++total;
    }
  }
  std::fprintf(stderr, "%s: %zu inputs ran\n", argv[0], total);
  return 0;
}
