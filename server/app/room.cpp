#include "server/app/room.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <utility>

#include "engine/events.h"
#include "protocol/convert.h"
#include "server/app/stored_summary.h"

namespace leadtime::server::app {

namespace {

TimePoint now() { return std::chrono::steady_clock::now(); }

}  // namespace

std::optional<std::string> inside(const std::string& root, const std::string& relative) {
  const std::filesystem::path p(relative);
  if (relative.empty() || p.is_absolute()) return std::nullopt;
  for (const auto& part : p) {
    if (part == "..") return std::nullopt;
  }
  return (std::filesystem::path(root) / p).string();
}

GameRoom::GameRoom(asio::io_context& io, asio::thread_pool& bot_pool, std::string id, Settings settings)
    : strand_(asio::make_strand(io)),
      deadline_(strand_),
      save_retry_(strand_),
      status_timer_(strand_),
      bot_pool_(bot_pool),
      id_(std::move(id)),
      settings_(std::move(settings)) {}

GameRoom::~GameRoom() {
  if (settings_.status_pace) settings_.status_pace->add_members(-paced_members_);
}

// The room's members as the server's status pace counts them: none once
// the room has stopped.
void GameRoom::count_members() {
  member_count_ = static_cast<int>(members_.size());
  if (!settings_.status_pace) return;
  const int now = stopped_ ? 0 : member_count_.load();
  settings_.status_pace->add_members(now - std::exchange(paced_members_, now));
}

std::chrono::milliseconds GameRoom::status_interval() const {
  return settings_.status_pace ? settings_.status_pace->interval() : std::chrono::milliseconds(0);
}

void GameRoom::install(std::unique_ptr<Game> game, RoundDriver driver, Records records) {
  game_ = std::move(game);
  driver_.emplace(std::move(driver));
  records_ = std::move(records);
  actor_ids_ = protocol::actor_ids(game_->match().state());
  game_->on_round([this](const Match& match) {
    const RoundRecord& rec = match.history().back();
    round_rows_.push_back({rec.round + 1, rec.quarter.str(), rec.hash, save::snapshot(match)});
  });
}

void GameRoom::mark_recorded(bool finished_in_store) {
  sent_ = {game_->changes().size(), round_rows_.empty() ? 0 : round_rows_.back().round, finished_in_store};
  durable_ = sent_;
  rounds_sent_ = game_->match().history().size();
  end_sent_ = game_->phase() == Phase::Finished;
  finished_flag_ = end_sent_;
}

void GameRoom::persist(std::function<void(const store::Outcome&)> then) {
  // Without a store there is nothing to write, and building the entries
  // anyway (all of them, every time) made a change cost the game's age.
  if (records_.store == nullptr) {
    then(std::nullopt);
    return;
  }
  const auto& changes = game_->changes();
  const bool finished = game_->phase() == Phase::Finished;
  std::vector<store::JournalEntry> entries;
  for (std::size_t i = sent_.changes; i < changes.size(); ++i)
    entries.push_back(save::entry_of(changes[i], save::wall_ms));
  std::vector<store::RoundRow> rounds;
  for (const store::RoundRow& r : round_rows_) {
    if (r.round > sent_.rounds) rounds.push_back(r);
  }
  if (entries.empty() && rounds.empty() && finished == sent_.finished) {
    then(std::nullopt);
    return;
  }
  store::Store::Chain chain;
  chain.after_seq = sent_.changes == 0 ? 0 : changes[sent_.changes - 1].seq;
  if (finished != sent_.finished) {
    chain.finished = finished;
    if (finished) chain.summary = stored_summary(summarize(*game_, {}, now()));
  }
  const Saved upto{changes.size(),
                   round_rows_.empty() ? sent_.rounds : std::max(sent_.rounds, round_rows_.back().round), finished};
  sent_ = upto;
  auto self = shared_from_this();
  records_.store->append(id_, std::move(entries), std::move(rounds), std::move(chain),
                         [self, then = std::move(then), upto, generation = generation_](const store::Outcome& outcome) {
                           asio::post(self->strand_, [self, then, outcome, upto, generation] {
                             self->saved(outcome, upto, generation);
                             // A failure is reported by its first cause: the
                             // appends after it fail only for the hole it left.
                             then(outcome ? self->save_failure_ : std::nullopt);
                           });
                         });
}

// Appends complete in the order they were queued, and one queued after a
// failed one is refused for the hole (Chain::after_seq), so on a failure the
// room goes back to what is durable and writes all of it again next time.
void GameRoom::saved(const store::Outcome& outcome, const Saved& upto, std::uint64_t generation) {
  if (!outcome) {
    durable_ = upto;
    // A rollback meanwhile took rounds back: their rows are to be written anew.
    durable_.rounds = std::min(durable_.rounds, sent_.rounds);
    if (save_failure_ && all_saved()) {
      spdlog::info("game {}: saved again; the record is whole up to change {}", id_, durable_.changes);
      save_failure_.reset();
      save_retry_.cancel();
    }
    return;
  }
  if (!save_failure_) {
    save_failure_ = *outcome;
    spdlog::error("game {}: not saved: {}; the game goes on from memory", id_, *outcome);
    tell_facilitators(error_frame(
        0, wire::ErrorCode::Internal,
        fmt::format("game {} could not be saved: {}. The game goes on from memory; the server saves everything "
                    "again with the next change or within {} s, and Export gives the whole game meanwhile",
                    id_, *outcome, std::chrono::duration_cast<std::chrono::seconds>(settings_.save_retry).count())));
  }
  if (generation != generation_) return;
  ++generation_;
  sent_ = durable_;
  arm_save_retry();
}

void GameRoom::arm_save_retry() {
  if (stopped_) return;
  save_retry_.expires_after(settings_.save_retry);
  save_retry_.async_wait([self = weak_from_this()](const boost::system::error_code& ec) {
    auto room = self.lock();
    if (ec || !room || room->stopped_ || room->all_saved()) return;
    room->persist([](const store::Outcome&) {});
  });
}

void GameRoom::tell_facilitators(const Frame& frame) {
  send_to_each([&](const Identity& who) -> std::optional<Frame> {
    if (who.role != Role::Facilitator) return std::nullopt;
    return frame;
  });
}

void GameRoom::refresh_facilitators() {
  facilitators_behind_ = true;
  push_status();
}

store::GameRow GameRoom::row() const {
  store::GameRow row = save::row_of(*game_, records_.scenario_path, records_.scenario_source, records_.created_ms);
  row.parent_id = records_.parent_id;
  row.branch_round = records_.branch_round;
  return row;
}

save::SaveData GameRoom::save_data() const {
  save::SaveData d;
  d.game = row();
  // Save files are shared: no token hashes in them.
  d.game.facilitator_token_hash.clear();
  d.game.observer_token_hash.clear();
  d.game.seat_token_hashes.clear();
  for (const Change& c : game_->changes()) d.journal.push_back(save::entry_of(c, save::wall_ms));
  d.rounds = round_rows_;
  return d;
}

void GameRoom::warm_bots() { (void)play_bots(); }

std::string GameRoom::seat_name(int seat) const {
  if (seat == kNoActor) return "facilitator";
  return game_->match().state().actors[static_cast<std::size_t>(seat)].id;
}

Attendance GameRoom::attendance() const {
  Attendance a;
  a.connected.assign(game_->match().state().actors.size(), 0);
  for (const Member& m : members_) {
    if (m.identity.role == Role::Seat && !m.session.expired()) a.connected[static_cast<std::size_t>(m.identity.seat)]++;
  }
  return a;
}

// What a (re)joining client gets, in order and in one hand-over: Joined
// (with its own orders in this round), the results of the rounds it has not
// seen, its view, the press it may read and has not seen, the end if the
// game is over, and the status line.
void GameRoom::join(const std::shared_ptr<Participant>& session, const JoinRequest& request) {
  const Identity& who = request.who;
  members_.push_back({session, who});
  count_members();
  --joins_expected_;
  last_used_ = std::chrono::steady_clock::now();
  spdlog::info("game {} seat {}: joined by '{}' from {}", id_, seat_name(who.seat), request.member, session->peer());
  std::vector<Frame> frames{joined_frame(request.request_id, *game_, who)};
  const Match& match = game_->match();
  // Only the rounds shown already: the others are not stored yet.
  for (std::size_t i = 0; i < rounds_sent_ && i < match.history().size(); ++i) {
    const RoundRecord& rec = match.history()[i];
    if (rec.round + 1 > request.last_round) frames.push_back(round_result_frame(rec, who, actor_ids_));
  }
  frames.push_back(current_view_frame(*game_, who));
  const State& state = match.state();
  for (const Message& m : game_->messages_for(who, request.last_press_seq)) frames.push_back(press_frame(m, state));
  if (game_->phase() == Phase::Finished) frames.push_back(game_ended_frame(*game_, "the game is over"));
  // The newcomer sees the status line at once, with the rest; the others
  // when the interval allows.
  if (!push_status()) frames.push_back(summary_frame(*game_, attendance(), now()));
  session->deliver_all(std::move(frames));
}

void GameRoom::leave(const Participant* session) {
  const auto before = members_.size();
  std::erase_if(members_, [&](const Member& m) {
    auto s = m.session.lock();
    return !s || s.get() == session;
  });
  count_members();
  last_used_ = std::chrono::steady_clock::now();
  if (members_.size() != before) push_status();
}

std::optional<std::chrono::steady_clock::duration> GameRoom::unused_for(
    std::chrono::steady_clock::time_point now) const {
  if (!finished() || !members_.empty() || joins_expected() > 0 || !all_saved() || !durable_.finished) {
    return std::nullopt;
  }
  return now - last_used_;
}

// The status line goes out once the strand has run what is already queued
// on it (a group commit's callbacks, a burst of requests), and at most once
// per status interval: the first change after a quiet spell is shown at
// once, the changes within the interval after it together at its end, built
// from the state after the last. Summaries were three quarters of a round's
// frames when each change sent one to every member, so a game's frames grew
// with members x changes; now they grow with members x time (issue #21).
// A new phase or round (started, paused, resumed, resolved, over) is news
// everyone should see at once, whatever the interval.
bool GameRoom::push_status() {
  if (stopped_) return false;
  if (status_push_ == StatusPush::Posted) return true;
  const bool news = shown_phase_ != phase_now();
  const auto next_allowed = last_status_ + status_interval();
  if (news || std::chrono::steady_clock::now() >= next_allowed) {
    if (status_push_ == StatusPush::Timed) status_timer_.cancel();
    status_push_ = StatusPush::Posted;
    asio::post(strand_, [self = shared_from_this()] { self->send_status(); });
    return true;
  }
  if (status_push_ == StatusPush::Timed) return false;
  status_push_ = StatusPush::Timed;
  status_timer_.expires_at(next_allowed);
  status_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    // A line posted meanwhile (news) took this one's place.
    if (!ec && self->status_push_ == StatusPush::Timed) self->send_status();
  });
  return false;
}

