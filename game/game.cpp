#include "game/game.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "engine/events.h"
#include "engine/hash.h"
#include "engine/injects.h"
#include "game/journal.h"

namespace leadtime::game {

std::string_view phase_name(Phase phase, bool paused) {
  switch (phase) {
    case Phase::Lobby:
      return "lobby";
    case Phase::Orders:
      return paused ? "paused" : "orders";
    case Phase::Resolving:
      return "resolving";
    case Phase::Finished:
      break;
  }
  return "finished";
}

Game::Game(std::string id, std::shared_ptr<const Scenario> scenario, GameOptions options, BotPlayer bots)
    : id_(std::move(id)),
      match_(std::move(scenario), options.seed),
      options_(std::move(options)),
      bots_(std::move(bots)) {
  const std::size_t seats = match_.state().actors.size();
  bot_.assign(seats, false);
  for (std::size_t i = 0; i < seats && i < options_.bot_seats.size(); ++i) bot_[i] = options_.bot_seats[i];
  bot_paths_ = options_.bot_paths;
  bot_paths_.resize(seats);
  ready_.assign(seats, false);
  submissions_.resize(seats);
  seat_hashes_.resize(seats);
}

Tokens Game::issue_tokens() {
  Tokens t;
  if (tokens_issued_) return t;  // shown once: later calls get nothing
  tokens_issued_ = true;
  t.facilitator = new_token();
  t.observer = new_token();
  facilitator_hash_ = hash_token(t.facilitator);
  observer_hash_ = hash_token(t.observer);
  for (TokenHash& h : seat_hashes_) {
    t.seats.push_back(new_token());
    h = hash_token(t.seats.back());
  }
  return t;
}

TokenHashes Game::token_hashes() const { return {facilitator_hash_, observer_hash_, seat_hashes_}; }

void Game::restore_token_hashes(const TokenHashes& hashes) {
  facilitator_hash_ = hashes.facilitator;
  observer_hash_ = hashes.observer;
  seat_hashes_ = hashes.seats;
  seat_hashes_.resize(bot_.size());
  tokens_issued_ = true;
}

std::optional<Identity> Game::authenticate(std::string_view token) const { return authenticate(hash_token(token)); }

std::optional<Identity> Game::authenticate(const TokenHash& h) const {
  if (!tokens_issued_) return std::nullopt;
  // Every hash is compared, match or not, so timing says nothing about which.
  std::optional<Identity> found;
  if (same_hash(h, facilitator_hash_)) found = Identity{Role::Facilitator, kNoActor};
  if (same_hash(h, observer_hash_)) found = Identity{Role::Observer, kNoActor};
  for (std::size_t i = 0; i < seat_hashes_.size(); ++i) {
    if (same_hash(h, seat_hashes_[i])) found = Identity{Role::Seat, static_cast<int>(i)};
  }
  return found;
}

void Game::record(int seat, ChangeData data) { changes_.push_back({++seq_, seat, std::move(data), last_now_}); }

namespace {

Refusal wrong_phase(std::string text) { return {RefusalCode::WrongPhase, std::move(text)}; }
Refusal not_found(std::string text) { return {RefusalCode::NotFound, std::move(text)}; }
Refusal invalid(std::string text) { return {RefusalCode::Invalid, std::move(text)}; }

// The journal's record of a resolved round: its hash, what each bot seat
// played and the notes it carried.
change::Resolved resolved_change(const RoundRecord& record, const std::vector<bool>& bot_seats,
                                 const std::vector<Inject>& notes) {
  change::Resolved r;
  r.round = record.round + 1;
  r.hash = record.hash;
  for (std::size_t i = 0; i < bot_seats.size() && i < record.orders.size(); ++i) {
    if (bot_seats[i]) r.bots.emplace_back(static_cast<int>(i), record.orders[i]);
  }
  for (const Inject& n : notes) {
    if (!n.event_id.empty()) {
      r.notes.push_back({n.event_id, "", "", {}});
    } else {
      r.notes.push_back({"", n.custom.id, n.custom.text, n.custom.audience});
    }
  }
  return r;
}

}  // namespace

bool Game::valid_seat(int seat) const { return seat >= 0 && static_cast<std::size_t>(seat) < bot_.size(); }

Refused Game::need_orders_phase() const {
  if (phase_ == Phase::Lobby) return wrong_phase("the game has not started");
  if (phase_ == Phase::Finished) return wrong_phase("the game is over");
  if (phase_ == Phase::Resolving) return wrong_phase("the round is resolving; try again in a moment");
  return std::nullopt;
}

Refused Game::start(TimePoint now) {
  last_now_ = std::max(last_now_, now);
  if (phase_ != Phase::Lobby) return wrong_phase("the game has already started");
  phase_ = Phase::Orders;
  deadline_ = now + options_.deadline;
  record(kNoActor, change::Started{});
  fall_due_while_everyone_ready(now);
  return std::nullopt;
}

Refused Game::pause(TimePoint now) {
  last_now_ = std::max(last_now_, now);
  if (auto r = need_orders_phase()) return r;
  if (paused_) return wrong_phase("the game is already paused");
  paused_ = true;
  remaining_at_pause_ = std::max(Seconds{0}, std::chrono::duration_cast<Seconds>(deadline_ - now));
  record(kNoActor, change::Paused{});
  return std::nullopt;
}

Refused Game::resume(TimePoint now) {
  last_now_ = std::max(last_now_, now);
  if (auto r = need_orders_phase()) return r;
  if (!paused_) return wrong_phase("the game is not paused");
  paused_ = false;
  deadline_ = now + remaining_at_pause_;
  record(kNoActor, change::Resumed{});
  fall_due_while_everyone_ready(now);
  return std::nullopt;
}

Refused Game::move_deadline(Seconds by, TimePoint now) {
  last_now_ = std::max(last_now_, now);
  if (auto r = need_orders_phase()) return r;
  // Saturates at the longest deadline the protocol can ask for (2^32 - 1 s,
  // about 136 years): repeated extensions overflowed the clock's nanoseconds.
  constexpr Seconds kFurthest{std::numeric_limits<std::uint32_t>::max()};
  by = std::clamp(by, -kFurthest, kFurthest);
  if (paused_) {
    remaining_at_pause_ = std::clamp(remaining_at_pause_ + by, Seconds{0}, kFurthest);
  } else {
    const TimePoint::duration furthest = kFurthest;
    const TimePoint::duration left = std::clamp(deadline_ - now, -furthest, furthest);
    deadline_ = now + std::clamp(left + by, TimePoint::duration::zero(), furthest);
  }
  record(kNoActor, change::DeadlineMoved{by});
  return std::nullopt;
}

Refused Game::force(TimePoint now) {
  last_now_ = std::max(last_now_, now);
  if (auto r = need_orders_phase()) return r;
  record(kNoActor, change::Forced{});
  fall_due(now);
  return std::nullopt;
}

Refused Game::inject(Inject inject) {
  if (phase_ == Phase::Finished) return wrong_phase("the game is over");
  if (!inject.event_id.empty()) {
    if (!has_scenario_event(inject.event_id)) {
      return not_found("unknown event '" + inject.event_id + "'; the scenario's events: " + scenario_event_ids());
    }
  } else if (std::string problem = check_event(match_.state(), inject.custom); !problem.empty()) {
    return invalid("custom event: " + problem);
  }
  record(kNoActor,
         change::Injected{inject.event_id, inject.event_id.empty() ? inject.custom.id : std::string(), "", {}});
  pending_injects_.push_back(std::move(inject));
  return std::nullopt;
}

bool Game::has_scenario_event(const std::string& id) const {
  const auto& events = match_.scenario().events;
  return std::any_of(events.begin(), events.end(), [&](const ScenarioEvent& e) { return e.id == id; });
}

std::string Game::scenario_event_ids() const {
  std::string ids;
  for (const ScenarioEvent& e : match_.scenario().events) ids += (ids.empty() ? "" : ", ") + e.id;
  return ids.empty() ? "none" : ids;
}

Refused Game::inject_by_id(const std::string& id, const NamedArgs& args) {
  if (phase_ == Phase::Finished) return wrong_phase("the game is over");
  if (has_scenario_event(id)) {
    if (!args.empty()) return invalid("the scenario's event '" + id + "' takes no parameters");
    Inject inject;
    inject.event_id = id;
    return this->inject(std::move(inject));
  }
  if (find_inject(id) == nullptr) {
    return not_found("unknown event '" + id + "'; the scenario's events: " + scenario_event_ids() +
                     "; the engine's injects, with parameters: " + inject_ids());
  }
  auto built = build_inject(match_.state(), match_.scenario().coef, id, args);
  if (const auto* problem = std::get_if<std::string>(&built)) return invalid(*problem);
  record(kNoActor, change::Injected{"", "", id, args});
  Inject inject;
  inject.custom = std::get<ScenarioEvent>(std::move(built));
  pending_injects_.push_back(std::move(inject));
  return std::nullopt;
}

Refused Game::swap(int seat, bool to_bot, std::string bot_path, TimePoint now) {
  last_now_ = std::max(last_now_, now);
  if (!valid_seat(seat)) return not_found("no such seat");
  if (phase_ == Phase::Finished) return wrong_phase("the game is over");
  if (phase_ == Phase::Resolving) return wrong_phase("the round is resolving; try again in a moment");
  const auto i = static_cast<std::size_t>(seat);
  if (to_bot && bot_path.empty()) return invalid("no bot named for the seat");
  bot_[i] = to_bot;
  if (to_bot) bot_paths_[i] = std::move(bot_path);
  record(seat, change::Swapped{to_bot, to_bot ? bot_paths_[i] : std::string()});
  if (phase_ == Phase::Orders) fall_due_while_everyone_ready(now);
  return std::nullopt;
}

Refused Game::kick(int seat) {
  if (!valid_seat(seat)) return not_found("no such seat");
  record(seat, change::Kicked{});
  return std::nullopt;
}

Refused Game::end() {
  if (phase_ == Phase::Finished) return wrong_phase("the game is already over");
  phase_ = Phase::Finished;
  record(kNoActor, change::Ended{});
  return std::nullopt;
}

std::variant<ValidatedOrders, Refusal> Game::submit(int seat, std::string member, const std::vector<OrderDraft>& drafts,
                                                    TimePoint now) {
  last_now_ = std::max(last_now_, now);
  if (auto r = can_submit(seat)) return *r;
  // A journal replays submissions through restore_submission, which does
  // not ask this: games recorded before a bot seat refused people load.
  if (is_bot(seat)) {
    return Refusal{RefusalCode::NotAuthorised,
                   "seat " + match_.state().actors[static_cast<std::size_t>(seat)].id +
                       " is played by a bot now (the facilitator handed it over); orders are the bot's until the "
                       "facilitator gives the seat back"};
  }
  ValidatedOrders v = validate_orders(match_.state(), seat, drafts);
  accept_submission(seat, std::move(member), v.orders);
  (void)now;
  return v;
}

Refused Game::restore_submission(int seat, std::string member, std::vector<Order> orders) {
  if (auto r = can_submit(seat)) return r;
  accept_submission(seat, std::move(member), std::move(orders));
  return std::nullopt;
}

Refused Game::can_submit(int seat) const {
  if (!valid_seat(seat)) return not_found("no such seat");
  if (auto r = need_orders_phase()) return r;
  // A pause stops the clock so that teams can catch up: drafting,
  // submitting, readiness and press go on; only resolution waits.
  return std::nullopt;
}

// The last set submitted counts, whoever of the team sent it.
void Game::accept_submission(int seat, std::string member, std::vector<Order> orders) {
  record(seat, change::Submitted{member, orders});
  submissions_[static_cast<std::size_t>(seat)] = Submission{std::move(orders), std::move(member)};
}

Refused Game::set_ready(int seat, bool ready, TimePoint now) {
  last_now_ = std::max(last_now_, now);
  if (!valid_seat(seat)) return not_found("no such seat");
  if (auto r = need_orders_phase()) return r;
  ready_[static_cast<std::size_t>(seat)] = ready;
  record(seat, change::Ready{ready});
  fall_due_while_everyone_ready(now);
  return std::nullopt;
}

Refused Game::send(int from, std::vector<int> to, std::string text) {
  if (from != kNoActor && !valid_seat(from)) return not_found("no such seat");
  for (int t : to) {
    if (!valid_seat(t)) return not_found("unknown recipient seat " + std::to_string(t));
  }
  if (text.empty()) return invalid("empty message");
  std::sort(to.begin(), to.end());
  to.erase(std::unique(to.begin(), to.end()), to.end());
  messages_.push_back({seq_ + 1, from, std::move(to), std::move(text)});
  record(from, change::Message{messages_.back().to, messages_.back().text});
  return std::nullopt;
}

void Game::tick(TimePoint now) {
  last_now_ = std::max(last_now_, now);
  if (phase_ != Phase::Orders || paused_ || now < deadline_) return;
  pass_deadline(now);
}

void Game::pass_deadline(TimePoint now) {
  last_now_ = std::max(last_now_, now);
  if (phase_ != Phase::Orders) return;
  record(kNoActor, change::DeadlinePassed{});
  fall_due(now);
}

void Game::shift_clock(std::chrono::steady_clock::duration by) { deadline_ += by; }

void Game::restarted(std::chrono::milliseconds downtime, TimePoint now) {
  last_now_ = std::max(last_now_, now);
  shift_clock(downtime);
  record(kNoActor, change::Recovered{downtime});
}

Refused Game::rollback(TimePoint now) {
  last_now_ = std::max(last_now_, now);
  if (phase_ == Phase::Resolving) return wrong_phase("the round is resolving; try again in a moment");
  if (phase_ == Phase::Lobby || match_.history().empty()) return wrong_phase("no round has been resolved yet");
  if (phase_ == Phase::Finished && !match_.finished())
    return wrong_phase("the game was ended; there is nothing to undo");
  const RoundRecord undone = match_.undo_last_round();
  const std::vector<PlayedBy> by = played_.back();
  played_.pop_back();
  for (std::size_t i = 0; i < submissions_.size(); ++i) {
    submissions_[i].reset();
    if (i < by.size() && !by[i].bot && i < undone.orders.size() && !undone.orders[i].empty()) {
      submissions_[i] = Submission{undone.orders[i], by[i].member};
    }
  }
  std::fill(ready_.begin(), ready_.end(), false);
  phase_ = Phase::Orders;
  paused_ = false;
  deadline_ = now + options_.deadline;
  record(kNoActor, change::RolledBack{});
  return std::nullopt;
}

GameStatus Game::status(TimePoint now) const {
  GameStatus st;
  st.phase = phase_;
  st.paused = paused_;
  st.round = match_.state().round;
  st.rounds = match_.scenario().rounds;
  st.time_left = time_left(now);
  for (std::size_t i = 0; i < bot_.size(); ++i) {
    st.seats.push_back({bot_[i], bot_[i] ? bot_paths_[i] : std::string(), submissions_[i].has_value(), ready_[i]});
  }
  return st;
}

Seconds Game::time_left(TimePoint now) const {
  if (phase_ != Phase::Orders) return Seconds{0};
  if (paused_) return remaining_at_pause_;
  return std::max(Seconds{0}, std::chrono::duration_cast<Seconds>(deadline_ - now));
}

bool Game::all_people_ready() const {
  for (std::size_t i = 0; i < bot_.size(); ++i) {
    if (!bot_[i] && !ready_[i]) return false;
  }
  return true;
}

void Game::fall_due_while_everyone_ready(TimePoint now) {
  if (phase_ == Phase::Orders && !paused_ && all_people_ready()) fall_due(now);
}

// The round's orders are closed. Bots decide on this state: in place when the
// game has a BotPlayer or no bot seats, otherwise the host calls back.
void Game::fall_due(TimePoint now) {
  phase_ = Phase::Resolving;
  const bool any_bot = std::find(bot_.begin(), bot_.end(), true) != bot_.end();
  if (bots_ || !any_bot) {
    complete_round(decide_in_place(), now);
  } else {
    record(kNoActor, change::Resolving{});
  }
}

BotOrders Game::decide_in_place() {
  if (!bots_) return BotOrders{RoundOrders(match_.state().actors.size()), {}, {}};
  return bots_(match_, bot_);
}

// Bots' orders for bot seats; people's last submissions count; a seat with
// neither keeps its standing orders.
void Game::complete_round(BotOrders bots, TimePoint now) {
  last_now_ = std::max(last_now_, now);
  if (phase_ != Phase::Resolving) return;
  RoundInputs inputs;
  inputs.orders.resize(match_.state().actors.size());
  inputs.injects = std::move(pending_injects_);
  pending_injects_.clear();
  const std::vector<Inject> notes_of_round = bots.notes;
  std::vector<PlayedBy>& last_played = played_.emplace_back(inputs.orders.size());
  for (std::size_t i = 0; i < inputs.orders.size(); ++i) {
    if (bot_[i]) {
      last_played[i] = {true, ""};
    } else if (submissions_[i]) {
      inputs.orders[i] = submissions_[i]->orders;
      last_played[i] = {false, submissions_[i]->member};
    }
    // A person's seat plays the person's orders only.
    if (!bot_[i] && i < bots.orders.size()) bots.orders[i].clear();
  }
  const RoundRecord& record_of_round = resolve_round(match_, std::move(inputs), std::move(bots));
  if (round_observer_) round_observer_(match_);
  record(kNoActor, resolved_change(record_of_round, bot_, notes_of_round));
  std::fill(ready_.begin(), ready_.end(), false);
  for (auto& s : submissions_) s.reset();
  if (match_.finished()) {
    phase_ = Phase::Finished;
    record(kNoActor, change::Ended{});
    return;
  }
  phase_ = Phase::Orders;
  deadline_ = now + options_.deadline;
  // A round forced while paused: the next one opens paused, with its whole
  // time to come when the game resumes.
  if (paused_) remaining_at_pause_ = options_.deadline;
  fall_due_while_everyone_ready(now);
}

View Game::view_for(const Identity& who) const {
  const int viewer = who.role == Role::Seat ? who.seat : kNoActor;
  return make_view(match_.state(), match_.scenario().coef, viewer);
}

bool Game::addressed_to(const Message& m, const Identity& who) {
  if (m.to.empty() || who.role == Role::Facilitator) return true;
  return who.role == Role::Seat && (m.from == who.seat || std::find(m.to.begin(), m.to.end(), who.seat) != m.to.end());
}

std::vector<Message> Game::messages_for(const Identity& who, std::uint64_t after_seq) const {
  std::vector<Message> out;
  for (const Message& m : messages_) {
    if (m.seq > after_seq && addressed_to(m, who)) out.push_back(m);
  }
  return out;
}

}  // namespace leadtime::game
