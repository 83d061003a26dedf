#pragma once

// The one Asio of every networked part of Leadtime (server, client, benches,
// tests): Boost's, because Boost.Beast (HTTP and WebSocket for browsers)
// needs it and one binary must not carry two event loops' worth of Asio.
// Code names it `asio::` as Asio's own documentation does.
#include <boost/asio.hpp>

namespace asio = boost::asio;
