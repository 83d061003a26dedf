#pragma once

// A fresh folder under the system's temporary folder for one test's files
// (a database, a key, a log, a sweep's output), removed with everything in it
// afterwards. The one every suite uses.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <system_error>

namespace leadtime::testing {

struct TempDir {
  std::filesystem::path path;

  explicit TempDir(const std::string& prefix = "leadtime-test") {
    static std::atomic<int> counter{0};
    path = std::filesystem::temp_directory_path() /
           (prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    // A test may have taken its own write permission away (a read-only
    // database folder): given back, so everything goes.
    std::filesystem::permissions(path, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] std::string file(const std::string& name) const { return (path / name).string(); }
};

}  // namespace leadtime::testing
