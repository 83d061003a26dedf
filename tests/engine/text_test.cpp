// engine/text.h: the small text helpers every layer shares. format_number
// must print exactly what the ostreams it replaced printed.
#include <doctest/doctest.h>

#include <cstdio>
#include <limits>
#include <sstream>

#include "engine/text.h"

namespace lt = leadtime;

TEST_CASE("format_fixed prints exactly what printf's %.Nf printed in the event texts it replaced") {
  const double inf = std::numeric_limits<double>::infinity();
  for (const double v : {0.0, -0.0, 0.05, 0.15, 0.25, 2.5, 3.5, 12.3456, -7.95, 1e-7, 123456789.987, 1e22, 1e300,
                         std::numeric_limits<double>::max(), inf, -inf, std::numeric_limits<double>::quiet_NaN()}) {
    for (int decimals : {0, 1, 2}) {
      CAPTURE(v);
      CAPTURE(decimals);
      char expected[400];
      std::snprintf(expected, sizeof expected, "%.*f", decimals, v);
      CHECK(lt::format_fixed(v, decimals) == expected);
    }
  }
}

TEST_CASE("format_number prints a double as an ostream does by default, in any locale") {
  for (const double v : {0.0, -0.0, 0.5, 1.0, 12.345678, 1e6, 1234567.0, 1e-5, -3.25, 0.1 + 0.2, 8e21,
                         std::numeric_limits<double>::infinity()}) {
    std::ostringstream out;
    out << v;
    CHECK(lt::format_number(v) == out.str());
  }
  CHECK(lt::format_number(0.123456789, 12) == "0.123456789");
  CHECK(lt::format_number(2.0 / 3, 3) == "0.667");
}

TEST_CASE("counts, quotes, case and lists") {
  CHECK(lt::count_noun(0, "order") == "0 orders");
  CHECK(lt::count_noun(1, "order") == "1 order");
  CHECK(lt::count_noun(2, "unread message") == "2 unread messages");
  CHECK(lt::count_noun(3, "policy", "policies") == "3 policies");
  CHECK(lt::in_quotes("tier") == "'tier'");
  CHECK(lt::upper("cn_Lab") == "CN_LAB");
  CHECK(lt::lower("ROW") == "row");
  CHECK(lt::join({"us", "cn", "eu"}, ", ") == "us, cn, eu");
  CHECK(lt::join({}, ", ").empty());
}

TEST_CASE("edit distance counts a swap of neighbours as one typo") {
  CHECK(lt::edit_distance("tier", "tier") == 0);
  CHECK(lt::edit_distance("tire", "tier") == 1);  // transposition
  CHECK(lt::edit_distance("dstill_k", "distill_k") == 1);
  CHECK(lt::edit_distance("", "abc") == 3);
  CHECK(lt::edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("on/off words: exactly on, off, true and false") {
  CHECK(lt::bool_word("on") == true);
  CHECK(lt::bool_word("true") == true);
  CHECK(lt::bool_word("off") == false);
  CHECK(lt::bool_word("false") == false);
  for (const char* word : {"ON", "True", "yes", "no", "1", "0", "", "onn"}) CHECK_FALSE(lt::bool_word(word));
}
