#pragma once

// The two ends of every request a transport handles: a verified wire
// message decoded into the game service's request, and the service's result
// encoded into the reply frame. Shared by every transport, so TCP and
// WebSocket clients get byte-identical answers.
#include <cstdint>

#include "protocol/leadtime_generated.h"
#include "server/app/service.h"

namespace leadtime::server::net {

using app::Frame;

app::CreateGame decode(const wire::CreateGame& msg);
app::ListGames decode(const wire::ListGames& msg);
app::Join decode(std::uint32_t request_id, const wire::Join& msg);
app::Press decode(const wire::Press& msg);
app::Command decode(const wire::FacilitatorCommand& msg);
app::ScenarioQuestion decode(const wire::CatalogueRequest& msg);
app::ScenarioQuestion decode(const wire::ScenarioInfoRequest& msg);

Frame encode(std::uint32_t request_id, const app::Failure& failure);
Frame encode(std::uint32_t request_id, const app::GameCreated& created);
Frame encode(std::uint32_t request_id, const app::GameList& list);
Frame encode(std::uint32_t request_id, const app::OrdersTaken& taken);
Frame encode(std::uint32_t request_id, const app::Done& done);
Frame encode(std::uint32_t request_id, const app::SaveFile& file);
Frame encode(std::uint32_t request_id, const app::ScenarioOf& scenario);
Frame encode(std::uint32_t request_id, const app::CatalogueOf& catalogue);

}  // namespace leadtime::server::net
