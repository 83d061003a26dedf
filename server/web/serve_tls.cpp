#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "server/web/connection.h"
#include "server/web/serve.h"

namespace leadtime::server::web {

asio::awaitable<void> serve_tls(asio::ssl::stream<boost::beast::tcp_stream> stream, net::Server& server) {
  co_await connection::serve_http(std::move(stream), server, true);
}

}  // namespace leadtime::server::web
