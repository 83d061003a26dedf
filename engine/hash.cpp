#include "engine/hash.h"

#include <xxhash.h>
#include <algorithm>
#include <array>
#include <bit>
#include <cstdio>

namespace leadtime {
namespace {

// Writes the canonical encoding into a sink: a byte vector for
// canonical_bytes, or straight into XXH3's streaming state for the hash (the
// same bytes, without building them in memory first).
class Encoder {
 public:
  explicit Encoder(std::vector<std::uint8_t>* bytes) : bytes_(bytes) {}
  explicit Encoder(XXH3_state_t* hash) : hash_(hash) {}

  void u64(std::uint64_t v) {
    std::array<std::uint8_t, 8> le{};
    for (std::size_t i = 0; i < 8; ++i) le[i] = static_cast<std::uint8_t>(v >> (8 * i));
    write(le.data(), le.size());
  }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }
  void flag(bool v) {
    const std::uint8_t b = v ? 1 : 0;
    write(&b, 1);
  }
  void str(const std::string& s) {
    u64(s.size());
    write(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  }
  template <typename T, std::size_t N>
  void f64s(const std::array<T, N>& a) {
    for (const T& v : a) f64(static_cast<double>(v));
  }

 private:
  void write(const std::uint8_t* data, std::size_t n) {
    if (bytes_) bytes_->insert(bytes_->end(), data, data + n);
    if (!hash_) return;
    // Small writes are batched: XXH3's update has a per-call cost that
    // dominates 8-byte writes.
    if (used_ + n > chunk_.size()) flush();
    if (n > chunk_.size()) {
      XXH3_64bits_update(hash_, data, n);
      return;
    }
    std::copy(data, data + n, chunk_.begin() + static_cast<std::ptrdiff_t>(used_));
    used_ += n;
  }

 public:
  void flush() {
    if (hash_ && used_ > 0) XXH3_64bits_update(hash_, chunk_.data(), used_);
    used_ = 0;
  }

 private:
  std::vector<std::uint8_t>* bytes_ = nullptr;
  XXH3_state_t* hash_ = nullptr;
  std::array<std::uint8_t, 4096> chunk_{};
  std::size_t used_ = 0;
};

void encode(Encoder& e, const Policy& p) {
  for (int t : p.export_tier) e.i64(t);
  e.i64(p.licensed_firms);
  e.f64(p.enforcement_usd_b);
  e.f64(p.cloud_kyc);
  e.flag(p.anti_distillation_law);
  e.flag(p.threat_intel_sharing);
  e.f64s(p.export_promotion_usd_b);
  for (double v : {p.lab_subsidy_usd_b, p.fab_investment_usd_b, p.smuggling_usd_b, p.offshore_rental_usd_b}) e.f64(v);
  e.flag(p.foreign_chip_ban);
  e.f64(p.cyber_usd_b);
  e.i64(p.cyber_target);
  e.flag(p.tool_alignment);
  e.f64(p.sovereignty_usd_b);
  e.f64(p.regulation);
  e.flag(p.chip_control_alignment);
  e.f64(p.chip_price_usd);
  e.u64(p.allocation_priority.size());
  for (int v : p.allocation_priority) e.i64(v);
  e.flag(p.compliant_chip);
  e.f64(p.capacity_investment_usd_b);
  e.f64(p.lobbying_usd_b);
  e.f64(p.chip_spend_share);
  e.f64(p.training_share);
  e.f64(p.api_defence_usd_b);
  e.f64(p.weight_security_usd_b);
  e.flag(p.open_weights);
  e.f64(p.model_price_usd_per_mtok);
  e.f64(p.safety_usd_b);
  e.i64(p.distill_target);
  e.f64(p.distill_intensity);
  e.f64(p.intelligence_usd_b);
}

void encode(Encoder& e, const Spending& s) {
  e.f64s(s.export_promotion);
  for (double v : {s.lab_subsidy, s.enforcement, s.fab_investment, s.smuggling, s.offshore_rental, s.cyber,
                   s.sovereignty, s.capacity_investment, s.lobbying, s.api_defence, s.weight_security, s.safety,
                   s.distillation, s.intelligence, s.chips, s.scale})
    e.f64(v);
}

void encode(Encoder& e, const Actor& a) {
  e.str(a.id);
  e.str(a.name);
  e.u64(static_cast<std::uint64_t>(a.kind));
  e.u64(static_cast<std::uint64_t>(a.bloc));
  e.f64(a.cash_usd_b);
  encode(e, a.policy);
  encode(e, a.spent);
  const GovernmentState& g = a.gov;
  for (double v : {g.budget_usd_b, g.cum_fab_investment_usd_b, g.cum_sovereignty_usd_b, g.political_capital}) e.f64(v);
  const VendorState& v = a.vendor;
  for (double x : {v.capacity_h100e, v.capacity_growth, v.revenue_usd_b, v.cum_revenue_usd_b, v.sold_h100e,
                   v.euv_multiplier, v.output_h100e})
    e.f64(x);
  const LabState& l = a.lab;
  for (double x : {l.compute_h100e, l.offshore_h100e, l.capability_oom, l.alg_efficiency_oom, l.alg_growth_oom,
                   l.api_defence, l.weight_security, l.revenue_usd_b, l.funding_usd_b, l.funding_growth, l.bought_h100e,
                   l.chip_money_left_usd_b, l.open_weights_oom, l.cum_safety_usd_b})
    e.f64(x);
  e.flag(l.accelerated);
}

void encode(Encoder& e, const Event& ev) {
  e.str(ev.kind);
  e.str(ev.text);
  e.u64(static_cast<std::uint64_t>(ev.visibility));
  e.u64(ev.audience.size());
  for (int a : ev.audience) e.i64(a);
}

void encode(Encoder& e, const Flows& f) {
  e.f64s(f.legal_h100e);
  for (double v : {f.cn_domestic_h100e, f.smuggled_h100e, f.seized_h100e, f.exposed_case_usd_b, f.offshore_h100e,
                   f.us_vendor_output_h100e, f.cn_vendor_output_h100e})
    e.f64(v);
  e.i64(f.thefts);
}

void encode(Encoder& e, const Outcomes& o) {
  e.f64(o.lead_months);
  e.u64(o.pair_lead_months.size());
  for (double v : o.pair_lead_months) e.f64(v);
  e.f64(o.compute_ratio_us_cn);
  e.f64s(o.compute_h100e);
  e.f64s(o.best_capability_oom);
  for (const auto& row : o.shares) e.f64s(row);
  e.f64s(o.stack_price_usd_per_mtok);
  e.f64(o.norm_index);
  e.f64(o.open_weights_oom);
  e.i64(o.thefts_total);
  e.f64(o.surveillance_exports);
  e.u64(o.scores.size());
  for (double v : o.scores) e.f64(v);
}

void encode_state(Encoder& e, const State& s) {
  e.str("leadtime-state-v1");
  e.u64(s.seed);
  e.i64(s.round);
  e.i64(s.quarter.year);
  e.i64(s.quarter.q);
  e.u64(s.actors.size());
  for (const Actor& a : s.actors) encode(e, a);
  for (const Market& m : s.markets) {
    e.f64(m.size_usd_b);
    e.f64(m.growth);
    e.f64s(m.share);
  }
  e.f64(s.hubs.compute_h100e);
  e.f64(s.hubs.capex_usd_b);
  e.f64(s.hubs.rent_usd_per_h100e);
  for (std::uint64_t w : s.rng.words()) e.u64(w);
  encode(e, s.flows);
  encode(e, s.outcomes);
  e.u64(s.events.size());
  for (const Event& ev : s.events) encode(e, ev);
  e.u64(s.fired_once.size());
  for (const std::string& id : s.fired_once) e.str(id);
  e.i64(s.thefts_total);
  e.f64(s.cum_smuggled_h100e);
}

}  // namespace

std::vector<std::uint8_t> canonical_bytes(const State& state) {
  std::vector<std::uint8_t> bytes;
  Encoder e(&bytes);
  encode_state(e, state);
  return bytes;
}

std::uint64_t state_hash(const State& state) {
  XXH3_state_t* hash = XXH3_createState();
  XXH3_64bits_reset(hash);
  Encoder e(hash);
  encode_state(e, state);
  e.flush();
  const std::uint64_t out = XXH3_64bits_digest(hash);
  XXH3_freeState(hash);
  return out;
}

std::string hash_hex(std::uint64_t hash) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

}  // namespace leadtime
