#include "engine/lua/scenario_sources.h"

#include <array>
#include <lua.hpp>

#include "engine/coefficients.h"
#include "engine/lua/scenario_read.h"

namespace leadtime {
namespace {

using namespace scenario_detail;

CoefficientSource read_source(lua_State* L, int table, const CoefficientField& f) {
  static constexpr std::array<std::string_view, 3> kKeys = {"min", "max", "source"};
  const std::string path(f.name);
  check_keys(L, table, path, any_of_names(kKeys));
  CoefficientSource s;
  s.name = f.name;
  s.min = required_number(L, table, path, "min", number_range(f.min, f.max));
  s.max = required_number(L, table, path, "max", number_range(f.min, f.max));
  if (s.min > s.max) fail(path, "min " + format_number(s.min) + " is above max " + format_number(s.max));
  s.source = required_string(L, table, path, "source", "the figure or reference the range comes from");
  if (s.source.empty()) fail(field_path(path, "source"), "expected the figure or reference the range comes from");
  return s;
}

}  // namespace

std::variant<std::vector<CoefficientSource>, std::string> load_coefficient_sources(const std::string& path) {
  const std::optional<std::string> text = read_text_file(path);
  if (!text) return path + ": cannot read the file";
  lua::Sandbox sandbox(kLoadMemory);
  if (auto error = run_data_file(sandbox, *text, path, "the coefficient sources")) return *error;
  lua_State* L = sandbox.L();
  const int root = lua_gettop(L);
  try {
    check_keys(
        L, root, "",
        [](std::string_view key) {
          for (const CoefficientField& f : coefficient_fields()) {
            if (f.name == key) return true;
          }
          return false;
        },
        "coefficient");
    std::vector<CoefficientSource> out;
    for (const CoefficientField& f : coefficient_fields()) {
      StackGuard guard(L);
      const std::optional<int> table =
          open_table(L, root, "", f.name, "a table { min = ..., max = ..., source = ... }");
      if (table) out.push_back(read_source(L, *table, f));
    }
    return out;
  } catch (const LoadFailure& failure) {
    return path + ": " + failure.message;
  }
}

}  // namespace leadtime
