#pragma once

// A fresh folder under the system's temporary folder for one test's files
// (a database, a key, a log), removed with everything in it afterwards.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <system_error>

namespace net_testing {

struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& prefix = "leadtime-test") {
    path = std::filesystem::temp_directory_path() /
           (prefix + "-" + std::to_string(::getpid()) + "-" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

}  // namespace net_testing
