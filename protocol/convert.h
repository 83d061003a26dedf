#pragma once

// Conversion between engine types and wire messages. The protocol only
// carries values: every order read from the wire still goes through the
// engine's validate_orders() before anything uses it.
#include <flatbuffers/flatbuffers.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/orders.h"
#include "engine/state.h"
#include "engine/views.h"
#include "protocol/framing.h"
#include "protocol/leadtime_generated.h"

namespace leadtime::protocol {

// --- Orders -----------------------------------------------------------------

// Named arguments, of an order or of an engine inject (FacilitatorCommand).
flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<wire::Arg>>> args_to_wire(
    flatbuffers::FlatBufferBuilder& fbb, const NamedArgs& args);
// Never fails, as from_wire below.
NamedArgs args_from_wire(const flatbuffers::Vector<flatbuffers::Offset<wire::Arg>>* args);

flatbuffers::Offset<wire::Order> to_wire(flatbuffers::FlatBufferBuilder& fbb, const OrderDraft& draft);
flatbuffers::Offset<wire::SubmitOrders> build_submit_orders(flatbuffers::FlatBufferBuilder& fbb,
                                                            std::span<const OrderDraft> drafts);

// Never fails: a missing action or name reads as "", and an argument whose
// kind this build does not know is passed on as text, so the engine's
// validation rejects it with a message naming the parameter. Indices of the
// result match the wire order one to one.
OrderDraft from_wire(const wire::Order& order);
std::vector<OrderDraft> drafts_from_wire(const wire::SubmitOrders& submit);

flatbuffers::Offset<wire::OrderRejection> to_wire(flatbuffers::FlatBufferBuilder& fbb, const OrderError& error);
flatbuffers::Offset<wire::OrdersAccepted> build_orders_accepted(flatbuffers::FlatBufferBuilder& fbb,
                                                                std::uint32_t accepted,
                                                                std::span<const OrderError> rejected);

// --- Views ------------------------------------------------------------------

wire::Bloc to_wire(Bloc bloc);
wire::ActorKind to_wire(ActorKind kind);
wire::Visibility to_wire(Visibility visibility);

flatbuffers::Offset<wire::PublicIndicators> to_wire(flatbuffers::FlatBufferBuilder& fbb,
                                                    const PublicIndicators& indicators);
// Actor ids by actor index, for naming an event's actors on the wire.
std::vector<std::string> actor_ids(const State& state);
// Each event with the ids of the actors it concerns (EventMsg.actors) where
// `ids` names them; without `ids`, none.
flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<wire::EventMsg>>> build_events(
    flatbuffers::FlatBufferBuilder& fbb, std::span<const Event> events, std::span<const std::string> ids = {});
flatbuffers::Offset<wire::SelfState> to_wire(flatbuffers::FlatBufferBuilder& fbb, const Actor& self);
flatbuffers::Offset<wire::Estimate> to_wire(flatbuffers::FlatBufferBuilder& fbb, const Estimate& estimate);
// A view as made by make_view(): its events are already the ones the viewer
// may see, and name their actors by the ids the view holds.
flatbuffers::Offset<wire::ViewMsg> build_view(flatbuffers::FlatBufferBuilder& fbb, const View& view);
// `events` must already be filtered for the receiver (views.h may_see());
// `ids` (actor_ids()) names each event's actors.
flatbuffers::Offset<wire::RoundResult> build_round_result(flatbuffers::FlatBufferBuilder& fbb, int round,
                                                          const Quarter& quarter, std::uint64_t hash,
                                                          const PublicIndicators& indicators,
                                                          std::span<const Event> events,
                                                          std::span<const std::string> ids = {});

// --- Envelopes --------------------------------------------------------------

flatbuffers::Offset<wire::Error> build_error(flatbuffers::FlatBufferBuilder& fbb, std::uint32_t request_id,
                                             wire::ErrorCode code, std::string_view text);
// The text of the VersionMismatch error, naming both versions.
std::string version_mismatch_text(std::uint16_t client_version);

// Finishes `fbb` with an Envelope around `message` (any wire message table)
// carrying this build's protocol version and `request_id`.
template <typename T>
void finish_envelope(flatbuffers::FlatBufferBuilder& fbb, std::uint32_t request_id, flatbuffers::Offset<T> message) {
  static_assert(wire::MessageTraits<T>::enum_value != wire::Message::NONE, "not a wire message table");
  const auto envelope =
      wire::CreateEnvelope(fbb, kProtocolVersion, request_id, wire::MessageTraits<T>::enum_value, message.Union());
  wire::FinishEnvelopeBuffer(fbb, envelope);
}

// finish_envelope() and encode_frame() in one: the bytes to send.
template <typename T>
std::vector<std::uint8_t> frame_message(flatbuffers::FlatBufferBuilder& fbb, std::uint32_t request_id,
                                        flatbuffers::Offset<T> message) {
  finish_envelope(fbb, request_id, message);
  return encode_frame(fbb);
}

}  // namespace leadtime::protocol
