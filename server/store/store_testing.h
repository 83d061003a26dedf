#pragma once

// Hooks for the store's own tests, to reach states a test cannot otherwise
// make (a full disk, a file turned read-only while open, a batch of a known
// size). Production code does not include this header.
#include <mutex>
#include <string>

#include "server/store/store.h"

namespace leadtime::server::store {

struct StoreTesting {
  // Runs `sql` on the writer's connection between two batches, e.g.
  // "PRAGMA max_page_count = 40" (SQLite then fails writes with SQLITE_FULL,
  // as a full disk does) or "PRAGMA query_only = 1" (as a read-only file).
  static Outcome exec_on_writer(Store& store, const std::string& sql);

  // While alive, the writer waits before its next batch, so everything
  // queued meanwhile commits as one transaction once it is released.
  class Hold {
   public:
    explicit Hold(Store& store) : lock_(writer_mutex(store)) {}

   private:
    std::unique_lock<std::mutex> lock_;
  };

 private:
  static std::mutex& writer_mutex(Store& store);
};

}  // namespace leadtime::server::store
