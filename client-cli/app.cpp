#include "client-cli/app.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "client-cli/autoplay.h"
#include "client-cli/connection.h"
#include "client-cli/interactive.h"
#include "client-cli/order_text.h"
#include "client-cli/render_json.h"
#include "client-cli/script.h"
#include "client-cli/suggest.h"
#include "client-cli/terminal_sink.h"
#include "engine/lua/scenario_loader.h"
#include "files/files.h"
#include "protocol/catalogue_info.h"

namespace leadtime::cli {

namespace {

std::optional<std::string> first_line_of(const std::string& path, std::string& error) {
  auto line = files::first_line(path);
  if (!line) {
    error = "cannot read '" + path + "'";
    return std::nullopt;
  }
  if (line->empty()) {
    error = "'" + path + "' is empty; expected the secret on its first line";
    return std::nullopt;
  }
  return line;
}

std::string default_member() {
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? user : "player";
}

std::string history_path() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  const char* home = std::getenv("HOME");
  if (xdg != nullptr && *xdg != '\0') return (std::filesystem::path(xdg) / "leadtime" / "history").string();
  if (home != nullptr) return (std::filesystem::path(home) / ".local" / "share" / "leadtime" / "history").string();
  return {};
}

int usage_error(const std::string& text) {
  std::cerr << "leadtime-cli: " << text << "\n";
  return 2;
}

}  // namespace

int run_connect(CliOptions o) {
  ::signal(SIGPIPE, SIG_IGN);  // a dead agent or socket is an error value, not a signal
  std::string error;
  const auto hp = parse_host_port(o.address, error);
  if (!hp) return usage_error(error);
  if (o.token.empty() && !o.token_file.empty()) {
    auto t = first_line_of(o.token_file, error);
    if (!t) return usage_error("--token-file: " + error);
    o.token = *t;
  }
  if (o.key_file.empty() && o.key.empty() && std::filesystem::exists("saves/facilitator.key")) {
    // The server's default key file, when the client runs beside it.
    o.key_file = "saves/facilitator.key";
  }
  if (!o.key_file.empty() && o.key.empty()) {
    auto k = first_line_of(o.key_file, error);
    if (!k) return usage_error("--key-file: " + error);
    o.key = *k;
  }
  const bool scripted = !o.exec.empty() || !o.file.empty();
  const bool autoplaying = !o.bot.empty() || !o.agent.empty();
  const bool interactive = !scripted && !autoplaying && ::isatty(STDIN_FILENO) != 0;
  if (autoplaying && o.token.empty()) {
    return usage_error(std::string(o.bot.empty() ? "--agent" : "--bot") +
                       " plays a seat: give the seat's token (--token, --token-file or LEADTIME_TOKEN)");
  }

  ConnectionOptions copts;
  copts.host = hp->host;
  copts.port = hp->port;
  copts.client_name = "leadtime-cli 0.1";
  copts.reconnect = !o.no_reconnect;
  copts.tls.enabled = o.tls || !o.tls_ca.empty() || hp->tls;
  copts.tls.ca_file = o.tls_ca;
  Connection connection(copts);
  if (!connection.setup_error().empty()) return usage_error(connection.setup_error());
  SinkStyle style;
  style.json = o.json;
  style.errors_to_stderr = !interactive;
  style.color = interactive && !o.no_color && std::getenv("NO_COLOR") == nullptr && ::isatty(STDOUT_FILENO) != 0;
  TerminalSink sink(style);
  SessionOptions sopts;
  sopts.token = o.token;
  sopts.member = o.member.empty() ? default_member() : o.member;
  sopts.facilitator_key = o.key;
  sopts.tokens_file = o.tokens_file;
  sopts.web_url = o.web_url;
  sopts.request_timeout = std::chrono::seconds(o.request_timeout_s);
  sopts.wait_timeout = std::chrono::seconds(o.wait_timeout_s);
  sopts.tls = copts.tls;
  if (autoplaying) sopts.driver = o.bot.empty() ? Driver::Agent : Driver::Bot;
  Session session(connection, sopts, sink);
  connection.start();
  if (!session.open()) {
    connection.stop();
    return 1;
  }
  int rc = 0;
  if (autoplaying) {
    if (session.model().role != Role::Seat) {
      sink.emit(Output::error_text("that token is not a seat's (it is the " +
                                   std::string(role_name(session.model().role)) + "'s); a bot or agent plays a seat"));
      rc = 1;
    } else {
      AutoplayOptions aopts;
      aopts.decision_timeout = std::chrono::seconds(o.decision_timeout_s);
      std::unique_ptr<Decider> decider;
      if (!o.bot.empty()) {
        decider = std::make_unique<LuaDecider>(o.bot);
      } else {
        decider = std::make_unique<AgentDecider>(o.agent);
      }
      rc = autoplay(session, *decider, sink, aopts);
    }
  } else if (scripted) {
    std::vector<ScriptLine> lines = script_from_exec(o.exec);
    if (!o.file.empty()) {
      auto from_file = script_from_file(o.file);
      if (auto* why = std::get_if<std::string>(&from_file)) {
        sink.emit(Output::error_text(*why));
        connection.stop();
        return 1;
      }
      auto& more = std::get<std::vector<ScriptLine>>(from_file);
      lines.insert(lines.end(), more.begin(), more.end());
    }
    rc = run_script(session, sink, lines);
  } else if (interactive) {
    rc = run_interactive(session, sink, history_path());
  } else {
    auto from_stdin = script_from_file("-");
    rc = run_script(session, sink, std::get<std::vector<ScriptLine>>(from_stdin));
  }
  connection.stop();
  return rc;
}

int run_actions(const std::string& action, bool json, const std::string& scenario) {
  // The seats of a scenario, for who may use each action.
  std::optional<Scenario> seats;
  const std::string path = !scenario.empty()                               ? scenario
                           : std::filesystem::exists("scenarios/2028.lua") ? "scenarios/2028.lua"
                                                                           : "";
  if (!path.empty()) {
    auto loaded = load_scenario_file(path);
    if (!loaded.scenario) {
      std::cerr << "leadtime-cli: --scenario " << path << ": " << loaded.error << "\n";
      return 1;
    }
    seats = std::move(*loaded.scenario);
  }
  const auto details = protocol::describe_catalogue(seats ? &seats->initial : nullptr);
  if (action.empty()) {
    if (json) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& a : details) list.push_back(catalogue_json(a));
      nlohmann::json body = {{"actions", list}};
      if (seats) body["scenario"] = path;
      std::cout << typed("actions", body).dump() << "\n";
    } else {
      std::cout << actions_overview(nullptr) << "\n";
    }
    return 0;
  }
  const ActionSpec* spec = find_action(action);
  if (spec == nullptr) {
    std::cerr << "leadtime-cli: " << unknown_action(action, nullptr) << "\n";
    return 1;
  }
  if (json) {
    const auto index = static_cast<std::size_t>(action_index(spec->name));
    std::cout << typed("action", catalogue_json(details[index])).dump() << "\n";
  } else {
    std::cout << action_help(*spec, nullptr, nullptr) << "\n";
  }
  return 0;
}

}  // namespace leadtime::cli