// Resolving is not news of its own: it lasts as long as the bots take, and
// the round it ends in is (a slow round shows it after one interval).
GameRoom::PhaseShown GameRoom::phase_now() const {
  const Phase phase = game_->phase() == Phase::Resolving ? Phase::Orders : game_->phase();
  return {phase, game_->paused(), game_->match().state().round};
}

void GameRoom::send_status() {
  status_push_ = StatusPush::None;
  // A line nobody receives does not hold back the first member's.
  if (stopped_ || members_.empty()) return;
  mark_status_sent();
  if (std::exchange(facilitators_behind_, false)) tell_facilitators(facilitator_view_frame(*game_));
  const Frame summary = summary_frame(*game_, attendance(), now());
  for_each_member([&](Participant& p, const Identity&) { p.deliver_status(summary); });
}

void GameRoom::for_each_member(const std::function<void(Participant&, const Identity&)>& visit) {
  for (auto it = members_.begin(); it != members_.end();) {
    auto s = it->session.lock();
    if (!s) {
      it = members_.erase(it);  // gone: forgotten here rather than on every push
      continue;
    }
    visit(*s, it->identity);
    ++it;
  }
  count_members();
}

void GameRoom::send_to_each(const std::function<std::optional<Frame>(const Identity&)>& frame_for) {
  for_each_member([&](Participant& p, const Identity& who) {
    if (auto frame = frame_for(who)) p.deliver(std::move(*frame));
  });
}

