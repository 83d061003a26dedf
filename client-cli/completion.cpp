#include "client-cli/completion.h"

#include <algorithm>

#include "client-cli/commands.h"
#include "client-cli/order_text.h"
#include "client-cli/words.h"
#include "engine/fields.h"

namespace leadtime::cli {

namespace {

std::vector<std::string> simple_words(std::string_view line) {
  auto split = split_words(line);
  if (auto* words = std::get_if<std::vector<std::string>>(&split)) return *words;
  return {};  // an open quote: the words before it still count below
}

const Actor* self_of(const CompletionContext& ctx) { return ctx.model ? ctx.model->self() : nullptr; }

std::vector<std::string> seats(const CompletionContext& ctx) {
  return ctx.model ? ctx.model->seat_ids() : std::vector<std::string>{};
}

std::vector<std::string> values_for(const ParamSpec& p, const CompletionContext& ctx) {
  switch (p.type) {
    case ParamType::Bool:
      return {"on", "off"};
    case ParamType::Market:
      return {kMarketNames.begin(), kMarketNames.end()};
    case ParamType::Bloc:
      return {kBlocNames.begin(), kBlocNames.end()};
    case ParamType::Actor: {
      std::vector<std::string> ids;
      if (ctx.model == nullptr) return ids;
      for (const Actor& a : ctx.model->actors.actors) {
        if ((p.actor_kinds & kind_bit(a.kind)) != 0) ids.push_back(a.id);
      }
      return ids;
    }
    case ParamType::Int:
    case ParamType::Real:
      break;
  }
  return {};
}

std::string hint_for(const ParamSpec& p, const CompletionContext& ctx) {
  return std::string(p.name) + ": " + param_range(p, ctx.model ? &ctx.model->actors : nullptr) + " - " +
         std::string(p.help);
}

void complete_order(const ActionSpec& action, const std::vector<std::string>& done, std::string_view word,
                    const CompletionContext& ctx, Completion& out) {
  if (const auto eq = word.find('='); eq != std::string_view::npos) {
    const std::string name(word.substr(0, eq));
    for (const ParamSpec& p : action.params) {
      if (p.name != name) continue;
      for (const std::string& v : values_for(p, ctx)) out.candidates.push_back(name + "=" + v);
      out.hint = hint_for(p, ctx);
    }
    return;
  }
  // The values so far, matched as an order matches them: the next unnamed
  // value fills the first parameter still without one.
  const auto matched = match_values(action, done);
  if (const auto* why = std::get_if<std::string>(&matched)) {
    out.hint = *why;
    return;
  }
  const TypedValues& given = std::get<TypedValues>(matched);
  const ParamSpec* next = given.next(action);
  if (next == nullptr || !given.extra.empty()) {
    out.hint = "every value is given: press Enter to add the order to the draft";
    return;
  }
  out.candidates = values_for(*next, ctx);
  // Offer parameter names only once a name is being typed; before that a
  // number's hint says more than "usd_b=".
  if (!out.candidates.empty() || !word.empty()) {
    for (std::size_t i = 0; i < action.params.size(); ++i) {
      if (!given.values[i]) out.candidates.push_back(std::string(action.params[i].name) + "=");
    }
  }
  out.hint = hint_for(*next, ctx);
}

void complete_argument(ArgKind kind, std::string_view word, const CompletionContext& ctx, Completion& out) {
  switch (kind) {
    case ArgKind::Topic:
      out.candidates = command_names();
      for (auto& a : action_names(nullptr)) out.candidates.push_back(a);
      out.candidates.push_back("actions");
      break;
    case ArgKind::Action:
      out.candidates = action_names(self_of(ctx));
      break;
    case ArgKind::Seat:
      out.candidates = seats(ctx);
      break;
    case ArgKind::Recipients: {
      // Complete the last of a comma-separated list.
      const std::size_t comma = word.rfind(',');
      const std::string before = comma == std::string_view::npos ? "" : std::string(word.substr(0, comma + 1));
      std::vector<std::string> ids = seats(ctx);
      if (before.empty()) ids.push_back("all");
      for (const auto& id : ids) out.candidates.push_back(before + id);
      out.hint = "seat ids separated by commas, or all";
      break;
    }
    case ArgKind::DraftNumber:
      if (ctx.model != nullptr) {
        for (std::size_t i = 1; i <= ctx.model->draft.size(); ++i) out.candidates.push_back(std::to_string(i));
      }
      out.hint = ctx.model && !ctx.model->draft.empty() ? "an order number from 'draft'" : "the draft is empty";
      break;
    case ArgKind::Game:
      out.candidates = ctx.games;
      out.hint = "a token, or the id of a game you created";
      break;
    case ArgKind::WaitFor:
      out.candidates = {"round", "start", "end", "press"};
      break;
    case ArgKind::CreateOption:
      if (word.starts_with("people=")) {
        out.candidates.push_back("people=all");
        for (const auto& id : seats(ctx)) out.candidates.push_back("people=" + id);
      } else {
        out.candidates = {"seed=", "deadline=", "people=", "bot=", "handouts=", "address="};
      }
      out.hint =
          "SCENARIO (a path on the server), seed=N, deadline=TIME, people=SEAT,..., bot=SEAT:PATH, handouts=DIR, "
          "address=HOST:PORT";
      break;
    case ArgKind::InboxWhich:
      out.candidates = {"all"};
      break;
    case ArgKind::Number:
      out.hint = "a number";
      break;
    case ArgKind::Text:
      out.hint = "the message text";
      break;
    case ArgKind::File:
      out.hint = "a file name";
      break;
    case ArgKind::Event:
      // The scenario's table, once the server has sent it (ScenarioInfo).
      if (ctx.model != nullptr && ctx.model->scenario) {
        for (const auto& e : ctx.model->scenario->events) out.candidates.push_back(e.id);
      }
      // Then the engine's, which take parameters.
      for (const InjectSpec& s : inject_catalogue()) out.candidates.emplace_back(s.id);
      out.hint = "a scenario event id, or an engine inject with its parameters ('events scenario' says what each does)";
      break;
    case ArgKind::EventsWhich:
      out.candidates = {"scenario"};
      out.hint = "how many recent events, or 'scenario' for the scenario's event table";
      break;
    case ArgKind::None:
      break;
  }
}

}  // namespace

std::string common_prefix(const std::vector<std::string>& candidates) {
  if (candidates.empty()) return {};
  std::string prefix = candidates.front();
  for (const auto& c : candidates) {
    std::size_t n = 0;
    while (n < prefix.size() && n < c.size() && prefix[n] == c[n]) ++n;
    prefix.resize(n);
  }
  return prefix;
}

Completion complete(std::string_view line, const CompletionContext& ctx) {
  line = last_command(line, takes_rest_of_line);
  Completion out;
  out.word = std::string(last_word(line));
  // Once a message has begun, the rest of the line is its text.
  if (const auto head = split_words_then_text(line, 1);
      const auto* words = std::get_if<std::vector<std::string>>(&head)) {
    const CommandSpec* cmd = words->empty() ? nullptr : find_command(words->front());
    if (const auto before = cmd != nullptr ? words_before_text(*cmd) : std::nullopt) {
      const auto texted = split_words_then_text(line, 1 + *before);
      const auto* parts = std::get_if<std::vector<std::string>>(&texted);
      if (parts != nullptr && parts->size() > 1 + *before) {
        out.hint = "the message text (the rest of the line, ';' included)";
        return out;
      }
    }
  }
  std::vector<std::string> done = simple_words(line.substr(0, line.size() - out.word.size()));
  if (done.empty()) {
    out.candidates = command_names();
    for (auto& a : action_names(self_of(ctx))) out.candidates.push_back(a);
  } else {
    std::string head = done.front();
    done.erase(done.begin());
    if (head == "order" && !done.empty()) {
      head = done.front();
      done.erase(done.begin());
    }
    if (const ActionSpec* action = find_action(head)) {
      complete_order(*action, done, out.word, ctx, out);
    } else if (head == "order") {
      out.candidates = action_names(self_of(ctx));
    } else if (const CommandSpec* cmd = find_command(head); cmd != nullptr && !cmd->completion.empty()) {
      const std::size_t index = std::min(done.size(), cmd->completion.size() - 1);
      // Free text swallows the rest of the line; nothing further completes.
      if (done.size() < cmd->completion.size() || cmd->completion.back() != ArgKind::Text) {
        complete_argument(cmd->completion[index], out.word, ctx, out);
      } else {
        out.hint = "the message text";
      }
    }
  }
  std::erase_if(out.candidates, [&](const std::string& c) { return !c.starts_with(out.word); });
  std::sort(out.candidates.begin(), out.candidates.end());
  out.candidates.erase(std::unique(out.candidates.begin(), out.candidates.end()), out.candidates.end());
  return out;
}

}  // namespace leadtime::cli
