// The sandbox's arena: size classes in one reserved range, outside blocks
// from malloc, and the snapshot that puts a Lua state back exactly
// (sandbox_arena.h says why).
#include "engine/lua/sandbox_arena.h"

#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>

namespace leadtime::lua::detail {
namespace {

constexpr std::size_t kSmallStep = 16;
constexpr std::size_t kSmallMax = 256;  // 16 classes of 16-byte steps, then four per doubling
constexpr std::size_t kPage = 4096;
// Pages a match touched above the snapshot are given back to the system when
// there are more than this many bytes of them: a match that built big tables
// once does not keep them resident for the rest of a batch.
constexpr std::size_t kKeepTouched = std::size_t{1} << 20U;

// The class of a block of n bytes (0 < n <= kMaxArenaBlock) and its size.
std::size_t class_of(std::size_t n) {
  if (n <= kSmallMax) return (n + kSmallStep - 1) / kSmallStep - 1;
  const auto p = static_cast<unsigned>(std::bit_width(n - 1) - 1);  // 2^p < n <= 2^(p+1), p >= 8
  const unsigned shift = p - 2;
  const std::size_t sub = (n - (std::size_t{1} << p) + (std::size_t{1} << shift) - 1) >> shift;  // 1..4
  return kSmallMax / kSmallStep + (p - 8) * 4 + (sub - 1);
}

std::size_t class_size(std::size_t c) {
  if (c < kSmallMax / kSmallStep) return (c + 1) * kSmallStep;
  const std::size_t above = c - kSmallMax / kSmallStep;
  const std::size_t p = 8 + above / 4;
  return (std::size_t{1} << p) + (above % 4 + 1) * (std::size_t{1} << (p - 2));
}

}  // namespace

Arena::Arena() {
  static_assert(kMaxArenaBlock == std::size_t{1} << 16U, "kClasses covers classes up to 64 KiB");
  void* range = mmap(nullptr, kReserve, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (range != MAP_FAILED) base_ = static_cast<std::byte*>(range);
}

Arena::~Arena() {
  while (outside_ != nullptr) release_outside(outside_ + 1);
  if (base_ != nullptr) munmap(base_, kReserve);
}

void* Arena::allocate(std::size_t n) {
  if (n == 0) return nullptr;
  if (base_ == nullptr || n > kMaxArenaBlock) return allocate_outside(n);
  const std::size_t c = class_of(n);
  if (void* block = free_[c]) {
    std::memcpy(&free_[c], block, sizeof(void*));
    return block;
  }
  const std::size_t size = class_size(c);
  if (kReserve - top_ < size) return allocate_outside(n);
  void* block = base_ + top_;
  top_ += size;
  peak_ = std::max(peak_, top_);
  return block;
}

void Arena::release(void* p, std::size_t n) {
  if (p == nullptr) return;
  if (!owns(p)) {
    release_outside(p);
    return;
  }
  // A block Lua shrank in place (resize below) sits in a smaller class than
  // it could: it still holds that class's size.
  const std::size_t c = class_of(n);
  std::memcpy(p, &free_[c], sizeof(void*));
  free_[c] = p;
}

void* Arena::resize(void* p, std::size_t old_n, std::size_t n) {
  if (p == nullptr) return allocate(n);
  const bool inside = owns(p);
  void* moved = nullptr;
  if (inside && n <= kMaxArenaBlock && class_of(old_n) == class_of(n)) {
    moved = p;
  } else if (!inside && n > kMaxArenaBlock) {
    moved = resize_outside(p, n);  // realloc copies
  } else if ((moved = allocate(n)) != nullptr) {
    std::memcpy(moved, p, std::min(old_n, n));
    release(p, old_n);
  }
  if (moved == nullptr && n <= old_n) return p;  // a block that cannot shrink stays as it is
  return moved;
}

void* Arena::allocate_outside(std::size_t n) {
  auto* block = static_cast<Outside*>(std::malloc(sizeof(Outside) + n));
  if (block == nullptr) return nullptr;
  block->prev = nullptr;
  block->next = outside_;
  if (outside_ != nullptr) outside_->prev = block;
  outside_ = block;
  outside_count_ += 1;
  return block + 1;
}

void Arena::release_outside(void* p) {
  Outside* block = static_cast<Outside*>(p) - 1;
  if (block->prev != nullptr) {
    block->prev->next = block->next;
  } else {
    outside_ = block->next;
  }
  if (block->next != nullptr) block->next->prev = block->prev;
  outside_count_ -= 1;
  std::free(block);
}

void* Arena::resize_outside(void* p, std::size_t n) {
  Outside* block = static_cast<Outside*>(p) - 1;
  auto* moved = static_cast<Outside*>(std::realloc(block, sizeof(Outside) + n));
  if (moved == nullptr) return nullptr;
  if (moved->prev != nullptr) {
    moved->prev->next = moved;
  } else {
    outside_ = moved;
  }
  if (moved->next != nullptr) moved->next->prev = moved;
  return moved + 1;
}

bool Arena::save(Image& into) const {
  if (outside_count_ > 0 || base_ == nullptr || top_ == 0) {
    into = Image{};
    return false;
  }
  into.bytes.assign(base_, base_ + top_);
  into.free = free_;
  return true;
}

void Arena::restore(const Image& from) {
  while (outside_ != nullptr) release_outside(outside_ + 1);
  const std::size_t saved_top = from.bytes.size();
  std::memcpy(base_, from.bytes.data(), saved_top);
  if (peak_ > saved_top && peak_ - saved_top > kKeepTouched) {
    const std::size_t from_page = (saved_top + kPage - 1) / kPage * kPage;
    madvise(base_ + from_page, peak_ - from_page, MADV_DONTNEED);
  }
  top_ = saved_top;
  peak_ = top_;
  free_ = from.free;
}

}  // namespace leadtime::lua::detail
