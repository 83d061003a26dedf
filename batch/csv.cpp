#include "batch/csv.h"

namespace leadtime::sweep {
namespace {

// Splits the text into records of fields; quoted fields may span lines.
std::variant<std::vector<std::vector<std::string>>, std::string> split_records(std::string_view text,
                                                                               const std::string& name,
                                                                               std::vector<std::size_t>& lines) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  bool field_started = false;
  std::size_t line = 1;
  std::size_t record_line = 1;
  auto end_field = [&] {
    record.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_record = [&] {
    end_field();
    if (!(record.size() == 1 && record[0].empty())) {  // blank lines are skipped
      records.push_back(std::move(record));
      lines.push_back(record_line);
    }
    record.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && !field_started) {
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_record();
      ++line;
      record_line = line;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (quoted) return name + ":" + std::to_string(record_line) + ": a quoted field is never closed";
  if (field_started || !record.empty()) end_record();
  return records;
}

}  // namespace

std::variant<CsvTable, std::string> parse_csv(std::string_view text, const std::string& name) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte-order mark from spreadsheets
  std::vector<std::size_t> lines;
  auto split = split_records(text, name, lines);
  if (auto* error = std::get_if<std::string>(&split)) return *error;
  auto& records = std::get<std::vector<std::vector<std::string>>>(split);
  if (records.empty()) return name + ": empty file (expected a header row)";
  CsvTable table;
  table.header = std::move(records[0]);
  for (std::size_t i = 1; i < records.size(); ++i) {
    if (records[i].size() != table.header.size()) {
      return name + ":" + std::to_string(lines[i]) + ": " + std::to_string(records[i].size()) +
             " fields, the header has " + std::to_string(table.header.size());
    }
    table.rows.push_back(std::move(records[i]));
    table.lines.push_back(lines[i]);
  }
  return table;
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i == 0 ? "" : ",") + csv_field(fields[i]);
  return out + "\n";
}

}  // namespace leadtime::sweep
