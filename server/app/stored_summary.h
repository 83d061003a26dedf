#pragma once

// A finished game's last status line as the store keeps it (games.summary),
// so the facilitators' list of games still shows the game once it has left
// the server's memory, without replaying its journal.
#include <optional>
#include <string>
#include <string_view>

#include "server/app/frames.h"

namespace leadtime::server::app {

// JSON of what a finished game's list entry shows; nobody is connected to
// a game that has left memory, so attendance is not kept.
std::string stored_summary(const Summary& summary);
// Back from stored_summary's text; nothing for "" (a game finished before
// the store kept summaries) or text that is not one.
std::optional<Summary> summary_from_store(std::string_view text);

}  // namespace leadtime::server::app
