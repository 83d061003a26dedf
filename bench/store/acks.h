#pragma once

// Durable acknowledgements per second: client threads that each append one
// "submitted" journal entry and wait for its acknowledgement before the next.
#include <cstdint>
#include <string>

namespace leadtime::bench::store {

struct AckFigures {
  int clients = 0;
  std::uint64_t acks = 0;
  double seconds = 0;
  std::uint64_t transactions = 0;  // commits (fsyncs) the acks took
  [[nodiscard]] double per_second() const { return seconds > 0 ? static_cast<double>(acks) / seconds : 0; }
};

// Through the store's group-committing writer thread.
AckFigures group_commit_acks(const std::string& path, int clients, std::uint64_t acks);

// The same closed loop with each client a callback rather than a thread, as
// sessions on an io_context are: a client's acknowledgement queues its next
// entry. This leaves out the cost of waking a thousand OS threads.
AckFigures callback_client_acks(const std::string& path, int clients, std::uint64_t acks);

// The writer's ceiling: one thread queues every append without waiting,
// then flushes; batches are as large as the queue.
AckFigures queued_acks(const std::string& path, std::uint64_t acks);

// The baseline without group commit: each client runs its own transaction
// (BEGIN IMMEDIATE, INSERT, COMMIT) on one shared connection, one at a time,
// with the same WAL and synchronous=FULL settings.
AckFigures one_commit_per_entry_acks(const std::string& path, int clients, std::uint64_t acks);

// A submitted order set in the shape server/journal.h writes, about 250 bytes.
std::string sample_payload(std::uint64_t seq);

}  // namespace leadtime::bench::store
