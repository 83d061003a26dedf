#pragma once

// What main() hands over once the flags are read: the whole client for one
// run of `leadtime-cli connect` or `leadtime-cli actions`.
#include <optional>
#include <string>
#include <vector>

namespace leadtime::cli {

struct CliOptions {
  std::string address;  // HOST:PORT or tls://HOST:PORT
  std::string token;
  std::string token_file;
  std::string key_file;
  std::string key;  // from LEADTIME_FACILITATOR_KEY
  std::string member;
  std::string tokens_file;
  std::vector<std::string> exec;
  std::string file;
  bool json = false;
  std::string bot;
  std::string agent;
  unsigned request_timeout_s = 10;
  unsigned wait_timeout_s = 3600;
  unsigned decision_timeout_s = 60;
  bool no_reconnect = false;
  bool no_color = false;
  std::string web_url;  // the server's browser pages, for the links in handouts
  bool tls = false;     // --tls (or a tls://HOST:PORT address)
  std::string tls_ca;   // --tls-ca FILE: trust this certificate file instead of the system's store
};

int run_connect(CliOptions options);
// The action catalogue without a server: all actions, or one in full. With
// a scenario file (default scenarios/2028.lua when it is there), --json says
// which of its seats may use each action.
int run_actions(const std::string& action, bool json, const std::string& scenario = {});

}  // namespace leadtime::cli