void GameRoom::relay(const Message& message) {
  const Frame frame = press_frame(message, game_->match().state());
  send_to_each([&](const Identity& who) -> std::optional<Frame> {
    if (!Game::addressed_to(message, who)) return std::nullopt;
    return frame;
  });
}

// RoundResult (only the events each member may see) and then a fresh view,
// for every round resolved since the last call; with the latest, the status
// line of the round it begins, when that is news: one hand-over, so one
// write per member for the round instead of two. Returns whether the line
// went.
bool GameRoom::send_round_results() {
  const Match& match = game_->match();
  bool line_sent = false;
  while (rounds_sent_ < match.history().size()) {
    const RoundRecord& rec = match.history()[rounds_sent_];
    ++rounds_sent_;
    spdlog::info("game {}: round {} resolved ({}), hash {:016x}", id_, rec.round + 1, rec.quarter.str(), rec.hash);
    const bool latest = rounds_sent_ == match.history().size();
    const std::optional<Frame> status = latest ? take_news_status() : std::nullopt;
    line_sent = status.has_value();
    for_each_member([&](Participant& p, const Identity& who) {
      std::vector<Frame> frames{round_result_frame(rec, who, actor_ids_)};
      if (latest) frames.push_back(current_view_frame(*game_, who));
      if (status) frames.push_back(*status);
      p.deliver_all(std::move(frames));
    });
  }
  return line_sent;
}

