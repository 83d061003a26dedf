#pragma once

// Reads every field of a verified envelope, as a client or the server
// would: after verify_envelope() no read may leave the buffer, whatever the
// values. Conversions the clients use (from_wire, view_from_wire) run too.
#include <bit>
#include <cstdint>
#include <string>
#include <type_traits>

#include "protocol/convert.h"
#include "protocol/leadtime_generated.h"
#include "protocol/scalar_vectors.h"
#include "protocol/view_from_wire.h"

namespace leadtime::fuzz {

class WireWalk {
 public:
  // A number that depends on every byte read, so nothing is optimised away.
  [[nodiscard]] std::uint64_t sum() const { return sum_; }

  void envelope(const wire::Envelope& env) {
    add(env.protocol_version());
    add(env.request_id());
    add(static_cast<std::uint64_t>(env.message_type()));
    switch (env.message_type()) {
      case wire::Message::Hello:
        add(env.message_as_Hello()->protocol_version());
        add(env.message_as_Hello()->client_name());
        break;
      case wire::Message::Welcome:
        add(env.message_as_Welcome()->server_version());
        add(env.message_as_Welcome()->protocol_version());
        add(env.message_as_Welcome()->idle_timeout_seconds());
        break;
      case wire::Message::Ping:
        add(env.message_as_Ping()->nonce());
        break;
      case wire::Message::Pong:
        add(env.message_as_Pong()->nonce());
        break;
      case wire::Message::Error: {
        const auto* m = env.message_as_Error();
        add(m->request_id());
        add(wire::EnumNameErrorCode(m->code()));
        add(m->text());
        break;
      }
      case wire::Message::Ack:
        add(env.message_as_Ack()->request_id());
        break;
      case wire::Message::CreateGame: {
        const auto* m = env.message_as_CreateGame();
        add(m->scenario_path());
        add(m->seed());
        add(m->deadline_seconds());
        add(m->facilitator_key());
        if (m->bots() != nullptr) {
          for (const auto* b : *m->bots()) {
            add(b->seat());
            add(b->bot_path());
          }
        }
        break;
      }
      case wire::Message::GameCreated: {
        const auto* m = env.message_as_GameCreated();
        add(m->game_id());
        add(m->facilitator_token());
        add(m->observer_token());
        if (m->seats() != nullptr) {
          for (const auto* s : *m->seats()) {
            add(s->seat());
            add(s->token());
          }
        }
        break;
      }
      case wire::Message::ListGames:
        add(env.message_as_ListGames()->facilitator_key());
        break;
      case wire::Message::GameList:
        if (const auto* games = env.message_as_GameList()->games()) {
          for (const auto* g : *games) summary(*g);
        }
        break;
      case wire::Message::Join: {
        const auto* m = env.message_as_Join();
        add(m->token());
        add(m->member_name());
        add(m->last_press_seq());
        add(static_cast<std::uint64_t>(m->last_round()));
        break;
      }
      case wire::Message::Joined: {
        const auto* m = env.message_as_Joined();
        add(m->game_id());
        add(m->seat());
        add(wire::EnumNameRole(m->role()));
        orders(m->orders());
        add(m->orders_member());
        add(m->ready());
        break;
      }
      case wire::Message::SubmitOrders:
        for (const OrderDraft& d : protocol::drafts_from_wire(*env.message_as_SubmitOrders())) draft(d);
        break;
      case wire::Message::OrdersAccepted: {
        const auto* m = env.message_as_OrdersAccepted();
        add(m->accepted());
        if (m->rejected() != nullptr) {
          for (const auto* r : *m->rejected()) {
            add(static_cast<std::uint64_t>(r->index()));
            add(r->action());
            add(r->param());
            add(r->message());
          }
        }
        break;
      }
      case wire::Message::Ready:
        add(env.message_as_Ready()->ready());
        break;
      case wire::Message::ViewMsg: {
        const View v = protocol::view_from_wire(*env.message_as_ViewMsg());
        add(static_cast<std::uint64_t>(v.round));
        add(v.others.size());
        add(v.events.size());
        break;
      }
      case wire::Message::RoundResult: {
        const auto* m = env.message_as_RoundResult();
        add(static_cast<std::uint64_t>(m->round()));
        add(m->quarter());
        add(m->hash());
        if (m->indicators() != nullptr) add(protocol::from_wire(*m->indicators()).lead_months);
        add(protocol::events_from_wire(m->events()).size());
        break;
      }
      case wire::Message::Press: {
        const auto* m = env.message_as_Press();
        if (m->to() != nullptr) {
          for (const auto* s : *m->to()) add(s);
        }
        add(m->text());
        add(m->from());
        add(m->seq());
        break;
      }
      case wire::Message::FacilitatorCommand: {
        const auto* m = env.message_as_FacilitatorCommand();
        add(wire::EnumNameCommand(m->command()));
        add(m->game_id());
        add(m->seconds());
        add(m->seat());
        add(m->event_id());
        add(m->bot_path());
        add(static_cast<std::uint64_t>(m->round()));
        break;
      }
      case wire::Message::GameSummary:
        summary(*env.message_as_GameSummary());
        break;
      case wire::Message::SaveFile: {
        const auto* m = env.message_as_SaveFile();
        add(m->game_id());
        if (m->data() != nullptr) {
          for (const std::uint8_t b : *m->data()) add(b);
        }
        break;
      }
      case wire::Message::FacilitatorView: {
        const auto* m = env.message_as_FacilitatorView();
        add(static_cast<std::uint64_t>(m->round()));
        add(m->quarter());
        if (m->actors() != nullptr) {
          for (const auto* a : *m->actors()) add(protocol::from_wire(*a).id);
        }
        if (m->indicators() != nullptr) add(protocol::from_wire(*m->indicators()).lead_months);
        add(protocol::events_from_wire(m->events()).size());
        if (m->orders() != nullptr) {
          for (const auto* s : *m->orders()) {
            add(s->seat());
            add(s->bot());
            add(s->member());
            orders(s->orders());
          }
        }
        if (m->scores() != nullptr) {
          for (const double d : protocol::scalars_of(*m->scores())) add(d);
        }
        break;
      }
      case wire::Message::GameEnded: {
        const auto* m = env.message_as_GameEnded();
        add(m->reason());
        if (m->scores() != nullptr) {
          for (const auto* s : *m->scores()) {
            add(s->seat());
            add(s->score());
          }
        }
        break;
      }
      default:
        break;
    }
  }

