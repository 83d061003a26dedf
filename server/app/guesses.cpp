#include "server/app/guesses.h"

#include <fmt/format.h>

#include <algorithm>

namespace leadtime::server::app {

// Free for the first few, then doubling from the first delay up to the
// longest.
GuessThrottle::Ms GuessThrottle::wait_after(int count) const {
  if (count <= options_.free_wrong_tokens) return Ms(0);
  auto wait = options_.wrong_token_delay;
  for (int i = options_.free_wrong_tokens + 1; i < count && wait < options_.max_wrong_token_delay; ++i) wait *= 2;
  return std::min(wait, options_.max_wrong_token_delay);
}

bool GuessThrottle::forgiven(const Record& r, Clock::time_point now) const {
  return now - r.last >= options_.forgive_wrong_tokens;
}

GuessThrottle::Record& GuessThrottle::record_for(const std::string& address, Clock::time_point now) {
  auto it = records_.find(address);
  if (it != records_.end() && forgiven(it->second, now)) {
    records_.erase(it);
    it = records_.end();
  }
  if (it != records_.end()) return it->second;
  // Forgotten first are those forgiven by now, then the longest quiet.
  if (records_.size() >= kMaxAddresses) std::erase_if(records_, [&](const auto& e) { return forgiven(e.second, now); });
  if (records_.size() >= kMaxAddresses) {
    records_.erase(std::min_element(records_.begin(), records_.end(),
                                    [](const auto& a, const auto& b) { return a.second.last < b.second.last; }));
  }
  return records_.emplace(address, Record{}).first->second;
}

GuessThrottle::Ms GuessThrottle::note_wrong(const std::string& address, const TokenHash& token, Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  Record& r = record_for(address, now);
  r.last = now;
  const bool repeat = std::any_of(r.recent.begin(), r.recent.end(), [&](const TokenHash& h) { return h == token; });
  if (repeat) return wait_after(r.count);
  if (r.recent.size() == kRemembered) r.recent.erase(r.recent.begin());
  r.recent.push_back(token);
  ++r.count;
  const auto wait = wait_after(r.count);
  r.next_turn = std::max(r.next_turn, now + wait);
  return wait;
}

std::variant<GuessThrottle::Clock::time_point, std::string> GuessThrottle::turn(const std::string& address,
                                                                                Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  const auto it = records_.find(address);
  if (it == records_.end()) return now;
  Record& r = it->second;
  if (forgiven(r, now)) {
    records_.erase(it);
    return now;
  }
  const auto wait = wait_after(r.count);
  if (wait.count() == 0) return now;
  const auto turn = std::max(now, r.next_turn);
  const auto queued = static_cast<std::size_t>((turn - now) / wait);
  if (queued >= options_.max_waiting_joins) {
    // One turn from now there is room again.
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(wait).count();
    return fmt::format(
        "{} Joins from {} already wait their turn after wrong tokens from that address (max_waiting_joins); try "
        "again in {} s",
        queued, address, seconds);
  }
  r.next_turn = turn + wait;
  return turn;
}

}  // namespace leadtime::server::app