// The status line, when the phase or round it shows is news, taken over by
// the caller to send (with other frames); the facilitators' view is the
// caller's too. A line already posted goes as it is, and the end's after
// GameEnded, as before.
std::optional<Frame> GameRoom::take_news_status() {
  if (stopped_ || members_.empty() || status_push_ == StatusPush::Posted || game_->phase() == Phase::Finished ||
      shown_phase_ == phase_now()) {
    return std::nullopt;
  }
  if (status_push_ == StatusPush::Timed) status_timer_.cancel();
  status_push_ = StatusPush::None;
  facilitators_behind_ = false;
  mark_status_sent();
  return summary_frame(*game_, attendance(), now());
}

void GameRoom::mark_status_sent() {
  last_status_ = std::chrono::steady_clock::now();
  shown_phase_ = phase_now();
}

void GameRoom::after_change() {
  if (stopped_) return;
  if (rounds_sent_ > game_->match().history().size()) take_back_rounds();
  finished_flag_ = game_->phase() == Phase::Finished;
  last_used_ = std::chrono::steady_clock::now();
  // Store, then show: a result a client has seen is one a crash cannot take
  // back. (A failed save is shown all the same: the game goes on from
  // memory, and the facilitator has been told.)
  persist([self = shared_from_this()](const store::Outcome&) { self->show_changes(); });
  arm_deadline();
  if (game_->phase() == Phase::Resolving) start_bots();
}

// What the changes so far let everyone see: the rounds resolved, the end,
// and the status line.
void GameRoom::show_changes() {
  if (stopped_) return;
  // A line sent with the results was built from the state after every
  // change so far: another would repeat it an interval later.
  const bool line_sent = send_round_results();
  if (game_->phase() == Phase::Finished && !end_sent_) {
    end_sent_ = true;
    const bool played_out = game_->match().finished();
    const Frame ended = game_ended_frame(*game_, played_out ? "last round played" : "ended by the facilitator");
    spdlog::info("game {}: ended ({})", id_, played_out ? "last round played" : "by the facilitator");
    send_to_each([&](const Identity&) { return std::optional<Frame>(ended); });
  }
  if (!line_sent) push_status();
}

