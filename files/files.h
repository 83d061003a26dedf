#pragma once

// Reading and writing whole files, for every layer that touches the disk
// (the engine itself never does). One small library so that "read this
// file", "the secret on a file's first line" and "replace a file so no
// reader sees half of it" are written once.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace leadtime::files {

// The whole file, byte for byte, or nullopt when it cannot be opened.
std::optional<std::string> read_file(const std::string& path);

// The first line without its line ending and trailing blanks (a token or a
// key pasted into a file), "" for an empty file; nullopt when the file
// cannot be opened.
std::optional<std::string> first_line(const std::string& path);

// Writes `text` to path + ".tmp" with `permissions` (from the moment it is
// created, so a secret is never readable by others) and renames it over
// `path`, so a reader sees the old file or the new one, never half of one.
// The folder must exist. The error names the file and why.
std::optional<std::string> replace_file(const std::string& path, std::string_view text,
                                        std::filesystem::perms permissions = std::filesystem::perms::owner_read |
                                                                             std::filesystem::perms::owner_write);

}  // namespace leadtime::files
