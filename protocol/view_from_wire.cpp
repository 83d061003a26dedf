#include "protocol/view_from_wire.h"

#include <algorithm>

namespace leadtime::protocol {

namespace fb = flatbuffers;

namespace {

std::string str_of(const fb::String* s) { return s == nullptr ? std::string() : s->str(); }

// Copies up to N values; missing ones keep the engine default in `out`.
template <typename T, typename U, std::size_t N>
void copy_into(const fb::Vector<U>* in, std::array<T, N>& out) {
  if (in == nullptr) return;
  const std::size_t n = std::min<std::size_t>(in->size(), N);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<T>(in->Get(static_cast<fb::uoffset_t>(i)));
}

Policy policy_from_wire(const wire::Policy* w) {
  Policy p;
  if (w == nullptr) return p;
  copy_into(w->export_tier(), p.export_tier);
  p.licensed_firms = w->licensed_firms();
  p.enforcement_usd_b = w->enforcement_usd_b();
  p.cloud_kyc = w->cloud_kyc();
  p.anti_distillation_law = w->anti_distillation_law();
  p.threat_intel_sharing = w->threat_intel_sharing();
  copy_into(w->export_promotion_usd_b(), p.export_promotion_usd_b);
  p.lab_subsidy_usd_b = w->lab_subsidy_usd_b();
  p.fab_investment_usd_b = w->fab_investment_usd_b();
  p.smuggling_usd_b = w->smuggling_usd_b();
  p.offshore_rental_usd_b = w->offshore_rental_usd_b();
  p.foreign_chip_ban = w->foreign_chip_ban();
  p.cyber_usd_b = w->cyber_usd_b();
  p.cyber_target = w->cyber_target();
  p.tool_alignment = w->tool_alignment();
  p.sovereignty_usd_b = w->sovereignty_usd_b();
  p.regulation = w->regulation();
  p.chip_control_alignment = w->chip_control_alignment();
  p.chip_price_usd = w->chip_price_usd();
  if (const auto* a = w->allocation_priority()) p.allocation_priority.assign(a->begin(), a->end());
  p.compliant_chip = w->compliant_chip();
  p.capacity_investment_usd_b = w->capacity_investment_usd_b();
  p.lobbying_usd_b = w->lobbying_usd_b();
  p.chip_spend_share = w->chip_spend_share();
  p.training_share = w->training_share();
  p.api_defence_usd_b = w->api_defence_usd_b();
  p.weight_security_usd_b = w->weight_security_usd_b();
  p.open_weights = w->open_weights();
  p.model_price_usd_per_mtok = w->model_price_usd_per_mtok();
  p.safety_usd_b = w->safety_usd_b();
  p.distill_target = w->distill_target();
  p.distill_intensity = w->distill_intensity();
  p.intelligence_usd_b = w->intelligence_usd_b();
  return p;
}

Spending spending_from_wire(const wire::Spending* w) {
  Spending s;
  if (w == nullptr) return s;
  copy_into(w->export_promotion(), s.export_promotion);
  s.lab_subsidy = w->lab_subsidy();
  s.enforcement = w->enforcement();
  s.fab_investment = w->fab_investment();
  s.smuggling = w->smuggling();
  s.offshore_rental = w->offshore_rental();
  s.cyber = w->cyber();
  s.sovereignty = w->sovereignty();
  s.capacity_investment = w->capacity_investment();
  s.lobbying = w->lobbying();
  s.api_defence = w->api_defence();
  s.weight_security = w->weight_security();
  s.safety = w->safety();
  s.distillation = w->distillation();
  s.intelligence = w->intelligence();
  s.chips = w->chips();
  s.scale = w->scale();
  return s;
}

GovernmentState government_from_wire(const wire::GovernmentState* w) {
  GovernmentState g;
  if (w == nullptr) return g;
  g.budget_usd_b = w->budget_usd_b();
  g.cum_fab_investment_usd_b = w->cum_fab_investment_usd_b();
  g.cum_sovereignty_usd_b = w->cum_sovereignty_usd_b();
  g.political_capital = w->political_capital();
  return g;
}

VendorState vendor_from_wire(const wire::VendorState* w) {
  VendorState v;
  if (w == nullptr) return v;
  v.capacity_h100e = w->capacity_h100e();
  v.capacity_growth = w->capacity_growth();
  v.revenue_usd_b = w->revenue_usd_b();
  v.cum_revenue_usd_b = w->cum_revenue_usd_b();
  v.sold_h100e = w->sold_h100e();
  v.euv_multiplier = w->euv_multiplier();
  v.output_h100e = w->output_h100e();
  return v;
}

LabState lab_from_wire(const wire::LabState* w) {
  LabState l;
  if (w == nullptr) return l;
  l.compute_h100e = w->compute_h100e();
  l.offshore_h100e = w->offshore_h100e();
  l.capability_oom = w->capability_oom();
  l.alg_efficiency_oom = w->alg_efficiency_oom();
  l.alg_growth_oom = w->alg_growth_oom();
  l.api_defence = w->api_defence();
  l.weight_security = w->weight_security();
  l.revenue_usd_b = w->revenue_usd_b();
  l.funding_usd_b = w->funding_usd_b();
  l.funding_growth = w->funding_growth();
  l.bought_h100e = w->bought_h100e();
  l.chip_money_left_usd_b = w->chip_money_left_usd_b();
  l.open_weights_oom = w->open_weights_oom();
  l.cum_safety_usd_b = w->cum_safety_usd_b();
  l.accelerated = w->accelerated();
  return l;
}

}  // namespace

// Out-of-range enum values (a newer server) clamp to the last known one
// rather than indexing past the engine's name tables.
Bloc from_wire(wire::Bloc bloc) {
  return static_cast<Bloc>(std::min<int>(static_cast<int>(bloc), static_cast<int>(wire::Bloc::MAX)));
}
ActorKind from_wire(wire::ActorKind kind) {
  return static_cast<ActorKind>(std::min<int>(static_cast<int>(kind), static_cast<int>(wire::ActorKind::MAX)));
}
Visibility from_wire(wire::Visibility visibility) {
  return static_cast<Visibility>(std::min<int>(static_cast<int>(visibility), static_cast<int>(wire::Visibility::MAX)));
}

PublicIndicators from_wire(const wire::PublicIndicators& w) {
  PublicIndicators ind;
  ind.lead_months = w.lead_months();
  ind.compute_ratio_us_cn = w.compute_ratio_us_cn();
  if (const auto* markets = w.markets()) {
    const std::size_t n = std::min<std::size_t>(markets->size(), kMarketCount);
    for (std::size_t m = 0; m < n; ++m) {
      const wire::MarketIndicator* mi = markets->Get(static_cast<fb::uoffset_t>(m));
      ind.market_size_usd_b[m] = mi->size_usd_b();
      copy_into(mi->shares(), ind.shares[m]);
    }
  }
  ind.norm_index = w.norm_index();
  ind.surveillance_exports = w.surveillance_exports();
  ind.thefts_public = w.thefts_public();
  ind.seized_h100e = w.seized_h100e();
  return ind;
}

std::vector<Event> events_from_wire(const fb::Vector<fb::Offset<wire::EventMsg>>* events) {
  std::vector<Event> out;
  if (events == nullptr) return out;
  out.reserve(events->size());
  for (const wire::EventMsg* e : *events) {
    out.push_back(Event{str_of(e->kind()), str_of(e->text()), from_wire(e->visibility()), {}});
  }
  return out;
}

Actor from_wire(const wire::SelfState& w) {
  Actor a;
  a.id = str_of(w.id());
  a.name = str_of(w.name());
  a.kind = from_wire(w.kind());
  a.bloc = from_wire(w.bloc());
  a.cash_usd_b = w.cash_usd_b();
  a.policy = policy_from_wire(w.policy());
  a.spent = spending_from_wire(w.spent());
  a.gov = government_from_wire(w.government());
  a.vendor = vendor_from_wire(w.vendor());
  a.lab = lab_from_wire(w.lab());
  return a;
}

Estimate from_wire(const wire::Estimate& w) {
  Estimate e;
  e.actor = w.actor();
  e.id = str_of(w.id());
  e.kind = from_wire(w.kind());
  e.bloc = from_wire(w.bloc());
  e.cash_usd_b = w.cash_usd_b();
  e.compute_h100e = w.compute_h100e();
  e.capability_oom = w.capability_oom();
  e.capacity_h100e = w.capacity_h100e();
  e.noise_sd = w.noise_sd();
  return e;
}

View view_from_wire(const wire::ViewMsg& w) {
  View v;
  v.round = w.round();
  if (auto q = Quarter::parse(str_of(w.quarter()))) v.quarter = *q;
  v.viewer = w.viewer();
  if (const auto* self = w.self()) v.self = from_wire(*self);
  v.own_score = w.own_score();
  if (const auto* others = w.others()) {
    v.others.reserve(others->size());
    for (const wire::Estimate* e : *others) v.others.push_back(from_wire(*e));
  }
  if (const auto* ind = w.indicators()) v.indicators = from_wire(*ind);
  v.events = events_from_wire(w.events());
  return v;
}

}  // namespace leadtime::protocol
