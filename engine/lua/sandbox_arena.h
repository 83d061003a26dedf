#pragma once

// The memory a sandbox's Lua state lives in, for the sandbox's own files
// (engine/lua/sandbox*.cpp) only.
//
// Why an arena of its own: so a sandbox can be put back exactly as it was.
// Loading a bot (opening the libraries, compiling its file) costs many times
// what the bot then spends deciding a whole match, and a batch of matches
// loads the same files again and again. Every byte of a Lua state lives in
// memory its allocator handed out; when all of it is in one block of
// addresses, copying that block (and the allocator's own bookkeeping) keeps
// the state whole, and copying it back at the same addresses brings back the
// very same state, pointers and all: not a similar one rebuilt by running
// code again. A match started from that copy is played by a state identical
// to the one a fresh load makes up to the snapshot, so nothing of an earlier
// match (globals, upvalues, garbage, the collector's debt, the string table)
// can reach it, and it replays as a fresh one does.
//
// The allocator: blocks up to kMaxArenaBlock come from size classes (16-byte
// steps to 256 bytes, then four per doubling) carved from one reserved range
// of addresses, freed blocks go on their class's free list; Lua says the
// size of every block it frees or resizes, so blocks carry no header. Bigger
// blocks, and any block once the range is used up, come from malloc
// ("outside" blocks, listed so they can be freed all at once). It does not
// decide what a script may use: the sandbox's memory cap still counts the
// bytes Lua asked for (sandbox_limits.cpp), whatever the arena holds.

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace leadtime::lua::detail {

class Arena {
 public:
  // Addresses reserved (not memory used: pages are touched as they are
  // handed out) and the largest block taken from them.
  static constexpr std::size_t kReserve = std::size_t{16} << 20U;
  static constexpr std::size_t kMaxArenaBlock = std::size_t{64} << 10U;

  Arena();
  ~Arena();
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // Null when there is no memory (or n is 0).
  void* allocate(std::size_t n);
  // `n` is the size the block was allocated or last resized to.
  void release(void* p, std::size_t n);
  // realloc with Lua's sizes: null when the block cannot grow (the old one
  // is then untouched).
  void* resize(void* p, std::size_t old_n, std::size_t n);

  // Remembers the arena as it is: false (and no snapshot) while outside
  // blocks are live, since those could not be put back at their addresses.
  bool save();
  [[nodiscard]] bool saved() const { return saved_top_ > 0; }
  // Frees every outside block and puts back the bytes and bookkeeping
  // save() remembered. Requires saved().
  void restore();

  // Bytes of the range in use or on free lists; bytes a restore copies.
  [[nodiscard]] std::size_t arena_bytes() const { return top_; }
  [[nodiscard]] std::size_t saved_bytes() const { return saved_top_; }

 private:
  static constexpr std::size_t kClasses = 48;
  struct Outside {
    Outside* prev;
    Outside* next;
  };
  static_assert(sizeof(Outside) == 16, "outside blocks keep Lua's 16-byte alignment");

  [[nodiscard]] bool owns(const void* p) const {
    return base_ != nullptr && static_cast<const std::byte*>(p) >= base_ &&
           static_cast<const std::byte*>(p) < base_ + kReserve;
  }
  void* allocate_outside(std::size_t n);
  void release_outside(void* p);
  void* resize_outside(void* p, std::size_t n);

  std::byte* base_ = nullptr;  // null if the range could not be reserved: every block is outside
  std::size_t top_ = 0;        // bytes handed out from base_ so far
  std::size_t peak_ = 0;       // top_'s highest since the last restore, for giving pages back
  std::array<void*, kClasses> free_{};
  Outside* outside_ = nullptr;
  std::size_t outside_count_ = 0;

  std::vector<std::byte> saved_;
  std::size_t saved_top_ = 0;
  std::array<void*, kClasses> saved_free_{};
};

}  // namespace leadtime::lua::detail
