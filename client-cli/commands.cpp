#include "client-cli/commands.h"

#include <algorithm>
#include <sstream>

namespace leadtime::cli {

namespace {

std::vector<CommandSpec> build() {
  using A = ArgKind;
  std::vector<CommandSpec> c;
  // --- Everyone.
  c.push_back({"help",
               "[COMMAND|ACTION|actions]",
               "this list; 'help ACTION' for an action's parameters",
               Needs::Nothing,
               {A::Topic},
               {},
               "General"});
  c.push_back({"status",
               "",
               "the status screen: round, deadline, your state, indicators with history, events, press",
               Needs::Game,
               {},
               {},
               "General"});
  c.push_back({"events",
               "[N|scenario]",
               "the last N events you have seen (default 20); 'scenario': the scenario's event table",
               Needs::Game,
               {A::EventsWhich},
               "'events scenario' lists every event the scenario may fire (those you may see), with\n"
               "when it may fire, what it changes and who sees it; the facilitator injects them by id.",
               "General"});
  c.push_back({"briefing",
               "[SEAT]",
               "your seat's briefing: role, starting situation, actions, scoring, what you see",
               Needs::Game,
               {A::Seat},
               "The facilitator gives a SEAT to read that seat's briefing.",
               "General"});
  c.push_back({"objectives",
               "[SEAT]",
               "what your score rewards: each objective's weight and meaning, and your score now",
               Needs::Game,
               {A::Seat},
               "Your score after each round is the sum of weight x metric over your objectives;\n"
               "'status' shows it too. The facilitator gives a SEAT, or none for every seat.",
               "General"});
  c.push_back({"wait",
               "round [N]|start|end|press [SECONDS]",
               "wait until round N (default: the next) has resolved, the game starts or ends, or press arrives",
               Needs::Game,
               {A::WaitFor, A::Number},
               "Scripts use it between rounds: 'submit; ready; wait round'. Gives up after SECONDS\n"
               "(default --wait-timeout); Ctrl-C stops waiting.",
               "General"});
  c.push_back({"join",
               "TOKEN|GAME",
               "join a game with a token, or a game you created by its id",
               Needs::Nothing,
               {A::Game},
               {},
               "General"});
  c.push_back({"quit",
               "",
               "leave the client (the seat stays yours; reconnect with the same token)",
               Needs::Nothing,
               {},
               {},
               "General"});
  // --- Seats.
  c.push_back({"actions", "", "the actions your seat may order", Needs::Nothing, {}, {}, "Orders"});
  c.push_back({"order",
               "ACTION [VALUE|PARAM=VALUE ...]",
               "add an order to the draft (typing the action alone does the same)",
               Needs::Seat,
               {A::Action},
               "Values go in the order 'help ACTION' lists, or by name in any order:\n"
               "  set_export_tier CN 1      set_export_tier tier=1 target=CN\n"
               "An order for the same action and target replaces the earlier one.",
               "Orders"});
  c.push_back({"draft", "", "show the draft, with the server's verdict on each order", Needs::Seat, {}, {}, "Orders"});
  c.push_back({"edit",
               "N [VALUE|PARAM=VALUE ...]",
               "change order N of the draft",
               Needs::Seat,
               {A::DraftNumber},
               {},
               "Orders"});
  c.push_back({"remove", "N [N ...]", "drop orders from the draft", Needs::Seat, {A::DraftNumber}, {}, "Orders"});
  c.push_back({"clear", "", "empty the draft (submit to withdraw orders already sent)", Needs::Seat, {}, {}, "Orders"});
  c.push_back({"submit",
               "",
               "send the whole draft; the server's verdict shows next to each order",
               Needs::Seat,
               {},
               "Every submit replaces the orders sent before for this round. An order the server\n"
               "rejects is marked in 'draft' with the reason; the others stand.",
               "Orders"});
  c.push_back(
      {"ready", "", "say you are done with this round (submits a changed draft first)", Needs::Seat, {}, {}, "Orders"});
  c.push_back({"unready", "", "take back 'ready'", Needs::Seat, {}, {}, "Orders"});
  // --- Press.
  c.push_back({"send",
               "TO[,TO...] TEXT",
               "send a message to one or several seats ('all' for public press)",
               Needs::Game,
               {A::Recipients, A::Text},
               {},
               "Press"});
  c.push_back({"say", "TEXT", "public press: a message to everyone", Needs::Game, {A::Text}, {}, "Press"});
  c.push_back(
      {"inbox", "[all]", "unread messages (all of them with 'all')", Needs::Game, {A::InboxWhich}, {}, "Press"});
  // --- Facilitator.
  c.push_back({"create",
               "[SCENARIO] [seed=N] [deadline=TIME] [people=SEAT,...|all] [bot=SEAT:PATH ...] [handouts=DIR] "
               "[address=HOST:PORT]",
               "create a game (needs the server's facilitator key) and run it",
               Needs::Key,
               {A::CreateOption},
               "Seats are played by the scenario's bots unless named in people= (people=all: every\n"
               "seat). bot=SEAT:PATH gives a seat another bot. TIME: 300, 90s, 5m, 1h; 0 = none.\n"
               "The tokens are saved where only you can read them (see 'tokens'). For each person\n"
               "seat a token file (SEAT.token) and a printable handout (SEAT-handout.md: briefing,\n"
               "objectives, the join command and the browser link) go to handouts=DIR (default: a\n"
               "folder per game beside the saved tokens); address=HOST:PORT is the server address\n"
               "the handouts give (default: the one you connected to).",
               "Facilitator"});
  c.push_back(
      {"games", "", "every game on the server, its seats and your saved tokens", Needs::Key, {}, {}, "Facilitator"});
  c.push_back({"seats",
               "",
               "this game's seats: who plays them, online, orders, ready, tokens",
               Needs::Game,
               {},
               {},
               "Facilitator"});
  c.push_back(
      {"tokens", "[GAME]", "the tokens saved when you created a game", Needs::Nothing, {A::Game}, {}, "Facilitator"});
  c.push_back({"orders",
               "[SEAT]",
               "each seat's orders: the last round's (bots' included) and this round's so far",
               Needs::Facilitator,
               {A::Seat},
               {},
               "Facilitator"});
  c.push_back({"seat",
               "SEAT",
               "one seat in full: who plays it, its state, policies in force, orders, score",
               Needs::Facilitator,
               {A::Seat},
               {},
               "Facilitator"});
  c.push_back({"start", "", "open round 1", Needs::Facilitator, {}, {}, "Facilitator"});
  c.push_back({"pause", "", "stop the clock", Needs::Facilitator, {}, {}, "Facilitator"});
  c.push_back({"resume", "", "restart the clock", Needs::Facilitator, {}, {}, "Facilitator"});
  c.push_back({"extend",
               "TIME",
               "add time to this round's deadline (90, 90s, 5m)",
               Needs::Facilitator,
               {A::Number},
               {},
               "Facilitator"});
  c.push_back(
      {"shorten", "TIME", "take time off this round's deadline", Needs::Facilitator, {A::Number}, {}, "Facilitator"});
  c.push_back(
      {"force", "", "resolve the round now with the orders in hand", Needs::Facilitator, {}, {}, "Facilitator"});
  c.push_back({"inject",
               "EVENT",
               "fire a scenario event at the next resolution ('events scenario' lists them)",
               Needs::Facilitator,
               {A::Event},
               "Tab completes the scenario's event ids; 'inject' alone lists them.",
               "Facilitator"});
  c.push_back({"bot",
               "SEAT [PATH]",
               "hand a seat to a bot (PATH: the scenario's default bot)",
               Needs::Facilitator,
               {A::Seat, A::File},
               {},
               "Facilitator"});
  c.push_back({"person", "SEAT", "give a seat back to its players", Needs::Facilitator, {A::Seat}, {}, "Facilitator"});
  c.push_back({"kick", "SEAT", "disconnect whoever holds a seat", Needs::Facilitator, {A::Seat}, {}, "Facilitator"});
  c.push_back({"end", "", "finish the game now", Needs::Facilitator, {}, {}, "Facilitator"});
  c.push_back({"export",
               "FILE",
               "save the whole game to FILE (the save-file format)",
               Needs::Facilitator,
               {A::File},
               {},
               "Facilitator"});
  c.push_back({"branch",
               "ROUND",
               "fork the game after ROUND into a new game",
               Needs::Facilitator,
               {A::Number},
               {},
               "Facilitator"});
  c.push_back({"report",
               "-o FILE [--parent SAVE|GAME]",
               "write this game's after-action report: one HTML page of charts, events and orders",
               Needs::Facilitator,
               {A::File},
               "The page needs no network to open (docs/reports.md). For a branch, its parent is drawn\n"
               "on the same charts: --parent names it (a save file, or a game whose token was saved here).",
               "Facilitator"});
  c.push_back({"rollback",
               "",
               "undo the last resolved round; its orders become editable",
               Needs::Facilitator,
               {},
               {},
               "Facilitator"});
  return c;
}

}  // namespace

std::span<const CommandSpec> commands() {
  static const std::vector<CommandSpec> kCommands = build();
  return kCommands;
}

const CommandSpec* find_command(std::string_view name) {
  if (name == "exit") name = "quit";
  if (name == "rm") name = "remove";
  if (name == "?") name = "help";
  for (const CommandSpec& c : commands()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::optional<std::size_t> words_before_text(const CommandSpec& command) {
  if (command.completion.empty() || command.completion.back() != ArgKind::Text) return std::nullopt;
  return command.completion.size() - 1;
}

bool takes_rest_of_line(std::string_view name) {
  const CommandSpec* command = find_command(name);
  return command != nullptr && words_before_text(*command).has_value();
}

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const CommandSpec& c : commands()) names.emplace_back(c.name);
  return names;
}

std::string commands_overview(bool facilitator_too) {
  std::ostringstream out;
  std::string_view group;
  for (const CommandSpec& c : commands()) {
    if (!facilitator_too && c.group == "Facilitator") continue;
    if (c.group != group) {
      group = c.group;
      out << (out.tellp() > 0 ? "\n" : "") << group << ":\n";
    }
    std::string head = std::string(c.name) + (c.args.empty() ? "" : " " + std::string(c.args));
    if (head.size() < 30) head.resize(30, ' ');
    out << "  " << head << "  " << c.summary << "\n";
  }
  out << "\nAny action is a command too: type its name and values (e.g. 'set_export_tier CN 1');\n"
         "'actions' lists yours, 'help ACTION' shows its parameters. Tab completes.";
  return out.str();
}

std::string command_help(const CommandSpec& c) {
  std::string out =
      std::string(c.name) + (c.args.empty() ? "" : " " + std::string(c.args)) + "\n  " + std::string(c.summary);
  if (!c.details.empty()) {
    std::string details(c.details);
    std::string indented = "  ";
    for (char ch : details) {
      indented += ch;
      if (ch == '\n') indented += "  ";
    }
    out += "\n" + indented;
  }
  return out;
}

}  // namespace leadtime::cli
