#pragma once

// One browser connection, from its first HTTP request until it closes or
// becomes a WebSocket session. One function per stream type, each compiled
// in its own file: Beast's HTTP and WebSocket code is the slowest in the
// build to compile, and this way the two halves build side by side.
#include "protocol/asio.h"

#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace leadtime::server::net {
class Server;
}

namespace leadtime::server::web {

asio::awaitable<void> serve_plain(boost::beast::tcp_stream stream, net::Server& server);
asio::awaitable<void> serve_tls(asio::ssl::stream<boost::beast::tcp_stream> stream, net::Server& server);

}  // namespace leadtime::server::web
