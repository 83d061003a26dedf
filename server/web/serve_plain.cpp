#include "server/web/connection.h"
#include "server/web/serve.h"

namespace leadtime::server::web {

asio::awaitable<void> serve_plain(boost::beast::tcp_stream stream, net::Server& server) {
  co_await connection::serve_http(std::move(stream), server, false);
}

}  // namespace leadtime::server::web
