#include <doctest/doctest.h>

#include "engine/quarter.h"

using leadtime::Quarter;

TEST_CASE("quarter: str prints year and quarter") {
  CHECK(Quarter{2026, 3}.str() == "2026Q3");
  CHECK(Quarter{2028, 4}.str() == "2028Q4");
  CHECK(Quarter{1999, 1}.str() == "1999Q1");
}

TEST_CASE("quarter: parse accepts YYYYQn and lower-case q") {
  const auto q = Quarter::parse("2026Q3");
  REQUIRE(q.has_value());
  CHECK(q->year == 2026);
  CHECK(q->q == 3);
  CHECK(Quarter::parse("2028q1") == Quarter{2028, 1});
  CHECK(Quarter::parse("1900Q4") == Quarter{1900, 4});
  CHECK(Quarter::parse("2200Q1") == Quarter{2200, 1});
}

TEST_CASE("quarter: parse round-trips str") {
  for (int year : {1950, 2026, 2027, 2199}) {
    for (int q = 1; q <= 4; ++q) {
      const Quarter in{year, q};
      CHECK(Quarter::parse(in.str()) == in);
    }
  }
}

TEST_CASE("quarter: parse rejects bad input") {
  for (const char* bad : {"", "2026", "2026Q", "2026Q0", "2026Q5", "2026Q9", "2026X3", "26Q3", "02026Q3", "2026Q3 ",
                          " 2026Q3", "abcdQ1", "20a6Q1", "-026Q1", "+026Q1", "1899Q4", "2201Q1", "2026QQ", "2026-3"}) {
    CAPTURE(bad);
    CHECK_FALSE(Quarter::parse(bad).has_value());
  }
}

TEST_CASE("quarter: plus moves by quarters and wraps the year") {
  const Quarter start{2026, 3};
  CHECK(start.plus(0) == Quarter{2026, 3});
  CHECK(start.plus(1) == Quarter{2026, 4});
  CHECK(start.plus(2) == Quarter{2027, 1});  // wraps into the next year
  CHECK(start.plus(5) == Quarter{2027, 4});
  CHECK(start.plus(6) == Quarter{2028, 1});
  CHECK(start.plus(9) == Quarter{2028, 4});  // the default scenario's last round
  CHECK(start.plus(-1) == Quarter{2026, 2});
  CHECK(start.plus(-3) == Quarter{2025, 4});  // wraps back a year
  CHECK(start.plus(-10) == Quarter{2024, 1});
  CHECK(Quarter{2026, 4}.plus(1) == Quarter{2027, 1});
  CHECK(Quarter{2026, 1}.plus(-1) == Quarter{2025, 4});
  CHECK(Quarter{2026, 1}.plus(40) == Quarter{2036, 1});
}

TEST_CASE("quarter: plus composes") {
  const Quarter start{2026, 3};
  for (int a = -6; a <= 6; ++a) {
    for (int b = -6; b <= 6; ++b) CHECK(start.plus(a).plus(b) == start.plus(a + b));
  }
}
