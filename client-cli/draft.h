#pragma once

// The orders a seat is preparing for the current round. The server replaces
// a seat's whole set on every SubmitOrders, so the draft is always the full
// set: submitting sends all of it, and each order keeps what the server said
// about it the last time.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/orders.h"

namespace leadtime::cli {

enum class DraftStatus { New, Submitted, Rejected };

struct DraftEntry {
  OrderDraft order;
  DraftStatus status = DraftStatus::New;
  std::string error;  // the server's (or the local check's) sentence when Rejected
};

struct Rejection {
  int index = -1;  // position in the submitted set
  std::string message;
};

class Draft {
 public:
  // Adds an order; one with the same action and the same actor, market and
  // bloc arguments sets the same standing policy, so it is replaced in place.
  // Returns the order's number (1-based) and whether it replaced one.
  std::pair<std::size_t, bool> add(OrderDraft order);
  void replace(std::size_t number, OrderDraft order);
  // Errors name the numbers that exist.
  std::optional<std::string> check_number(std::size_t number) const;
  void remove(std::size_t number);
  void clear();

  // What the server said to the set just submitted.
  void mark_submitted(const std::vector<Rejection>& rejected);
  void mark_rejected(std::size_t number, std::string error);
  // The orders the server already holds for this round (after a reconnect).
  void load_submitted(std::vector<OrderDraft> orders);

  [[nodiscard]] const std::vector<DraftEntry>& entries() const { return entries_; }
  [[nodiscard]] std::vector<OrderDraft> orders() const;
  [[nodiscard]] bool empty() const { return entries_.empty(); }
  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  // Changed since the last submission (or never submitted).
  [[nodiscard]] bool dirty() const { return dirty_; }

 private:
  std::vector<DraftEntry> entries_;
  bool dirty_ = false;
};

}  // namespace leadtime::cli
