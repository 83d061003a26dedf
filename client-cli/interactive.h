#pragma once

// The interactive client: libedit for line editing, history and tab
// completion; events from the server are shown above the line being typed
// (the line is cleared, the messages printed, the line drawn again) so they
// never garble it.
#include <string>

#include "client-cli/session.h"
#include "client-cli/terminal_sink.h"

namespace leadtime::cli {

// Runs until 'quit', Ctrl-D or SIGTERM; returns the exit code.
int run_interactive(Session& session, TerminalSink& sink, const std::string& history_file);

}  // namespace leadtime::cli
