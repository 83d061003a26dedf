#pragma once

// The client's own small JSON files in the user's data folder (saved
// tokens, press already read): read whole, written whole, private to the
// user (0600 in a 0700 folder) and replaced atomically so a reader never
// sees half a file.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace leadtime::cli {

// $XDG_DATA_HOME/leadtime/NAME, else ~/.local/share/leadtime/NAME.
std::string data_path(const std::string& name);

// The file's JSON object; an empty object when it is missing or damaged.
nlohmann::json read_json_object(const std::string& path);

// Writes `object` to `path`, creating its folder; the error says what failed.
std::optional<std::string> write_private_json(const std::string& path, const nlohmann::json& object);

}  // namespace leadtime::cli
