// The layer under the server's WebSocket streams (server/web/cork_stream.h):
// the messages of one burst leave in one write to the socket, in the order
// they were written, and a message after the burst goes straight through.
#include <doctest/doctest.h>

#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <string>
#include <vector>

#include "server/web/cork_stream.h"

namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace web = leadtime::server::web;
using TestStream = beast::test::stream;

// Accepts, sends `burst` corked and then `after` alone; counts the writes
// the burst made to the stream under the cork.
asio::awaitable<void> serve(websocket::stream<web::CorkStream<TestStream>>& ws, const std::vector<std::string>& burst,
                            const std::string& after, std::size_t& burst_writes) {
  co_await ws.async_accept(asio::use_awaitable);
  ws.binary(true);
  TestStream& socket = ws.next_layer().next_layer();
  const std::size_t before = socket.nwrite();
  ws.next_layer().cork();
  for (const std::string& message : burst) co_await ws.async_write(asio::buffer(message), asio::use_awaitable);
  co_await ws.next_layer().flush();
  burst_writes = socket.nwrite() - before;
  co_await ws.async_write(asio::buffer(after), asio::use_awaitable);
}

asio::awaitable<void> read_all(websocket::stream<TestStream&>& ws, std::size_t count, std::vector<std::string>& got) {
  co_await ws.async_handshake("localhost", "/ws", asio::use_awaitable);
  for (std::size_t i = 0; i < count; ++i) {
    beast::flat_buffer buffer;
    co_await ws.async_read(buffer, asio::use_awaitable);
    got.push_back(beast::buffers_to_string(buffer.data()));
  }
}

}  // namespace

TEST_CASE("web: a corked burst of WebSocket messages leaves in one write, in order") {
  asio::io_context io;
  TestStream server_end(io);
  TestStream client_end(io);
  server_end.connect(client_end);
  websocket::stream<web::CorkStream<TestStream>> server(std::move(server_end));
  websocket::stream<TestStream&> client(client_end);

  // Named: the coroutines hold references to them.
  const std::vector<std::string> burst = {"one", "two", "three"};
  const std::string after = "four";
  std::size_t burst_writes = 0;
  std::vector<std::string> received;
  asio::co_spawn(io, serve(server, burst, after, burst_writes), asio::detached);
  asio::co_spawn(io, read_all(client, 4, received), asio::detached);
  io.run();

  CHECK(burst_writes == 1);
  CHECK(received == std::vector<std::string>{"one", "two", "three", "four"});
}