// A rollback took rounds back: their rows go (the store keeps the old ones
// until the round is played again) and everyone gets the view as it is now.
void GameRoom::take_back_rounds() {
  const std::size_t rounds = game_->match().history().size();
  rounds_sent_ = rounds;
  while (!round_rows_.empty() && static_cast<std::size_t>(round_rows_.back().round) > rounds) round_rows_.pop_back();
  sent_.rounds = std::min(sent_.rounds, static_cast<int>(rounds));
  durable_.rounds = std::min(durable_.rounds, static_cast<int>(rounds));
  end_sent_ = false;
  send_to_each([&](const Identity& who) { return std::optional<Frame>(current_view_frame(*game_, who)); });
}

void GameRoom::arm_deadline() {
  deadline_.cancel();
  if (game_->phase() != Phase::Orders || game_->paused()) return;
  deadline_.expires_after(game_->time_left(now()) + std::chrono::milliseconds(50));
  deadline_.async_wait([self = weak_from_this()](const boost::system::error_code& ec) {
    auto room = self.lock();
    if (ec || !room || room->stopped_) return;
    room->game_->tick(now());
    room->after_change();
  });
}

// The round is due and nothing may change it until the bots' orders are in,
// so the pool may read the game's state while the strand goes on serving
// joins, press and views.
void GameRoom::start_bots() {
  if (bots_running_) return;
  bots_running_ = true;
  asio::post(bot_pool_, [self = shared_from_this()] {
    if (self->settings_.testing_before_bots) self->settings_.testing_before_bots(self->id_);
    BotOrders orders = self->play_bots();
    asio::post(self->strand_, [self, orders = std::move(orders)]() mutable {
      self->bots_running_ = false;
      if (self->stopped_) return;
      self->game_->complete_round(std::move(orders), now());
      self->after_change();
    });
  });
}

BotOrders GameRoom::play_bots() {
  const Match& match = game_->match();
  std::vector<bool> bot_seats(match.state().actors.size());
  for (std::size_t i = 0; i < bot_seats.size(); ++i) bot_seats[i] = game_->is_bot(static_cast<int>(i));
  BotOrders out = driver_->decide(match.state(), match.scenario(), bot_seats);
  for (const std::string& f : out.faults) spdlog::warn("game {}: {}", id_, f);
  return out;
}

std::optional<std::string> GameRoom::load_bot(int seat, const std::string& path) {
  const auto full = inside(settings_.bot_root, path);
  if (!full) return "bot paths are relative, without '..'";
  const Match& match = game_->match();
  return driver_->load_bot(match.scenario(), match.seed(), seat, *full);
}

void GameRoom::load_bot_or_note(int seat, const std::string& path) {
  auto error = load_bot(seat, path);
  if (!error) return;
  spdlog::error("game {} seat {}: bot {} does not load: {}; the seat keeps its standing orders", id_, seat_name(seat),
                path, *error);
  driver_->bot_missing(seat, path, "does not load (" + *error + "); the seat keeps its standing orders");
}

int GameRoom::kick(int seat) {
  int kicked = 0;
  for (const Member& m : members_) {
    if (m.identity.role != Role::Seat || m.identity.seat != seat) continue;
    if (auto s = m.session.lock()) {
      s->deliver(
          error_frame(0, wire::ErrorCode::NotAuthorised, "the facilitator removed you from seat " + seat_name(seat)),
          true);
      ++kicked;
    }
  }
  return kicked;
}

void GameRoom::stop() {
  stopped_ = true;
  count_members();
  deadline_.cancel();
  save_retry_.cancel();
  status_timer_.cancel();
}

void GameRoom::abandon() {
  stop();
  records_.store = nullptr;
}

}  // namespace leadtime::server::app
