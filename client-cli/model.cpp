#include "client-cli/model.h"

#include <algorithm>

#include "client-cli/render_json.h"
#include "client-cli/render_text.h"
#include "client-cli/wire_read.h"
#include "protocol/view_from_wire.h"

namespace leadtime::cli {

Output Output::error_text(std::string text) {
  Output o;
  o.json = typed("error", {{"source", "client"}, {"text", text}});
  o.text = std::move(text);
  o.error = true;
  return o;
}

Output Output::note(std::string text, std::string json_type) {
  Output o;
  o.json = typed(std::move(json_type), {{"text", text}});
  o.text = std::move(text);
  return o;
}

namespace {

Output push(std::string type, json body, std::string text = {}) {
  Output o;
  o.json = typed(std::move(type), std::move(body));
  o.text = std::move(text);
  return o;
}

Actor bare_actor(std::string id, std::string name, ActorKind kind, Bloc bloc) {
  Actor a;
  a.id = std::move(id);
  a.name = std::move(name);
  a.kind = kind;
  a.bloc = bloc;
  return a;
}

}  // namespace

State actors_from_view(const View& view) {
  State s;
  int count = view.viewer + 1;
  for (const Estimate& e : view.others) count = std::max(count, e.actor + 1);
  s.actors.resize(static_cast<std::size_t>(std::max(count, 0)));
  if (view.self && view.viewer >= 0) {
    s.actors[static_cast<std::size_t>(view.viewer)] =
        bare_actor(view.self->id, view.self->name, view.self->kind, view.self->bloc);
  }
  for (const Estimate& e : view.others) {
    if (e.actor >= 0) s.actors[static_cast<std::size_t>(e.actor)] = bare_actor(e.id, e.id, e.kind, e.bloc);
  }
  s.round = view.round;
  s.quarter = view.quarter;
  return s;
}

State actors_from_list(const std::vector<Actor>& actors) {
  State s;
  for (const Actor& a : actors) s.actors.push_back(bare_actor(a.id, a.name, a.kind, a.bloc));
  return s;
}

const Actor* ClientModel::self() const { return view && view->self ? &*view->self : nullptr; }

int ClientModel::round() const { return last_round; }

std::vector<Output> ClientModel::follow_round(int current) {
  if (current >= last_round) {
    last_round = current;
    return {};
  }
  // Fewer rounds than already seen: the facilitator rolled the game back.
  // What came after is no longer history.
  rounds.erase(rounds.upper_bound(current), rounds.end());
  cash_by_round.erase(cash_by_round.upper_bound(current), cash_by_round.end());
  score_by_round.erase(score_by_round.upper_bound(current), score_by_round.end());
  ended.reset();
  last_round = current;
  const std::string text = "The game was rolled back to round " + std::to_string(current) + ": round " +
                           std::to_string(current + 1) + " is open again";
  return {push("rolled_back", {{"round", current}}, quiet ? std::string() : text)};
}

int ClientModel::total_rounds() const { return game ? game->rounds : 0; }

std::string ClientModel::phase() const { return game ? game->phase : std::string(); }

bool ClientModel::over() const {
  if (ended) return true;
  if (game && game->phase == "finished") return true;
  return total_rounds() > 0 && round() >= total_rounds();
}

std::size_t ClientModel::unread() const {
  return static_cast<std::size_t>(
      std::count_if(press.begin(), press.end(), [](const PressItem& p) { return !p.read; }));
}

std::vector<std::string> ClientModel::seat_ids() const {
  std::vector<std::string> ids;
  for (const Actor& a : actors.actors) {
    if (!a.id.empty()) ids.push_back(a.id);
  }
  if (ids.empty() && game) {
    for (const SeatInfo& s : game->seats) ids.push_back(s.seat);
  }
  return ids;
}

void ClientModel::forget_game() {
  const std::string version = server_version;
  const bool hints = command_hints;
  *this = ClientModel{};
  server_version = version;
  command_hints = hints;
}

void ClientModel::apply_joined(const wire::Joined& joined) {
  role = read_role(joined.role());
  game_id = joined.game_id() ? joined.game_id()->str() : "";
  seat = joined.seat() ? joined.seat()->str() : "";
  if (joined.briefing() != nullptr && joined.briefing()->size() > 0) briefing = joined.briefing()->str();
  if (joined.objectives() != nullptr) objectives = protocol::objectives_from_wire(joined.objectives());
  if (joined.scenario() != nullptr && joined.scenario()->size() > 0) scenario_name = joined.scenario()->str();
  // The orders the server holds for the open round: the truth about this
  // round, whatever the draft remembers (rounds may have resolved while the
  // connection was down). The view that follows says which round it is.
  joined_orders_ = read_orders(joined.orders());
  joined_ready_ = joined.ready();
  joined_orders_pending_ = true;
}

void ClientModel::settle_joined(int r) {
  joined_orders_pending_ = false;
  // Changes typed for this very round and not yet sent stay; anything else
  // is the server's.
  if (r != draft_round || !draft.dirty()) draft.load_submitted(std::move(joined_orders_));
  joined_orders_.clear();
  ready = joined_ready_;
  draft_round = r;
}

void ClientModel::start_round(int r) {
  draft.clear();
  ready = false;
  draft_round = r;
}

std::vector<Output> ClientModel::apply_push(const wire::Envelope& env, SteadyTime now) {
  switch (env.message_type()) {
    case wire::Message::ViewMsg:
      return on_view(*env.message_as_ViewMsg());
    case wire::Message::RoundResult:
      return on_round_result(*env.message_as_RoundResult());
    case wire::Message::Press:
      return on_press(*env.message_as_Press());
    case wire::Message::GameSummary:
      return on_game(*env.message_as_GameSummary(), now);
    case wire::Message::FacilitatorView:
      return on_facilitator_view(*env.message_as_FacilitatorView());
    case wire::Message::GameEnded:
      return on_game_ended(*env.message_as_GameEnded());
    case wire::Message::Pong:
      return {};  // the connection's keepalive: nothing to show
    case wire::Message::Error: {
      const wire::Error& e = *env.message_as_Error();
      const std::string text = e.text() ? e.text()->str() : "";
      server_errors.push_back(text);
      Output o = push("error", {{"source", "server"}, {"code", wire::EnumNameErrorCode(e.code())}, {"text", text}},
                      "server: " + text);
      o.error = true;
      return {o};
    }
    default:
      return {push(wire::EnumNameMessage(env.message_type()), json::object())};
  }
}

std::vector<Output> ClientModel::on_view(const wire::ViewMsg& msg) {
  View v = protocol::view_from_wire(msg);
  std::vector<Output> out = follow_round(v.round);
  actors = actors_from_view(v);
  RoundInfo& info = rounds[v.round];
  info.round = v.round;
  if (!info.from_result) {
    info.quarter = v.round == 0 ? "start" : v.quarter.plus(-1).str();
    info.indicators = v.indicators;
    info.events = v.events;
  }
  if (v.self) cash_by_round[v.round] = v.self->cash_usd_b;
  score_by_round[v.round] = v.own_score;
  if (joined_orders_pending_) {
    settle_joined(v.round);
  } else if (v.round != draft_round) {
    start_round(v.round);
  }
  view = std::move(v);
  out.push_back(push("view", view_json(*view, actors)));
  return out;
}

std::vector<Output> ClientModel::on_round_result(const wire::RoundResult& msg) {
  RoundInfo info = read_round_result(msg);
  last_round = std::max(last_round, info.round);  // results of past rounds come in order
  rounds[info.round] = info;
  return {push("round_result", round_json(info), quiet ? std::string() : round_notice(info, seat, command_hints))};
}

std::vector<Output> ClientModel::on_press(const wire::Press& msg) {
  PressItem item = read_press(msg);
  last_press_seq = std::max(last_press_seq, item.seq);
  item.round = round();
  // Shown as it arrives, it counts as read; caught up on joining, it waits
  // in the inbox.
  item.read = !quiet && item.from != seat;
  if (item.from == seat && !seat.empty()) item.read = true;
  press.push_back(item);
  return {push("press", press_json(item), quiet ? std::string() : press_line(item, seat))};
}

std::vector<Output> ClientModel::on_game(const wire::GameSummary& msg, SteadyTime now) {
  GameInfo info = read_game(msg, now);
  std::string notice = quiet ? std::string() : game_change_notice(game ? &*game : nullptr, info, role, now);
  if (!quiet && role == Role::Seat) {
    const std::string handed = seat_hand_over_notice(game ? &*game : nullptr, info, seat);
    if (!handed.empty()) notice += (notice.empty() ? "" : "\n") + handed;
  }
  if (role == Role::Seat) {
    for (const SeatInfo& s : info.seats) {
      if (s.seat == seat && info.round == round()) ready = s.ready;
    }
  }
  std::vector<Output> out = follow_round(info.round);
  game = std::move(info);
  ++game_updates;
  out.push_back(push("game", game_json(*game, now), notice));
  return out;
}

std::vector<Output> ClientModel::on_facilitator_view(const wire::FacilitatorView& msg) {
  FacilitatorInfo info = read_facilitator_view(msg);
  std::vector<Output> out = follow_round(info.round);
  actors = actors_from_list(info.actors);
  RoundInfo& r = rounds[info.round];
  r.round = info.round;
  if (!r.from_result) {
    r.indicators = info.indicators;
    r.events = info.events;
    if (r.quarter.empty()) r.quarter = info.round == 0 ? "start" : "round " + std::to_string(info.round);
  }
  facilitator = std::move(info);
  out.push_back(push("facilitator_view", facilitator_json(*facilitator)));
  return out;
}

std::vector<Output> ClientModel::on_game_ended(const wire::GameEnded& msg) {
  ended = read_game_ended(msg);
  return {push("game_ended", game_end_json(*ended), game_end_text(*ended))};
}

}  // namespace leadtime::cli
