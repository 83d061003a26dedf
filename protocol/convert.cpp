#include "protocol/convert.h"

#include <variant>

namespace leadtime::protocol {

namespace fb = flatbuffers;

namespace {

std::string str_of(const fb::String* s) { return s == nullptr ? std::string() : s->str(); }

template <typename T, std::size_t N>
fb::Offset<fb::Vector<T>> vec(fb::FlatBufferBuilder& fbb, const std::array<T, N>& a) {
  return fbb.CreateVector(a.data(), a.size());
}

fb::Offset<wire::Policy> policy_to_wire(fb::FlatBufferBuilder& fbb, const Policy& p) {
  const auto export_tier = vec(fbb, p.export_tier);
  const auto export_promotion = vec(fbb, p.export_promotion_usd_b);
  const auto allocation = fbb.CreateVector(p.allocation_priority);
  wire::PolicyBuilder b(fbb);
  b.add_export_tier(export_tier);
  b.add_licensed_firms(p.licensed_firms);
  b.add_enforcement_usd_b(p.enforcement_usd_b);
  b.add_cloud_kyc(p.cloud_kyc);
  b.add_anti_distillation_law(p.anti_distillation_law);
  b.add_threat_intel_sharing(p.threat_intel_sharing);
  b.add_export_promotion_usd_b(export_promotion);
  b.add_lab_subsidy_usd_b(p.lab_subsidy_usd_b);
  b.add_fab_investment_usd_b(p.fab_investment_usd_b);
  b.add_smuggling_usd_b(p.smuggling_usd_b);
  b.add_offshore_rental_usd_b(p.offshore_rental_usd_b);
  b.add_foreign_chip_ban(p.foreign_chip_ban);
  b.add_cyber_usd_b(p.cyber_usd_b);
  b.add_cyber_target(p.cyber_target);
  b.add_tool_alignment(p.tool_alignment);
  b.add_sovereignty_usd_b(p.sovereignty_usd_b);
  b.add_regulation(p.regulation);
  b.add_chip_control_alignment(p.chip_control_alignment);
  b.add_chip_price_usd(p.chip_price_usd);
  b.add_allocation_priority(allocation);
  b.add_compliant_chip(p.compliant_chip);
  b.add_capacity_investment_usd_b(p.capacity_investment_usd_b);
  b.add_lobbying_usd_b(p.lobbying_usd_b);
  b.add_chip_spend_share(p.chip_spend_share);
  b.add_training_share(p.training_share);
  b.add_api_defence_usd_b(p.api_defence_usd_b);
  b.add_weight_security_usd_b(p.weight_security_usd_b);
  b.add_open_weights(p.open_weights);
  b.add_model_price_usd_per_mtok(p.model_price_usd_per_mtok);
  b.add_safety_usd_b(p.safety_usd_b);
  b.add_distill_target(p.distill_target);
  b.add_distill_intensity(p.distill_intensity);
  b.add_intelligence_usd_b(p.intelligence_usd_b);
  return b.Finish();
}

fb::Offset<wire::Spending> spending_to_wire(fb::FlatBufferBuilder& fbb, const Spending& s) {
  const auto export_promotion = vec(fbb, s.export_promotion);
  wire::SpendingBuilder b(fbb);
  b.add_export_promotion(export_promotion);
  b.add_lab_subsidy(s.lab_subsidy);
  b.add_enforcement(s.enforcement);
  b.add_fab_investment(s.fab_investment);
  b.add_smuggling(s.smuggling);
  b.add_offshore_rental(s.offshore_rental);
  b.add_cyber(s.cyber);
  b.add_sovereignty(s.sovereignty);
  b.add_capacity_investment(s.capacity_investment);
  b.add_lobbying(s.lobbying);
  b.add_api_defence(s.api_defence);
  b.add_weight_security(s.weight_security);
  b.add_safety(s.safety);
  b.add_distillation(s.distillation);
  b.add_intelligence(s.intelligence);
  b.add_chips(s.chips);
  b.add_scale(s.scale);
  return b.Finish();
}

fb::Offset<wire::GovernmentState> government_to_wire(fb::FlatBufferBuilder& fbb, const GovernmentState& g) {
  return wire::CreateGovernmentState(fbb, g.budget_usd_b, g.cum_fab_investment_usd_b, g.cum_sovereignty_usd_b,
                                     g.political_capital);
}

fb::Offset<wire::VendorState> vendor_to_wire(fb::FlatBufferBuilder& fbb, const VendorState& v) {
  wire::VendorStateBuilder b(fbb);
  b.add_capacity_h100e(v.capacity_h100e);
  b.add_capacity_growth(v.capacity_growth);
  b.add_revenue_usd_b(v.revenue_usd_b);
  b.add_cum_revenue_usd_b(v.cum_revenue_usd_b);
  b.add_sold_h100e(v.sold_h100e);
  b.add_euv_multiplier(v.euv_multiplier);
  b.add_output_h100e(v.output_h100e);
  return b.Finish();
}

fb::Offset<wire::LabState> lab_to_wire(fb::FlatBufferBuilder& fbb, const LabState& l) {
  wire::LabStateBuilder b(fbb);
  b.add_compute_h100e(l.compute_h100e);
  b.add_offshore_h100e(l.offshore_h100e);
  b.add_capability_oom(l.capability_oom);
  b.add_alg_efficiency_oom(l.alg_efficiency_oom);
  b.add_alg_growth_oom(l.alg_growth_oom);
  b.add_api_defence(l.api_defence);
  b.add_weight_security(l.weight_security);
  b.add_revenue_usd_b(l.revenue_usd_b);
  b.add_funding_usd_b(l.funding_usd_b);
  b.add_funding_growth(l.funding_growth);
  b.add_bought_h100e(l.bought_h100e);
  b.add_chip_money_left_usd_b(l.chip_money_left_usd_b);
  b.add_open_weights_oom(l.open_weights_oom);
  b.add_cum_safety_usd_b(l.cum_safety_usd_b);
  b.add_accelerated(l.accelerated);
  return b.Finish();
}

}  // namespace

// --- Orders -----------------------------------------------------------------

fb::Offset<wire::Order> to_wire(fb::FlatBufferBuilder& fbb, const OrderDraft& draft) {
  std::vector<fb::Offset<wire::Arg>> args;
  args.reserve(draft.args.size());
  for (const auto& [name, value] : draft.args) {
    const auto name_off = fbb.CreateString(name);
    if (const auto* number = std::get_if<double>(&value)) {
      args.push_back(wire::CreateArg(fbb, name_off, wire::ArgKind::Number, *number));
    } else if (const auto* flag = std::get_if<bool>(&value)) {
      args.push_back(wire::CreateArg(fbb, name_off, wire::ArgKind::Flag, 0.0, *flag));
    } else {
      const auto text = fbb.CreateString(std::get<std::string>(value));
      args.push_back(wire::CreateArg(fbb, name_off, wire::ArgKind::Text, 0.0, false, text));
    }
  }
  const auto action = fbb.CreateString(draft.action);
  const auto arg_vec = fbb.CreateVector(args);
  return wire::CreateOrder(fbb, action, arg_vec);
}

fb::Offset<wire::SubmitOrders> build_submit_orders(fb::FlatBufferBuilder& fbb, std::span<const OrderDraft> drafts) {
  std::vector<fb::Offset<wire::Order>> orders;
  orders.reserve(drafts.size());
  for (const OrderDraft& d : drafts) orders.push_back(to_wire(fbb, d));
  return wire::CreateSubmitOrders(fbb, fbb.CreateVector(orders));
}

OrderDraft from_wire(const wire::Order& order) {
  OrderDraft draft;
  draft.action = str_of(order.action());
  if (const auto* args = order.args()) {
    draft.args.reserve(args->size());
    for (const wire::Arg* arg : *args) {
      if (arg == nullptr) continue;  // a verified vector of tables holds none, but be safe
      std::string name = str_of(arg->name());
      switch (arg->kind()) {
        case wire::ArgKind::Number:
          draft.args.emplace_back(std::move(name), ArgValue{arg->number()});
          break;
        case wire::ArgKind::Flag:
          draft.args.emplace_back(std::move(name), ArgValue{arg->flag()});
          break;
        case wire::ArgKind::Text:
        default:
          draft.args.emplace_back(std::move(name), ArgValue{str_of(arg->text())});
          break;
      }
    }
  }
  return draft;
}

std::vector<OrderDraft> drafts_from_wire(const wire::SubmitOrders& submit) {
  std::vector<OrderDraft> drafts;
  if (const auto* orders = submit.orders()) {
    drafts.reserve(orders->size());
    for (const wire::Order* o : *orders) drafts.push_back(o == nullptr ? OrderDraft{} : from_wire(*o));
  }
  return drafts;
}

fb::Offset<wire::OrderRejection> to_wire(fb::FlatBufferBuilder& fbb, const OrderError& error) {
  return wire::CreateOrderRejectionDirect(fbb, error.index, error.action.c_str(), error.param.c_str(),
                                          error.message.c_str());
}

fb::Offset<wire::OrdersAccepted> build_orders_accepted(fb::FlatBufferBuilder& fbb, std::uint32_t accepted,
                                                       std::span<const OrderError> rejected) {
  std::vector<fb::Offset<wire::OrderRejection>> items;
  items.reserve(rejected.size());
  for (const OrderError& e : rejected) items.push_back(to_wire(fbb, e));
  return wire::CreateOrdersAccepted(fbb, accepted, fbb.CreateVector(items));
}

// --- Views ------------------------------------------------------------------

wire::Bloc to_wire(Bloc bloc) { return static_cast<wire::Bloc>(static_cast<std::uint8_t>(bloc)); }
wire::ActorKind to_wire(ActorKind kind) { return static_cast<wire::ActorKind>(static_cast<std::uint8_t>(kind)); }
wire::Visibility to_wire(Visibility visibility) {
  return static_cast<wire::Visibility>(static_cast<std::uint8_t>(visibility));
}

// The wire enums mirror the engine's one for one; catch a drift at compile time.
static_assert(static_cast<int>(wire::Bloc::MAX) + 1 == kBlocCount);
static_assert(static_cast<int>(wire::Bloc::ROW) == static_cast<int>(Bloc::ROW));
static_assert(static_cast<int>(wire::ActorKind::Lab) == static_cast<int>(ActorKind::Lab));
static_assert(static_cast<int>(wire::Visibility::Facilitator) == static_cast<int>(Visibility::Facilitator));

fb::Offset<wire::PublicIndicators> to_wire(fb::FlatBufferBuilder& fbb, const PublicIndicators& ind) {
  std::vector<fb::Offset<wire::MarketIndicator>> markets;
  for (std::size_t m = 0; m < kMarketCount; ++m) {
    const auto name = fbb.CreateString(kMarketNames[m]);
    const auto shares = vec(fbb, ind.shares[m]);
    markets.push_back(wire::CreateMarketIndicator(fbb, name, ind.market_size_usd_b[m], shares));
  }
  const auto market_vec = fbb.CreateVector(markets);
  wire::PublicIndicatorsBuilder b(fbb);
  b.add_lead_months(ind.lead_months);
  b.add_compute_ratio_us_cn(ind.compute_ratio_us_cn);
  b.add_markets(market_vec);
  b.add_norm_index(ind.norm_index);
  b.add_surveillance_exports(ind.surveillance_exports);
  b.add_thefts_public(ind.thefts_public);
  b.add_seized_h100e(ind.seized_h100e);
  return b.Finish();
}

fb::Offset<fb::Vector<fb::Offset<wire::EventMsg>>> build_events(fb::FlatBufferBuilder& fbb,
                                                                std::span<const Event> events) {
  std::vector<fb::Offset<wire::EventMsg>> items;
  items.reserve(events.size());
  for (const Event& e : events) {
    items.push_back(wire::CreateEventMsgDirect(fbb, e.kind.c_str(), e.text.c_str(), to_wire(e.visibility)));
  }
  return fbb.CreateVector(items);
}

fb::Offset<wire::SelfState> to_wire(fb::FlatBufferBuilder& fbb, const Actor& self) {
  const auto id = fbb.CreateString(self.id);
  const auto name = fbb.CreateString(self.name);
  const auto policy = policy_to_wire(fbb, self.policy);
  const auto spent = spending_to_wire(fbb, self.spent);
  fb::Offset<wire::GovernmentState> gov;
  fb::Offset<wire::VendorState> vendor;
  fb::Offset<wire::LabState> lab;
  switch (self.kind) {
    case ActorKind::Government:
      gov = government_to_wire(fbb, self.gov);
      break;
    case ActorKind::Vendor:
      vendor = vendor_to_wire(fbb, self.vendor);
      break;
    case ActorKind::Lab:
      lab = lab_to_wire(fbb, self.lab);
      break;
  }
  wire::SelfStateBuilder b(fbb);
  b.add_id(id);
  b.add_name(name);
  b.add_kind(to_wire(self.kind));
  b.add_bloc(to_wire(self.bloc));
  b.add_cash_usd_b(self.cash_usd_b);
  b.add_policy(policy);
  b.add_spent(spent);
  b.add_government(gov);  // a null offset adds nothing
  b.add_vendor(vendor);
  b.add_lab(lab);
  return b.Finish();
}

fb::Offset<wire::Estimate> to_wire(fb::FlatBufferBuilder& fbb, const Estimate& e) {
  const auto id = fbb.CreateString(e.id);
  wire::EstimateBuilder b(fbb);
  b.add_actor(e.actor);
  b.add_id(id);
  b.add_kind(to_wire(e.kind));
  b.add_bloc(to_wire(e.bloc));
  b.add_cash_usd_b(e.cash_usd_b);
  b.add_compute_h100e(e.compute_h100e);
  b.add_capability_oom(e.capability_oom);
  b.add_capacity_h100e(e.capacity_h100e);
  b.add_noise_sd(e.noise_sd);
  return b.Finish();
}

fb::Offset<wire::ViewMsg> build_view(fb::FlatBufferBuilder& fbb, const View& view) {
  const auto quarter = fbb.CreateString(view.quarter.str());
  const auto viewer_id = fbb.CreateString(view.self ? view.self->id : std::string());
  fb::Offset<wire::SelfState> self;
  if (view.self) self = to_wire(fbb, *view.self);
  std::vector<fb::Offset<wire::Estimate>> others;
  others.reserve(view.others.size());
  for (const Estimate& e : view.others) others.push_back(to_wire(fbb, e));
  const auto others_vec = fbb.CreateVector(others);
  const auto indicators = to_wire(fbb, view.indicators);
  const auto events = build_events(fbb, view.events);
  wire::ViewMsgBuilder b(fbb);
  b.add_round(view.round);
  b.add_quarter(quarter);
  b.add_viewer(view.viewer);
  b.add_viewer_id(viewer_id);
  b.add_self(self);
  b.add_own_score(view.own_score);
  b.add_others(others_vec);
  b.add_indicators(indicators);
  b.add_events(events);
  return b.Finish();
}

fb::Offset<wire::RoundResult> build_round_result(fb::FlatBufferBuilder& fbb, int round, const Quarter& quarter,
                                                 std::uint64_t hash, const PublicIndicators& indicators,
                                                 std::span<const Event> events) {
  const auto q = fbb.CreateString(quarter.str());
  const auto ind = to_wire(fbb, indicators);
  const auto ev = build_events(fbb, events);
  return wire::CreateRoundResult(fbb, round, q, hash, ind, ev);
}

// --- Envelopes --------------------------------------------------------------

fb::Offset<wire::Error> build_error(fb::FlatBufferBuilder& fbb, std::uint32_t request_id, wire::ErrorCode code,
                                    std::string_view text) {
  const auto t = fbb.CreateString(text.data(), text.size());
  return wire::CreateError(fbb, request_id, code, t);
}

std::string version_mismatch_text(std::uint16_t client_version) {
  return "client speaks protocol version " + std::to_string(client_version) + " but this server speaks version " +
         std::to_string(kProtocolVersion);
}

}  // namespace leadtime::protocol
