#pragma once

// The pieces every report page is made of: escaping, number formatting and
// the page shell (one self-contained HTML file: its style sheet and its one
// small script are inline, nothing is fetched when it opens).
#include <string>
#include <string_view>
#include <vector>

namespace leadtime::report {

// Text for HTML or SVG content and attribute values: & < > " ' escaped, and
// bytes that are not valid UTF-8 (or are control characters other than tab
// and newline) replaced by U+FFFD, so player names, press and notes can
// never open a tag, end an attribute or break the page's encoding.
std::string escape(std::string_view text);

// Numbers for people: NaN and infinities read "–".
std::string fixed(double v, int decimals);
// `digits` significant digits, without an exponent for everyday magnitudes.
std::string significant(double v, int digits = 3);
// 1234567 -> "1.23M", 4200 -> "4.2k": axis ticks and compute figures.
std::string compact(double v);
std::string percent(double share, int decimals = 0);  // 0.423 -> "42%"

// A table row by row: every cell is escaped unless it was built as HTML.
struct Cell {
  std::string html;
  std::string css_class;
  static Cell text(std::string_view text, std::string css_class = {});
  static Cell raw(std::string html, std::string css_class = {});
  static Cell number(std::string text) { return Cell::text(text, "num"); }
};

struct Table {
  std::string css_class;
  std::vector<std::string> header;  // plain text
  std::vector<bool> numeric;        // per column: right-aligned
  struct Row {
    std::vector<Cell> cells;
    std::string attributes;  // e.g. data-round="3" (already escaped)
  };
  std::vector<Row> rows;
};
std::string render(const Table& table);

// A whole page: <!doctype html>, the style sheet, `body_html`, the script.
std::string page(std::string_view title, std::string_view body_html);

// The script every page carries: hovering a round anywhere (a chart, the
// timeline, a table row) highlights that round everywhere, and <html> gets
// the class "js" once it ran. Exposed for the tests.
std::string_view page_script();

}  // namespace leadtime::report
