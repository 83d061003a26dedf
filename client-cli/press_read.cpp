#include "client-cli/press_read.h"

#include <algorithm>
#include <filesystem>

#include "client-cli/data_file.h"

namespace leadtime::cli {

using nlohmann::json;

PressReadState read_state_of(const std::vector<PressItem>& press) {
  PressReadState state;
  for (const PressItem& p : press) {
    if (p.seq == 0) continue;
    state.seen = std::max(state.seen, p.seq);
    if (!p.read) state.unread.push_back(p.seq);
  }
  std::sort(state.unread.begin(), state.unread.end());
  return state;
}

void apply_read_state(const PressReadState& state, std::vector<PressItem>& press) {
  for (PressItem& p : press) {
    if (p.seq == 0 || p.seq > state.seen) continue;
    if (!std::binary_search(state.unread.begin(), state.unread.end(), p.seq)) p.read = true;
  }
}

std::string PressReadStore::beside(const std::string& tokens_path) {
  return (std::filesystem::path(tokens_path).parent_path() / "press_read.json").string();
}

std::optional<PressReadState> PressReadStore::find(const std::string& server, const std::string& who) const {
  const json all = read_json_object(path_);
  const auto servers = all.find("servers");
  if (servers == all.end() || !servers->is_object()) return std::nullopt;
  const auto games = servers->find(server);
  if (games == servers->end() || !games->is_object()) return std::nullopt;
  const auto entry = games->find(who);
  if (entry == games->end() || !entry->is_object()) return std::nullopt;
  PressReadState state;
  const auto seen = entry->find("seen");
  if (seen == entry->end() || !seen->is_number_unsigned()) return std::nullopt;
  state.seen = seen->get<std::uint64_t>();
  if (const auto unread = entry->find("unread"); unread != entry->end() && unread->is_array()) {
    for (const json& seq : *unread) {
      if (seq.is_number_unsigned()) state.unread.push_back(seq.get<std::uint64_t>());
    }
  }
  std::sort(state.unread.begin(), state.unread.end());
  return state;
}

std::optional<std::string> PressReadStore::save(const std::string& server, const std::string& who,
                                                const PressReadState& state) const {
  json all = read_json_object(path_);
  all["version"] = 1;
  json& servers = all["servers"];
  if (!servers.is_object()) servers = json::object();  // a damaged file starts afresh
  json& games = servers[server];
  if (!games.is_object()) games = json::object();
  games[who] = {{"seen", state.seen}, {"unread", state.unread}};
  return write_private_json(path_, all);
}

}  // namespace leadtime::cli
