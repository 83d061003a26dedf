#include "client-cli/data_file.h"

#include <cstdlib>
#include <filesystem>

#include "files/files.h"

namespace leadtime::cli {

namespace fs = std::filesystem;

std::string data_path(const std::string& name) {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    return (fs::path(xdg) / "leadtime" / name).string();
  }
  const char* home = std::getenv("HOME");
  return (fs::path(home != nullptr ? home : ".") / ".local" / "share" / "leadtime" / name).string();
}

nlohmann::json read_json_object(const std::string& path) {
  const auto text = files::read_file(path);
  if (!text) return nlohmann::json::object();
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  return j.is_object() ? j : nlohmann::json::object();
}

std::optional<std::string> write_private_json(const std::string& path, const nlohmann::json& object) {
  const fs::path p(path);
  std::error_code ec;
  if (p.has_parent_path() && !fs::exists(p.parent_path())) {
    fs::create_directories(p.parent_path(), ec);
    if (ec) return "cannot create " + p.parent_path().string() + ": " + ec.message();
    fs::permissions(p.parent_path(), fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  return files::replace_file(path, object.dump(2) + "\n");
}

}  // namespace leadtime::cli
