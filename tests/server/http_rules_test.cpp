// The web listener's rules, one by one, without a socket.
#include <doctest/doctest.h>

#include "server/web/http_rules.h"

using namespace leadtime::server::web;

TEST_CASE("http rules: a request path names a file inside the root, or nothing") {
  CHECK(file_for_target("/srv/web", "/") == "/srv/web/index.html");
  CHECK(file_for_target("/srv/web", "/seat.html?x=1#token=abc") == "/srv/web/seat.html");
  CHECK(file_for_target("/srv/web", "/assets/app-1.js") == "/srv/web/assets/app-1.js");
  CHECK(file_for_target("/srv/web", "/assets/") == "/srv/web/assets/index.html");
  CHECK(file_for_target("/srv/web", "/a%20b.html") == "/srv/web/a b.html");
  for (const char* bad : {"", "seat.html", "/../etc/passwd", "/a/../../etc/passwd", "/%2e%2e/etc/passwd",
                          "/a%2f..%2f..%2fetc", "/a%5c..", "/a\\b", "/%00", "/%zz", "/%2", "/./index.html"}) {
    CAPTURE(bad);
    CHECK_FALSE(file_for_target("/srv/web", bad).has_value());
  }
}

TEST_CASE("http rules: pages are never stored, hashed assets are kept") {
  CHECK(headers_for("/r/index.html").cache_control == "no-store");
  CHECK(headers_for("/r/index.html").content_type == "text/html; charset=utf-8");
  CHECK(headers_for("/r/assets/index-3f9a1c2e.js").cache_control == "public, max-age=31536000, immutable");
  CHECK(headers_for("/r/assets/index-B2x_9kLm.css").content_type == "text/css; charset=utf-8");
  CHECK(headers_for("/r/favicon.svg").cache_control == "no-cache");
  CHECK(headers_for("/r/app.js").cache_control == "no-cache");  // no hash: may change under the same name
  CHECK(headers_for("/r/data.bin").content_type == "application/octet-stream");
  CHECK(std::string(content_security_policy()).find("default-src 'self'") == 0);
}

TEST_CASE("http rules: the server's own origin, or an allowed one") {
  const std::vector<std::string> allowed = {"https://room.example"};
  CHECK(origin_allowed("http://127.0.0.1:8080", "127.0.0.1:8080", false, {}));
  CHECK(origin_allowed("https://game.example", "game.example", true, {}));
  CHECK_FALSE(origin_allowed("http://game.example", "game.example", true, {}));  // scheme differs
  CHECK_FALSE(origin_allowed("http://evil.example", "127.0.0.1:8080", false, {}));
  CHECK(origin_allowed("https://room.example", "127.0.0.1:8080", false, allowed));
  CHECK_FALSE(origin_allowed("https://room.example.evil", "127.0.0.1:8080", false, allowed));
  CHECK(origin_allowed("", "127.0.0.1:8080", false, {}));  // not a browser page
  CHECK_FALSE(origin_allowed("null", "", false, {}));
}

TEST_CASE("http rules: X-Forwarded-For counts only from a trusted proxy") {
  const std::vector<std::string> proxies = {"10.0.0.5"};
  CHECK(client_address("203.0.113.7", "198.51.100.1", proxies) == "203.0.113.7");
  CHECK(client_address("10.0.0.5", "198.51.100.1", proxies) == "198.51.100.1");
  // The proxy appends the address it saw; what came before is the client's word.
  CHECK(client_address("10.0.0.5", "1.2.3.4, 198.51.100.1", proxies) == "198.51.100.1");
  CHECK(client_address("10.0.0.5", "1.2.3.4,198.51.100.2 ", proxies) == "198.51.100.2");
  CHECK(client_address("10.0.0.5", "", proxies) == "10.0.0.5");
}

TEST_CASE("http rules: a form field, decoded") {
  CHECK(form_field("token=abc", "token") == "abc");
  CHECK(form_field("a=1&token=x%2By+z&b=2", "token") == "x+y z");
  CHECK(form_field("tokens=1&token=", "token") == "");
  CHECK(!form_field("a=1", "token"));
  CHECK(!form_field("token=%zz", "token"));
  CHECK(!form_field("token=ab%4", "token"));
  CHECK(form_field("token=%41%42", "token") == "AB");
}
