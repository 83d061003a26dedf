#pragma once

// CSV as spreadsheets, pandas and EMA Workbench write it (RFC 4180): comma
// separated, fields with commas, quotes or line breaks in double quotes,
// quotes doubled; a header row first. Lines may end in \n or \r\n.

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace leadtime::sweep {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;  // the file line each row starts on, for messages
};

// Every row must have the header's width; an error names the line.
std::variant<CsvTable, std::string> parse_csv(std::string_view text, const std::string& name);

// A field quoted when it must be.
std::string csv_field(std::string_view text);

std::string csv_line(const std::vector<std::string>& fields);

}  // namespace leadtime::sweep
