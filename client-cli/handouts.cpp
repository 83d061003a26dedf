#include "client-cli/handouts.h"

#include <filesystem>
#include <sstream>
#include <string_view>
#include <system_error>

#include "client-cli/render_scenario.h"
#include "files/files.h"

namespace leadtime::cli {

namespace fs = std::filesystem;

namespace {
constexpr const char* kCaFile = "server-ca.pem";
}  // namespace

std::string browser_link(const std::string& web_url, const std::string& token) {
  if (web_url.empty()) return {};
  std::string base = web_url;
  if (const auto hash = base.find('#'); hash != std::string::npos) base.resize(hash);
  if (!base.ends_with('/')) base += '/';
  return base + "#token=" + token;
}

namespace {

bool loopback_host(std::string_view host) {
  return host == "localhost" || host.starts_with("127.") || host == "[::1]" || host == "::1";
}

// HOST of "HOST:PORT" or "[V6]:PORT".
std::string host_of(const std::string& address) {
  if (address.starts_with('[')) {
    const auto close = address.find(']');
    return close == std::string::npos ? address : address.substr(0, close + 1);
  }
  const auto colon = address.rfind(':');
  return colon == std::string::npos ? address : address.substr(0, colon);
}

}  // namespace

std::string web_url_for(const std::string& web_url, const std::string& server_address) {
  const auto scheme = web_url.find("://");
  if (scheme == std::string::npos) return web_url;
  const auto host_start = scheme + 3;
  const auto host_end = web_url.find_first_of("/?#", host_start);
  const std::string authority =
      web_url.substr(host_start, host_end == std::string::npos ? std::string::npos : host_end - host_start);
  const std::string host = host_of(authority);
  const std::string wanted = host_of(server_address);
  if (!loopback_host(host) || wanted.empty() || loopback_host(wanted)) return web_url;
  return web_url.substr(0, host_start) + wanted + authority.substr(host.size()) +
         (host_end == std::string::npos ? std::string() : web_url.substr(host_end));
}

std::string handout_text(const Handouts& h, const HandoutSeat& seat) {
  std::ostringstream out;
  out << "# Leadtime: your seat is " << (seat.name.empty() ? seat.seat : seat.name + " (" + seat.seat + ")") << "\n\n"
      << "Game " << h.game_id << (h.scenario.empty() ? "" : ", scenario \"" + h.scenario + "\"") << ", server "
      << h.server_address << ".\n\n"
      << "## Joining\n\n"
      << "In a terminal, with the file " << seat.seat << ".token"
      << (h.tls_ca_pem.empty() ? std::string() : std::string(" and the server's certificate ") + kCaFile)
      << " beside you:\n\n"
      << "    leadtime-cli connect " << h.server_address << " --token-file " << seat.seat << ".token"
      << (h.tls_ca_pem.empty() ? std::string() : std::string(" --tls-ca ") + kCaFile) << "\n\n";
  if (const std::string link = browser_link(h.web_url, seat.token); !link.empty()) {
    out << "In a browser, open:\n\n    " << link << "\n\n";
  } else {
    out << "In a browser: ask the facilitator for the link, if the server serves its pages.\n\n";
  }
  out << "Your token: `" << seat.token << "`. It is a secret: whoever holds it plays your seat, so keep this page "
      << "within your team. Type `briefing`, `objectives` and `help` once joined.\n\n";
  if (!seat.objectives.empty()) {
    out << "## Your score\n\nAfter each round: " << score_formula(seat.objectives) << "\n\n"
        << objectives_lines(seat.objectives) << "\n";
  }
  if (!seat.briefing.empty()) {
    out << seat.briefing;
    if (!seat.briefing.ends_with('\n')) out << "\n";
  } else {
    out << "(The server sent no briefing; type `briefing` once joined.)\n";
  }
  return out.str();
}

std::variant<std::vector<std::string>, std::string> write_handouts(const std::string& dir, const Handouts& handouts) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return "cannot create the handout folder " + dir + ": " + ec.message();
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  std::vector<std::string> written;
  if (!handouts.tls_ca_pem.empty()) {
    const std::string ca = (fs::path(dir) / kCaFile).string();
    if (auto why = files::replace_file(ca, handouts.tls_ca_pem)) return *why;
    written.push_back(ca);
  }
  for (const HandoutSeat& seat : handouts.seats) {
    const std::string token_file = (fs::path(dir) / (seat.seat + ".token")).string();
    if (auto why = files::replace_file(token_file, seat.token + "\n")) return *why;
    written.push_back(token_file);
    const std::string page = (fs::path(dir) / (seat.seat + "-handout.md")).string();
    if (auto why = files::replace_file(page, handout_text(handouts, seat))) return *why;
    written.push_back(page);
  }
  return written;
}

}  // namespace leadtime::cli
