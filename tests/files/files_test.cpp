// files/files.h: whole files read byte for byte, a secret's first line, and
// a file replaced so that no reader sees half of it, private from the start.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "files/files.h"

namespace fs = std::filesystem;
namespace files = leadtime::files;

namespace {

struct Scratch {
  Scratch() : path(fs::temp_directory_path() / ("leadtime-files-test-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Scratch() { fs::remove_all(path); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  [[nodiscard]] std::string file(const std::string& name) const { return (path / name).string(); }
  fs::path path;
};

void write(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

}  // namespace

TEST_CASE("read_file: every byte, or nothing when the file cannot be opened") {
  Scratch dir;
  const std::string bytes = std::string("line one\r\nline\0two\n", 19) + std::string(100000, 'x');
  write(dir.file("a.bin"), bytes);
  CHECK(files::read_file(dir.file("a.bin")) == bytes);
  write(dir.file("empty"), "");
  CHECK(files::read_file(dir.file("empty")) == "");
  CHECK_FALSE(files::read_file(dir.file("missing")));
}

TEST_CASE("first_line: without its line ending and trailing blanks; empty for an empty file") {
  Scratch dir;
  write(dir.file("token"), "s3cret  \r\nsecond line\n");
  CHECK(files::first_line(dir.file("token")) == "s3cret");
  write(dir.file("empty"), "");
  CHECK(files::first_line(dir.file("empty")) == "");
  CHECK_FALSE(files::first_line(dir.file("missing")));
}

TEST_CASE("replace_file: the new text in place, private to its owner, no temporary left; errors name the file") {
  Scratch dir;
  const std::string path = dir.file("tokens.json");
  write(path, "old");
  ::chmod(path.c_str(), 0644);
  REQUIRE_FALSE(files::replace_file(path, "{\"new\": true}\n"));
  CHECK(files::read_file(path) == "{\"new\": true}\n");
  CHECK((fs::status(path).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
  CHECK_FALSE(fs::exists(path + ".tmp"));
  const auto error = files::replace_file(dir.file("no/such/folder/x.json"), "x");
  REQUIRE(error);
  CHECK(error->starts_with("cannot write " + dir.file("no/such/folder/x.json.tmp") + ": "));
}
