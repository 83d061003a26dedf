#pragma once

// The web listener's decisions, apart from any socket so they can be tested
// one by one: which file a request path names (never one outside the web
// root), how it is served (type, caching, security headers), whether a
// WebSocket upgrade comes from an origin the server trusts, and which
// address a request really comes from behind a reverse proxy.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadtime::server::web {

// The file under `root` that the request target names ("/" is index.html;
// a query or fragment is ignored), or nothing when the target is not a
// plain path inside the root: "..", a backslash, a NUL, an encoded slash.
std::optional<std::string> file_for_target(std::string_view root, std::string_view target);

struct FileHeaders {
  std::string content_type;
  std::string cache_control;
};
// Built assets whose names carry a content hash ("assets/app-3f9a1c2e.js")
// never change, so browsers may keep them; the pages themselves (which a
// join link's token opens) are never stored.
FileHeaders headers_for(std::string_view path);

// Sent with every response: scripts, styles, images and connections from the
// server itself only, no framing by other sites, no referrer.
std::string_view content_security_policy();

// The report page is a self-contained file (its own inline style and
// script, charts as inline SVG), so it gets a policy of its own: nothing
// from anywhere, not even the server, beyond what it carries.
std::string_view report_security_policy();

// The value of `name` in an application/x-www-form-urlencoded body, decoded
// ('+' is a space, %XX a byte); nothing when absent or badly encoded.
std::optional<std::string> form_field(std::string_view body, std::string_view name);

// A browser's WebSocket upgrade is taken only from the server's own origin
// (the scheme and the Host it was reached at) or one given with
// --allowed-origin. A request without Origin is not from a browser page (a
// program carries no ambient credentials to abuse) and is taken.
bool origin_allowed(std::string_view origin, std::string_view host, bool tls, const std::vector<std::string>& allowed);

// The client's address: the connection's own, or, when the connection comes
// from a trusted proxy, the last address that proxy appended to
// X-Forwarded-For (earlier entries are the client's word, not the proxy's).
std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies);

}  // namespace leadtime::server::web
