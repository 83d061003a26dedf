#pragma once

// The client's own commands in one table: their names, arguments, help and
// what their arguments complete to. Help, completion and dispatch all read
// it. Orders are not here: any action name from the engine's catalogue is a
// command of its own (see order_text.h).
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace leadtime::cli {

// Who may use a command; the session says so when someone else tries.
enum class Needs { Nothing, Game, Seat, Facilitator, Key };

// What an argument position completes to.
enum class ArgKind {
  None,
  Topic,         // a command or action name, or "actions"
  Action,        // an action name
  Seat,          // a seat id
  Recipients,    // seat ids separated by commas, or "all"
  DraftNumber,   // 1..size of the draft
  Game,          // a game id from the saved tokens
  WaitFor,       // round, start, end, press
  CreateOption,  // scenario path or seed=, deadline=, people=, bot=
  Event,         // a scenario event id (from ScenarioInfo once received)
  EventsWhich,   // a number, or "scenario"
  Text,          // free text
  File,          // a file name
  Number,        // a number
  InboxWhich,    // "all"
};

struct CommandSpec {
  std::string_view name;
  std::string_view args;     // "SEAT [PATH]"
  std::string_view summary;  // one line
  Needs needs;
  std::vector<ArgKind> completion;  // per argument; the last one repeats
  std::string_view details = {};    // more lines for `help COMMAND`
  std::string_view group = {};      // section in `help`
};

std::span<const CommandSpec> commands();
const CommandSpec* find_command(std::string_view name);
// A command whose last argument is free text (a message: `send`, `say`)
// takes the rest of the line as typed, ';' included: the number of words
// before the text. nullopt for every other command.
std::optional<std::size_t> words_before_text(const CommandSpec& command);
// Whether the command named `name` takes the rest of the line (words.h).
bool takes_rest_of_line(std::string_view name);
std::vector<std::string> command_names();
// Every command in its section, one line each.
std::string commands_overview(bool facilitator_too);
std::string command_help(const CommandSpec& command);

}  // namespace leadtime::cli
