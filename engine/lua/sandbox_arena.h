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
  static constexpr std::size_t kClasses = 48;  // size classes up to kMaxArenaBlock

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

  // The arena as save() found it: the bytes handed out and the free lists.
  // A sandbox may keep several (one after compiling, one after a bot's
  // start, say) and go back to any of them.
  struct Image {
    std::vector<std::byte> bytes;
    std::array<void*, kClasses> free{};
    [[nodiscard]] bool empty() const { return bytes.empty(); }
  };

  // Remembers the arena as it is in `into`: false (and `into` left empty)
  // while outside blocks are live, since those could not be put back at
  // their addresses.
  bool save(Image& into) const;
  // Frees every outside block and puts back the bytes and bookkeeping of
  // `from`, which save() filled from this arena.
  void restore(const Image& from);

  // Bytes of the range in use or on free lists.
  [[nodiscard]] std::size_t arena_bytes() const { return top_; }

 private:
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
};

}  // namespace leadtime::lua::detail
