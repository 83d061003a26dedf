#pragma once

// Scenarios that extend others (internal to the loader). A variant names its
// base with `extends = "../2028.lua"` (relative to its own file) and gives
// only what differs; the base's table and the variant's are merged in the
// sandbox by a fixed rule per field (docs/scenarios.md):
//   - tables of named fields (the scenario, coefficients, local_preference,
//     markets, a market, hubs, an actor, an event) merge key by key, and any
//     other value replaces the base's (a market's `share`, an event's
//     `conditions` and `effects`, `hooks`);
//   - `actors` and `events` merge by id: an entry with a base id changes that
//     entry, a new id is added at the end, { id = ..., remove = true } drops
//     one; an actor's `objectives` merge the same way by metric;
//   - an actor's `orders` are added after the base's, so they win.
// The merged table is then read by the ordinary readers, and each problem is
// blamed on the file (and the field path in that file) it came from.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/lua/sandbox.h"
#include "engine/lua/scenario_loader.h"

namespace leadtime::scenario_detail {

inline constexpr int kMaxExtends = 8;  // bases in a chain, past which it is surely a mistake

// One file of a chain, the root (a file that extends nothing) first.
struct ChainFile {
  std::string path;  // as named: the loaded path, or resolved from the extending file's directory
  std::string source;
  // How the table merged at this file relates to its own table and to the
  // merged table of its base (all empty for the root): merged path -> path.
  std::map<std::string, std::string> whole;      // the value is this file's own
  std::map<std::string, std::string> touched;    // a table this file changed in part
  std::map<std::string, std::string> base_path;  // a list entry that came from the base
};

struct Chain {
  std::vector<ChainFile> files;  // root first; the file that was loaded last
};

// Where a problem at a path of the merged table belongs.
struct Blame {
  std::size_t file = 0;  // index into Chain::files
  std::string path;      // field path in that file
};

Blame blame(const Chain& chain, const std::string& merged_path);

// Runs the file (and its bases, each with the budget of a data file) in
// `sandbox` and leaves the merged scenario table on top of the stack, ready
// for the readers. On failure returns the problem, which names the file.
std::optional<LoadError> run_scenario_chain(lua::Sandbox& sandbox, std::string_view source,
                                            const std::string& chunkname, Chain& chain);

// A located problem: `field` empty for the file as a whole, `line` looked up
// in `source` when 0.
LoadError make_error(const std::string& file, std::string_view source, const std::string& field,
                     const std::string& message, int line = 0);
// A message of the sandbox's ("file:12: attempt to ..." or "file: ...") as a
// problem of `file`.
LoadError run_error(const std::string& file, const std::string& text);

// The line (1-based) of a field path ("actors[3].kind") in a data file's
// text; 0 when it cannot be told. See scenario_locate.cpp.
int locate_field(std::string_view source, std::string_view path);

}  // namespace leadtime::scenario_detail
