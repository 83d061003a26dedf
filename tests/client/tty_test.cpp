// The interactive client in a real terminal: tmux runs it on a private
// server (-L, -f /dev/null) and the test types into it and reads the screen.
#include <doctest/doctest.h>
#include <unistd.h>

#include <sstream>

#include "tests/client/e2e_helpers.h"

using namespace leadtime::test;
using std::chrono::seconds;

namespace {

class Tmux {
 public:
  explicit Tmux(const TempDir& dir) : dir_(dir), socket_("leadtime-cli-test-" + std::to_string(::getpid())) {}
  ~Tmux() { tmux({"kill-server"}); }

  void start(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
    std::string command = "env";
    for (const auto& [k, v] : env) command += " " + k + "='" + v + "'";
    for (const auto& a : argv) command += " '" + a + "'";
    const Finished f = tmux({"new-session", "-d", "-s", "main", "-x", "110", "-y", "40", command});
    REQUIRE_MESSAGE(f.exit_code == 0, f.err);
  }
  void keys(const std::vector<std::string>& keys) {
    std::vector<std::string> args = {"send-keys", "-t", "main"};
    args.insert(args.end(), keys.begin(), keys.end());
    tmux(args);
  }
  void type(const std::string& text) { tmux({"send-keys", "-t", "main", "-l", text}); }
  std::string screen() { return tmux({"capture-pane", "-p", "-t", "main"}).out; }
  // Waits (bounded) until the screen shows `text`.
  bool shows(const std::string& text) {
    return eventually([&] { return screen().find(text) != std::string::npos; }, seconds(30));
  }
  // The last line of the screen that is not blank.
  std::string last_line() {
    std::istringstream in(screen());
    std::string line;
    std::string last;
    while (std::getline(in, line)) {
      if (line.find_first_not_of(' ') != std::string::npos) last = line;
    }
    return last;
  }

 private:
  Finished tmux(std::vector<std::string> args) {
    std::vector<std::string> argv = {"tmux", "-u", "-L", socket_, "-f", "/dev/null"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, dir_, seconds(30));
  }

  const TempDir& dir_;
  std::string socket_;
};

}  // namespace

TEST_CASE("cli tty: complete an order, see an error, submit, and get press while typing without garbling the line") {
  TempDir dir;
  ServerProcess server(dir);
  const NewGame game = create_game(server, dir, "people=us,cn deadline=10m seed=11");
  Tmux tmux(dir);
  auto env = client_env(dir);
  env["LC_ALL"] = "C.UTF-8";
  env["TERM"] = "xterm";
  tmux.start(cli(server, {"--token", game.seats.at("us")}), env);
  INFO("screen:\n" << tmux.screen());
  REQUIRE(tmux.shows("Joined game " + game.game_id + " as us"));
  REQUIRE(tmux.shows("us r1"));

  // Tab completes the action, then lists the destinations.
  tmux.type("set_export_t");
  tmux.keys({"Tab"});
  REQUIRE(eventually([&] { return tmux.last_line().ends_with("> set_export_tier"); }, seconds(30)));
  tmux.keys({"Tab"});
  REQUIRE(tmux.shows("SEA"));
  // A tier out of range: the engine's sentence, next to the order.
  tmux.type("CN 9");
  tmux.keys({"Enter"});
  REQUIRE(tmux.shows("parameter 'tier' is 9, allowed an integer from 0 to 3"));
  tmux.type("set_export_tier CN 1");
  tmux.keys({"Enter"});
  REQUIRE(tmux.shows("Added #1: set_export_tier target=CN tier=1"));
  tmux.type("submit");
  tmux.keys({"Enter"});
  REQUIRE(tmux.shows("Submitted: 1 accepted"));

  // Half a line typed when press arrives: the message shows above it and
  // the line is still there, ready to finish.
  tmux.type("say hel");
  REQUIRE(eventually([&] { return tmux.last_line().ends_with("say hel"); }, seconds(30)));
  const Finished f = run(cli(server, {"--token", game.seats.at("cn"), "--exec", "send us psst, a word?"}), dir,
                         seconds(60), client_env(dir));
  REQUIRE_MESSAGE(f.exit_code == 0, f.err);
  REQUIRE(tmux.shows("cn → you: psst, a word?"));
  CHECK(tmux.last_line().ends_with("say hel"));
  tmux.type("lo all");
  tmux.keys({"Enter"});
  REQUIRE(tmux.shows("Sent to everyone."));
  CHECK(tmux.screen().find("you → everyone: hello all") != std::string::npos);
  // Mistyped commands get a suggestion.
  tmux.type("stauts");
  tmux.keys({"Enter"});
  CHECK(tmux.shows("unknown command 'stauts'; did you mean status?"));
}
