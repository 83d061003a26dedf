#include "server/web/http_rules.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <utility>

namespace leadtime::server::web {

namespace {

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
}

// Percent-decodes a path; nothing for a broken escape or a decoded byte that
// must not be in a file name here (NUL, '/', '\\').
std::optional<std::string> decoded_path(std::string_view path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '%') {
      if (i + 2 >= path.size() || !is_hex(path[i + 1]) || !is_hex(path[i + 2])) return std::nullopt;
      c = static_cast<char>(hex_value(path[i + 1]) * 16 + hex_value(path[i + 2]));
      if (c == '/' || c == '\\' || c == '\0') return std::nullopt;
      i += 2;
    } else if (c == '\\' || c == '\0') {
      return std::nullopt;
    }
    out.push_back(c);
  }
  return out;
}

std::string_view extension_of(std::string_view path) {
  const auto slash = path.rfind('/');
  const auto dot = path.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  return path.substr(dot);
}

// "name-3f9a1c2e.js": a dash, then at least eight letters and digits, then
// the extension (Vite's naming of built assets).
bool has_content_hash(std::string_view path) {
  const auto slash = path.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const auto dot = name.rfind('.');
  const auto dash = name.rfind('-', dot);
  if (dot == std::string_view::npos || dash == std::string_view::npos || dot - dash - 1 < 8) return false;
  const std::string_view hash = name.substr(dash + 1, dot - dash - 1);
  return std::all_of(hash.begin(), hash.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; });
}

}  // namespace

std::optional<std::string> file_for_target(std::string_view root, std::string_view target) {
  const auto end = target.find_first_of("?#");
  std::string_view path = target.substr(0, end);
  if (path.empty() || path.front() != '/') return std::nullopt;
  auto decoded = decoded_path(path);
  if (!decoded) return std::nullopt;
  std::string relative = decoded->substr(1);
  if (relative.empty() || relative.back() == '/') relative += "index.html";
  const std::filesystem::path p(relative);
  for (const auto& part : p) {
    if (part == ".." || part == ".") return std::nullopt;
  }
  if (p.is_absolute() || p.has_root_name()) return std::nullopt;
  return (std::filesystem::path(root) / p).string();
}

FileHeaders headers_for(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".webmanifest", "application/manifest+json"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
      {".fbs", "text/plain; charset=utf-8"},
  }};
  const std::string_view ext = extension_of(path);
  FileHeaders out{"application/octet-stream", "no-cache"};
  for (const auto& [e, type] : kTypes) {
    if (e == ext) out.content_type = type;
  }
  if (ext == ".html") {
    out.cache_control = "no-store";
  } else if (has_content_hash(path)) {
    out.cache_control = "public, max-age=31536000, immutable";
  }
  return out;
}

std::string_view content_security_policy() {
  return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
         "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
}

std::string_view report_security_policy() {
  return "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
         "base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
}

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> form_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] != '%') {
      out += text[i];
    } else {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hex_digit(text[i + 1]);
      const int lo = hex_digit(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> form_field(std::string_view body, std::string_view name) {
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
    return form_decode(pair.substr(eq + 1));
  }
  return std::nullopt;
}

bool origin_allowed(std::string_view origin, std::string_view host, bool tls, const std::vector<std::string>& allowed) {
  if (origin.empty()) return true;
  const std::string own = std::string(tls ? "https://" : "http://") + std::string(host);
  if (!host.empty() && origin == own) return true;
  return std::find(allowed.begin(), allowed.end(), origin) != allowed.end();
}

std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies) {
  if (std::find(trusted_proxies.begin(), trusted_proxies.end(), peer) == trusted_proxies.end()) {
    return std::string(peer);
  }
  std::string_view last = forwarded_for;
  if (const auto comma = forwarded_for.rfind(','); comma != std::string_view::npos) {
    last = forwarded_for.substr(comma + 1);
  }
  while (!last.empty() && last.front() == ' ') last.remove_prefix(1);
  while (!last.empty() && last.back() == ' ') last.remove_suffix(1);
  return last.empty() ? std::string(peer) : std::string(last);
}

}  // namespace leadtime::server::web