 private:
  void mix(std::uint64_t v) { sum_ = sum_ * 1099511628211ULL + v; }
  template <typename T>
  requires std::is_arithmetic_v<T>
  void add(T v) {
    if constexpr (std::is_floating_point_v<T>) {
      mix(std::bit_cast<std::uint64_t>(static_cast<double>(v)));
    } else {
      mix(static_cast<std::uint64_t>(v));
    }
  }
  void add(const char* s) { add(std::string(s == nullptr ? "" : s)); }
  void add(const std::string& s) {
    for (const char c : s) mix(static_cast<unsigned char>(c));
  }
  void add(const flatbuffers::String* s) {
    if (s != nullptr) add(s->str());
  }

  void draft(const OrderDraft& d) {
    add(d.action);
    for (const auto& [name, value] : d.args) {
      add(name);
      add(static_cast<std::uint64_t>(value.index()));
    }
  }

  void orders(const flatbuffers::Vector<flatbuffers::Offset<wire::Order>>* list) {
    if (list == nullptr) return;
    for (const auto* o : *list) draft(protocol::from_wire(*o));
  }

  void summary(const wire::GameSummary& g) {
    add(g.game_id());
    add(g.scenario());
    add(static_cast<std::uint64_t>(g.round()));
    add(static_cast<std::uint64_t>(g.rounds()));
    add(g.phase());
    if (g.open_seats() != nullptr) {
      for (const auto* s : *g.open_seats()) add(s);
    }
    if (g.seats() != nullptr) {
      for (const auto* s : *g.seats()) {
        add(s->seat());
        add(s->bot());
        add(s->bot_path());
        add(static_cast<std::uint64_t>(s->connected()));
        add(s->submitted());
        add(s->ready());
      }
    }
    add(g.seconds_left());
    add(g.quarter());
    add(g.seed());
  }

  std::uint64_t sum_ = 0;
};

}  // namespace leadtime::fuzz
