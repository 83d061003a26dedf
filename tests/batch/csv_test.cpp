// CSV (batch/csv.h) as spreadsheets and pandas write it.
#include <doctest/doctest.h>

#include "batch/csv.h"

namespace sw = leadtime::sweep;

TEST_CASE("quoted fields with commas, quotes and line breaks read back as written") {
  const std::vector<std::string> fields{"plain", "a,b", "say \"hi\"", "two\nlines", ""};
  const std::string text = sw::csv_line({"h1", "h2", "h3", "h4", "h5"}) + sw::csv_line(fields);
  auto parsed = sw::parse_csv(text, "t.csv");
  REQUIRE(std::holds_alternative<sw::CsvTable>(parsed));
  const auto& table = std::get<sw::CsvTable>(parsed);
  REQUIRE(table.rows.size() == 1);
  CHECK(table.rows[0] == fields);
}

TEST_CASE("CRLF line ends, a byte-order mark and blank lines are accepted") {
  auto parsed = sw::parse_csv("\xEF\xBB\xBFseed,x\r\n1,2\r\n\r\n3,4\r\n", "t.csv");
  REQUIRE(std::holds_alternative<sw::CsvTable>(parsed));
  const auto& table = std::get<sw::CsvTable>(parsed);
  CHECK(table.header == std::vector<std::string>{"seed", "x"});
  REQUIRE(table.rows.size() == 2);
  CHECK(table.rows[1] == std::vector<std::string>{"3", "4"});
  CHECK(table.lines[1] == 4);
}

TEST_CASE("a row of the wrong width is named by its line") {
  auto parsed = sw::parse_csv("a,b\n1,2\n3\n", "t.csv");
  REQUIRE(std::holds_alternative<std::string>(parsed));
  CHECK(std::get<std::string>(parsed) == "t.csv:3: 1 fields, the header has 2");
  parsed = sw::parse_csv("a\n\"open\n", "t.csv");
  REQUIRE(std::holds_alternative<std::string>(parsed));
  CHECK(std::get<std::string>(parsed) == "t.csv:2: a quoted field is never closed");
}
