#include "bench/load/pacing.h"

namespace leadtime::bench {

ThinkTime::ThinkTime(std::chrono::milliseconds mean, std::uint64_t seed) : mean_(mean), rng_(seed) {}

asio::awaitable<void> ThinkTime::pause() {
  if (mean_.count() == 0) co_return;
  std::uniform_int_distribution<std::int64_t> spread(0, 2 * mean_.count());
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(std::chrono::microseconds(spread(rng_)));
  co_await timer.async_wait(asio::use_awaitable);
}

}  // namespace leadtime::bench
