// The facilitator's `report` command: exports the live game and writes its
// after-action page (client-cli/report_command.h), with a branch's parent
// when its save file is given or its facilitator token was saved here.
#include <filesystem>

#include "client-cli/render_json.h"
#include "client-cli/report_command.h"
#include "client-cli/session.h"
#include "report/game_record.h"

namespace leadtime::cli {

namespace save = game::save;

std::variant<std::vector<std::uint8_t>, std::string> Session::request_save() {
  flatbuffers::FlatBufferBuilder fbb;
  const Reply reply =
      call(fbb, wire::CreateFacilitatorCommandDirect(fbb, wire::Command::Export, model_.game_id.c_str()));
  if (auto why = failure(reply, wire::Message::SaveFile)) return *why;
  const auto* file = reply.envelope->message_as_SaveFile();
  if (file->data() == nullptr || file->data()->size() == 0) return std::string("the server sent an empty save file");
  return std::vector<std::uint8_t>(file->data()->begin(), file->data()->end());
}

namespace {

struct ReportArgs {
  std::string out;
  std::string parent;
};

std::variant<ReportArgs, std::string> parse_report_args(const std::vector<std::string>& args) {
  ReportArgs r;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool takes_value = a == "-o" || a == "--out" || a == "--parent";
    if (takes_value && i + 1 >= args.size()) return "expected a file after " + a;
    if (a == "-o" || a == "--out") {
      r.out = args[++i];
    } else if (a == "--parent") {
      r.parent = args[++i];
    } else if (!a.empty() && a[0] != '-' && r.out.empty()) {
      r.out = a;
    } else {
      return "unexpected '" + a + "'";
    }
  }
  return r;
}

}  // namespace

bool Session::cmd_report(const std::vector<std::string>& args) {
  auto parsed = parse_report_args(args);
  if (auto* why = std::get_if<std::string>(&parsed)) {
    return fail("report: " + *why + "; e.g. 'report -o debrief.html' or 'report -o debrief.html --parent g1.save'");
  }
  const ReportArgs& r = std::get<ReportArgs>(parsed);
  auto bytes = request_save();
  if (auto* why = std::get_if<std::string>(&bytes)) return fail("report: " + *why);
  auto decoded = save::decode(std::get<std::vector<std::uint8_t>>(bytes));
  if (auto* why = std::get_if<std::string>(&decoded)) return fail("report: the server's save file: " + *why);
  const save::SaveData& game = std::get<save::SaveData>(decoded);

  // The parent: a save file or a game id given with --parent, else the one
  // the branch's record names. Another game is fetched over a connection of
  // its own with the facilitator token this client saved when it was created.
  std::optional<save::SaveData> parent;
  std::string note;
  std::error_code ec;
  std::string parent_id = game.game.parent_id;
  if (!r.parent.empty() && std::filesystem::is_regular_file(r.parent, ec)) {
    auto loaded = report::load_save_file(r.parent);
    if (auto* why = std::get_if<std::string>(&loaded)) return fail("report: --parent: " + *why);
    parent = std::get<save::SaveData>(std::move(loaded));
    parent_id.clear();
  } else if (!r.parent.empty()) {
    parent_id = r.parent;
  }
  if (!parent_id.empty()) {
    const auto saved = tokens_.find(transport_.address(), parent_id);
    if (saved && !saved->facilitator.empty()) {
      auto fetched = fetch_save(transport_.address(), options_.tls, saved->facilitator, options_.request_timeout);
      if (auto* why = std::get_if<std::string>(&fetched)) {
        note = *why;
      } else {
        parent = std::get<save::SaveData>(std::move(fetched));
      }
    } else {
      note = "no saved facilitator token for " + parent_id + "; give its save file with --parent FILE";
    }
    if (!r.parent.empty() && !parent) return fail("report: --parent " + r.parent + ": " + note);
  }
  auto written =
      write_game_report(game, parent ? &*parent : nullptr, note, r.out, "Written by leadtime-cli from the live game.");
  if (auto* why = std::get_if<std::string>(&written)) return fail("report: " + *why);
  const WrittenReport& w = std::get<WrittenReport>(written);
  std::string text = written_text(w);
  if (!note.empty()) text += "\nThe parent " + parent_id + " is not on the charts: " + note;
  return ok(text,
            typed("report", {{"game_id", w.game_id},
                             {"path", w.path},
                             {"bytes", w.bytes},
                             {"rounds", w.rounds},
                             {"parent", w.parent_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(w.parent_id)}}));
}

}  // namespace leadtime::cli
