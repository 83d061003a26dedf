#include "client-cli/draft.h"

#include <algorithm>
#include <variant>

namespace leadtime::cli {

namespace {

// Two orders of the same action whose non-numeric arguments (target,
// market, customer) agree write the same fields of the standing policy, so
// the earlier one can never have an effect.
bool same_slot(const OrderDraft& a, const OrderDraft& b) {
  if (a.action != b.action) return false;
  for (const auto& [name, value] : a.args) {
    if (!std::holds_alternative<std::string>(value)) continue;
    const auto it = std::find_if(b.args.begin(), b.args.end(), [&](const auto& x) { return x.first == name; });
    if (it == b.args.end() || it->second != value) return false;
  }
  return true;
}

}  // namespace

std::pair<std::size_t, bool> Draft::add(OrderDraft order) {
  dirty_ = true;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (same_slot(entries_[i].order, order)) {
      entries_[i] = DraftEntry{std::move(order), DraftStatus::New, {}};
      return {i + 1, true};
    }
  }
  entries_.push_back(DraftEntry{std::move(order), DraftStatus::New, {}});
  return {entries_.size(), false};
}

void Draft::replace(std::size_t number, OrderDraft order) {
  dirty_ = true;
  entries_.at(number - 1) = DraftEntry{std::move(order), DraftStatus::New, {}};
}

std::optional<std::string> Draft::check_number(std::size_t number) const {
  if (entries_.empty()) return "the draft is empty";
  if (number >= 1 && number <= entries_.size()) return std::nullopt;
  return "no order #" + std::to_string(number) + "; expected a number from 1 to " + std::to_string(entries_.size());
}

void Draft::remove(std::size_t number) {
  dirty_ = true;
  entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(number - 1));
}

void Draft::clear() {
  dirty_ = !entries_.empty() || dirty_;
  entries_.clear();
}

void Draft::mark_submitted(const std::vector<Rejection>& rejected) {
  for (auto& e : entries_) {
    e.status = DraftStatus::Submitted;
    e.error.clear();
  }
  for (const Rejection& r : rejected) {
    if (r.index < 0 || static_cast<std::size_t>(r.index) >= entries_.size()) continue;
    auto& e = entries_[static_cast<std::size_t>(r.index)];
    e.status = DraftStatus::Rejected;
    e.error = r.message;
  }
  dirty_ = false;
}

void Draft::mark_rejected(std::size_t number, std::string error) {
  auto& e = entries_.at(number - 1);
  e.status = DraftStatus::Rejected;
  e.error = std::move(error);
}

void Draft::load_submitted(std::vector<OrderDraft> orders) {
  entries_.clear();
  for (auto& o : orders) entries_.push_back(DraftEntry{std::move(o), DraftStatus::Submitted, {}});
  dirty_ = false;
}

std::vector<OrderDraft> Draft::orders() const {
  std::vector<OrderDraft> out;
  out.reserve(entries_.size());
  for (const auto& e : entries_) out.push_back(e.order);
  return out;
}

}  // namespace leadtime::cli
