// What the scenario says and what the facilitator looks at: briefings,
// objectives, the scenario's event table (ScenarioInfo), each seat's orders
// and state, and the handouts written when a game is created.
#include <algorithm>
#include <filesystem>

#include "client-cli/handouts.h"
#include "client-cli/render_json.h"
#include "client-cli/render_scenario.h"
#include "client-cli/render_text.h"
#include "client-cli/session.h"
#include "client-cli/suggest.h"
#include "engine/text.h"
#include "files/files.h"

namespace leadtime::cli {

using Args = std::vector<std::string>;

namespace {

const protocol::SeatDetails* seat_details(const protocol::ScenarioDetails* scenario, const std::string& seat) {
  if (scenario == nullptr) return nullptr;
  for (const auto& s : scenario->seats) {
    if (s.id == seat) return &s;
  }
  return nullptr;
}

// A folder name for a server address ("127.0.0.1:7700" -> "127.0.0.1_7700").
std::string folder_name(std::string text) {
  for (char& c : text) {
    if (c == ':' || c == '/' || c == '\\') c = '_';
  }
  return text;
}

}  // namespace

std::optional<std::string> Session::fetch_scenario(const std::string& path) {
  flatbuffers::FlatBufferBuilder fbb;
  const Reply reply =
      call(fbb, wire::CreateScenarioInfoRequestDirect(fbb, path.c_str(), options_.facilitator_key.c_str()));
  if (auto why = failure(reply, wire::Message::ScenarioInfo)) {
    // An answer (not a lost connection) means this server will not say.
    if (reply) scenario_refused_ = *why;
    return why;
  }
  model_.scenario = protocol::scenario_info_from_wire(*reply.envelope->message_as_ScenarioInfo());
  return std::nullopt;
}

const protocol::ScenarioDetails* Session::scenario_details(std::string& why) {
  if (model_.scenario) return &*model_.scenario;
  if (!scenario_refused_.empty()) {
    why = "the server does not send the scenario (" + scenario_refused_ + ")";
    return nullptr;
  }
  if (auto problem = fetch_scenario()) {
    why = "the server did not send the scenario: " + *problem;
    return nullptr;
  }
  return &*model_.scenario;
}

std::optional<std::string> Session::check_seat(std::string_view command, const std::string& seat) const {
  const std::vector<std::string> known = model_.seat_ids();
  if (known.empty() || std::find(known.begin(), known.end(), seat) != known.end()) return std::nullopt;
  const std::string hint = did_you_mean(seat, known);
  return std::string(command) + ": no seat '" + seat + "'" +
         (hint.empty() ? "; seats are " + leadtime::join(known, ", ") : hint);
}

bool Session::show_scenario_events() {
  std::string why;
  const protocol::ScenarioDetails* scenario = scenario_details(why);
  if (scenario == nullptr) return fail("events scenario: " + why);
  if (model_.role != Role::Facilitator) {
    return ok(scenario_events_text(*scenario), typed("scenario_events", scenario_events_json(*scenario)));
  }
  // The facilitator injects these too.
  nlohmann::json data = scenario_events_json(*scenario);
  data["injects"] = engine_injects_json(&model_.actors);
  return ok(scenario_events_text(*scenario) + "\n" + engine_injects_text(&model_.actors),
            typed("scenario_events", std::move(data)));
}

bool Session::cmd_briefing(const Args& args) {
  if (args.size() > 1) return fail("briefing: expected at most one seat, e.g. 'briefing us'");
  std::string seat = args.empty() ? model_.seat : args[0];
  if (model_.role != Role::Facilitator && !args.empty() && args[0] != model_.seat) {
    return fail("briefing: you may read only your own seat's briefing ('briefing')");
  }
  if (seat.empty()) {
    return fail(model_.role == Role::Facilitator ? "briefing: name a seat, e.g. 'briefing us' (seats: " +
                                                       leadtime::join(model_.seat_ids(), ", ") + ")"
                                                 : "briefing: an observer has no seat, so no briefing");
  }
  if (auto why = check_seat("briefing", seat)) return fail(*why);
  std::string text = seat == model_.seat ? model_.briefing : std::string();
  if (text.empty()) {
    std::string why;
    const protocol::SeatDetails* details = seat_details(scenario_details(why), seat);
    if (details == nullptr || details->briefing.empty()) {
      return fail("briefing: no briefing for " + seat + (why.empty() ? " from the server" : "; " + why));
    }
    text = details->briefing;
  }
  return ok(text, typed("briefing", {{"seat", seat}, {"text", text}}));
}

bool Session::cmd_objectives(const Args& args) {
  std::vector<std::string> seats;
  if (model_.role == Role::Facilitator) {
    seats = args.empty() ? model_.seat_ids() : args;
  } else if (!args.empty() && (args.size() > 1 || args[0] != model_.seat)) {
    return fail("objectives: you may see only your own seat's objectives ('objectives')");
  } else if (!model_.seat.empty()) {
    seats = {model_.seat};
  } else {
    return fail("objectives: an observer has no seat, so no objectives");
  }
  std::string text;
  json list = json::array();
  std::string why;
  for (const std::string& seat : seats) {
    if (auto problem = check_seat("objectives", seat)) return fail(*problem);
    std::vector<protocol::ObjectiveDetails> objectives =
        seat == model_.seat ? model_.objectives : decltype(objectives){};
    if (objectives.empty()) {
      if (const auto* details = seat_details(scenario_details(why), seat)) objectives = details->objectives;
    }
    if (objectives.empty()) return fail("objectives: none known for " + seat + (why.empty() ? "" : "; " + why));
    std::optional<double> score;
    if (seat == model_.seat && model_.view) score = model_.view->own_score;
    if (model_.facilitator) {
      const auto& actors = model_.facilitator->actors;
      for (std::size_t i = 0; i < actors.size() && i < model_.facilitator->scores.size(); ++i) {
        if (actors[i].id == seat) score = model_.facilitator->scores[i];
      }
    }
    const bool own = seat == model_.seat;
    text += (text.empty() ? "" : "\n") + std::string(own ? "Your score" : seat + "'s score") +
            (score ? " now: " + format_number(*score, 4) + " (after round " + std::to_string(model_.round()) + ")"
                   : std::string()) +
            "\n  = " + score_formula(objectives) + ", after every round:\n" + objectives_lines(objectives);
    list.push_back(
        {{"seat", seat}, {"score", score ? json(*score) : json(nullptr)}, {"objectives", objectives_json(objectives)}});
  }
  if (!text.ends_with('\n')) text += "\n";
  text.pop_back();
  return ok(text, typed("objectives", {{"round", model_.round()}, {"seats", list}}));
}

bool Session::cmd_orders(const Args& args) {
  const std::vector<std::string> seats = args.empty() ? model_.seat_ids() : args;
  std::string text;
  json list = json::array();
  for (const std::string& seat : seats) {
    if (auto why = check_seat("orders", seat)) return fail(*why);
    text += seat_orders_text(model_, seat);
    list.push_back(seat_orders_json(model_, seat));
  }
  if (text.empty()) return fail("orders: the server has not sent this game's seats yet");
  text.pop_back();
  return ok(text, typed("orders", {{"round", model_.round()}, {"seats", list}}));
}

bool Session::cmd_seat(const Args& args) {
  if (args.size() != 1) return fail("seat: expected one seat, e.g. 'seat cn'");
  if (auto why = check_seat("seat", args[0])) return fail(*why);
  if (!model_.scenario && scenario_refused_.empty()) (void)fetch_scenario();  // for the objectives
  return ok(seat_text(model_, args[0]), typed("seat", seat_json(model_, args[0])));
}

std::optional<protocol::ScenarioDetails> Session::new_game_scenario(const std::string& game_id, const std::string& path,
                                                                    std::string& why) {
  if (model_.game_id == game_id) {
    const protocol::ScenarioDetails* details = scenario_details(why);
    return details != nullptr ? std::optional(*details) : std::nullopt;
  }
  // In another game, "" would be that game's scenario, not the new one's.
  if (model_.role != Role::None && path.empty()) {
    why = "join the new game and type 'briefing SEAT'";
    return std::nullopt;
  }
  flatbuffers::FlatBufferBuilder fbb;
  const Reply reply =
      call(fbb, wire::CreateScenarioInfoRequestDirect(fbb, path.c_str(), options_.facilitator_key.c_str()));
  if (auto problem = failure(reply, wire::Message::ScenarioInfo)) {
    why = *problem;
    return std::nullopt;
  }
  return protocol::scenario_info_from_wire(*reply.envelope->message_as_ScenarioInfo());
}

void Session::write_game_handouts(const wire::GameCreated& created, const protocol::ScenarioDetails* scenario,
                                  const std::string& why, const HandoutPlace& place) {
  if (created.seats() == nullptr || created.seats()->size() == 0) return;
  Handouts h;
  h.game_id = created.game_id() ? created.game_id()->str() : "";
  std::string address = place.address.empty() ? transport_.address() : place.address;
  const bool tls = options_.tls.enabled || address.starts_with("tls://");
  if (address.starts_with("tls://")) address.erase(0, 6);
  // Teams join the way this client did: over TLS when it did.
  h.server_address = tls ? "tls://" + address : address;
  h.web_url = !options_.web_url.empty() ? options_.web_url : web_url_for(server_web_url_, address);
  if (!options_.tls.ca_file.empty()) {
    if (auto pem = files::read_file(options_.tls.ca_file)) h.tls_ca_pem = std::move(*pem);
  }
  if (scenario != nullptr) h.scenario = scenario->name;
  for (const wire::SeatToken* t : *created.seats()) {
    HandoutSeat seat;
    seat.seat = t->seat() ? t->seat()->str() : "";
    seat.token = t->token() ? t->token()->str() : "";
    if (const protocol::SeatDetails* s = seat_details(scenario, seat.seat)) {
      seat.name = s->name;
      seat.briefing = s->briefing;
      seat.objectives = s->objectives;
    }
    h.seats.push_back(std::move(seat));
  }
  namespace fs = std::filesystem;
  const std::string folder =
      !place.dir.empty()
          ? place.dir
          : (fs::path(tokens_.path()).parent_path() / "handouts" / folder_name(transport_.address()) / h.game_id)
                .string();
  const auto written = write_handouts(folder, h);
  if (const auto* problem = std::get_if<std::string>(&written)) {
    emit(Output::error_text("the handouts were not written: " + *problem));
    return;
  }
  std::string text = "Handouts for " + count_noun(h.seats.size(), "seat") + " in " + folder +
                     ": print each SEAT-handout.md for its team and hand it its SEAT.token.";
  if (scenario == nullptr) text += " (Without briefings: " + (why.empty() ? std::string("no scenario") : why) + ".)";
  if (h.web_url.empty()) {
    text += " No browser links: this server serves no pages (leadtime-server --web), or give --web-url URL.";
  }
  ok(text, typed("handouts",
                 {{"game_id", h.game_id}, {"dir", folder}, {"files", std::get<std::vector<std::string>>(written)}}));
}

}  // namespace leadtime::cli
