#include "batch/sweep_wire.h"

#include <cstring>

namespace leadtime::sweep {
namespace {

class Writer {
 public:
  void u64(std::uint64_t v) {
    for (unsigned i = 0; i < 8; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8U * i)));
  }
  void f64(double v) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    u64(bits);
  }
  void numbers(const std::vector<double>& v) {
    u64(v.size());
    for (double d : v) f64(d);
  }
  void text(const std::string& s) {
    u64(s.size());
    out_.insert(out_.end(), s.begin(), s.end());
  }
  std::vector<std::uint8_t> take() { return std::move(out_); }

 private:
  std::vector<std::uint8_t> out_;
};

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> in) : in_(in) {}
  bool u64(std::uint64_t& v) {
    if (in_.size() - at_ < 8) return false;
    v = 0;
    for (unsigned i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(in_[at_ + i]) << (8U * i);
    at_ += 8;
    return true;
  }
  bool f64(double& v) {
    std::uint64_t bits = 0;
    if (!u64(bits)) return false;
    std::memcpy(&v, &bits, sizeof v);
    return true;
  }
  bool numbers(std::vector<double>& v) {
    std::uint64_t n = 0;
    if (!u64(n) || n > (in_.size() - at_) / 8) return false;
    v.resize(n);
    for (double& d : v) {
      if (!f64(d)) return false;
    }
    return true;
  }
  bool text(std::string& s) {
    std::uint64_t n = 0;
    if (!u64(n) || n > in_.size() - at_) return false;
    s.assign(reinterpret_cast<const char*>(in_.data() + at_), n);
    at_ += n;
    return true;
  }
  [[nodiscard]] bool done() const { return at_ == in_.size(); }

 private:
  std::span<const std::uint8_t> in_;
  std::size_t at_ = 0;
};

}  // namespace

std::vector<std::uint8_t> encode_rows(std::span<const RunRow> rows) {
  Writer w;
  w.u64(rows.size());
  for (const RunRow& r : rows) {
    w.u64(r.run);
    w.u64(r.point);
    w.u64(r.seed_index);
    w.u64(r.seed);
    w.numbers(r.outcomes);
    w.numbers(r.scores);
    w.u64(r.faults);
    w.text(r.error);
    w.u64(r.time_limited);
    w.numbers(r.series);
  }
  return w.take();
}

std::optional<std::vector<RunRow>> decode_rows(std::span<const std::uint8_t> bytes) {
  Reader r(bytes);
  std::uint64_t n = 0;
  // Each row takes at least 10 words, which bounds n before any allocation.
  if (!r.u64(n) || n > bytes.size() / 80) return std::nullopt;
  std::vector<RunRow> rows(n);
  for (RunRow& row : rows) {
    std::uint64_t faults = 0;
    std::uint64_t time_limited = 0;
    const bool ok = r.u64(row.run) && r.u64(row.point) && r.u64(row.seed_index) && r.u64(row.seed) &&
                    r.numbers(row.outcomes) && r.numbers(row.scores) && r.u64(faults) && r.text(row.error) &&
                    r.u64(time_limited) && r.numbers(row.series);
    if (!ok) return std::nullopt;
    row.faults = static_cast<std::uint32_t>(faults);
    row.time_limited = static_cast<std::uint32_t>(time_limited);
  }
  if (!r.done()) return std::nullopt;
  return rows;
}

}  // namespace leadtime::sweep
