// leadtime-cli: the terminal client. Flags only; the client lives in
// client-cli/app.cpp and the library around it.
#include <CLI/CLI.hpp>

#include "client-cli/app.h"
#include "client-cli/report_command.h"

int main(int argc, char** argv) {
  CLI::App app{
      "Leadtime terminal client: play a seat, run the room, script it, or plug in an agent.\n"
      "User guide: client-cli/README.md"};
  app.require_subcommand(1);
  leadtime::cli::CliOptions o;

  CLI::App* connect =
      app.add_subcommand("connect", "connect to a server and join a game (interactive unless told otherwise)");
  connect
      ->add_option("address", o.address,
                   "HOST:PORT of the server, e.g. 127.0.0.1:7700; tls://HOST:PORT for a server with TLS")
      ->required();
  connect->add_flag("--tls", o.tls,
                    "connect over TLS, checking the server's certificate against the system's trusted ones and its "
                    "name against HOST");
  connect->add_option("--tls-ca", o.tls_ca,
                      "trust this PEM certificate (or CA bundle) instead, e.g. the server's own self-signed one "
                      "(implies --tls)");
  auto* token = connect->add_option("--token", o.token, "the seat's, observer's or facilitator's token")
                    ->envname("LEADTIME_TOKEN");
  connect
      ->add_option("--token-file", o.token_file,
                   "read the token from this file's first line (keeps it out of shell history)")
      ->excludes(token);
  connect->add_option("--key-file", o.key_file,
                      "the server's facilitator key, for create and games (default: saves/facilitator.key if present)");
  connect->add_option("--key", o.key, "the facilitator key itself (prefer --key-file)")
      ->envname("LEADTIME_FACILITATOR_KEY");
  connect->add_option("--name", o.member, "who is at the keyboard, for the server's log (default: $USER)");
  connect->add_option("--tokens-file", o.tokens_file,
                      "where created games' tokens are saved (default: $XDG_DATA_HOME/leadtime/tokens.json)");
  // One value per --exec (repeatable), so the address may come after it.
  auto* exec =
      connect->add_option("--exec", o.exec, "run these commands ('cmd; cmd') and exit; non-zero on the first error")
          ->allow_extra_args(false);
  auto* file = connect->add_option("--file", o.file, "run the commands in this file ('-' for stdin) and exit");
  connect->add_flag("--json", o.json, "print every reply, push and view as one JSON object per line");
  auto* bot = connect->add_option("--bot", o.bot, "play the seat with this Lua bot, run here in the server's sandbox");
  auto* agent = connect->add_option("--agent", o.agent,
                                    "play the seat through this program: a JSON view line in, a JSON orders line out");
  connect->add_option("--timeout", o.request_timeout_s, "seconds to wait for an answer to a request")
      ->check(CLI::Range(1u, 3600u));
  connect->add_option("--wait-timeout", o.wait_timeout_s, "seconds a 'wait' command waits at most")
      ->check(CLI::Range(1u, 1000000u));
  connect
      ->add_option("--decision-timeout", o.decision_timeout_s,
                   "seconds a bot or agent may take for a round (less when the deadline is nearer)")
      ->check(CLI::Range(1u, 86400u));
  connect->add_flag("--no-reconnect", o.no_reconnect, "exit when the connection is lost instead of reconnecting");
  connect->add_flag("--no-color", o.no_color, "no colours (also: the NO_COLOR variable)");
  connect->add_option("--web-url", o.web_url,
                      "the server's browser pages (http://HOST:PORT/), for the links in the handouts 'create' writes");
  bot->excludes(agent);
  bot->excludes(exec);
  bot->excludes(file);
  agent->excludes(exec);
  agent->excludes(file);

  std::string action;
  bool actions_json = false;
  CLI::App* actions = app.add_subcommand("actions", "the action catalogue, without a server");
  actions->add_option("action", action, "show one action in full");
  actions->add_flag("--json", actions_json, "as JSON");
  std::string actions_scenario;
  actions->add_option("--scenario", actions_scenario,
                      "the scenario whose seats --json names (default: scenarios/2028.lua when it is there)");

  leadtime::cli::ReportOptions report_options;
  CLI::App* report = app.add_subcommand("report", "write a game's after-action report as one HTML page");
  leadtime::cli::add_report_flags(*report, report_options);

  CLI11_PARSE(app, argc, argv);
  if (*actions) return leadtime::cli::run_actions(action, actions_json, actions_scenario);
  if (*report) return leadtime::cli::run_report(std::move(report_options));
  return leadtime::cli::run_connect(std::move(o));
}
