// protocol/wire_fields.h against protocol/leadtime.fbs: every field the
// tables of engine/state_fields.h send has a slot of its name, with a
// matching type and default, so a field added to a table without its slot in
// the schema fails here (its round trip fails in
// tests/engine/field_projections_test.cpp).
#include <doctest/doctest.h>

#include <flatbuffers/idl.h>
#include <flatbuffers/util.h>

#include <string>
#include <type_traits>
#include <vector>

#include "engine/state_fields.h"
#include "protocol/wire_fields.h"

using namespace leadtime;
namespace wf = leadtime::protocol::wire_fields;

namespace {

const std::string kSchemaPath = std::string(LEADTIME_SOURCE_DIR) + "/protocol/leadtime.fbs";

std::string schema_text() {
  std::string text;
  REQUIRE_MESSAGE(flatbuffers::LoadFile(kSchemaPath.c_str(), false, &text), "cannot read ", kSchemaPath);
  return text;
}

const flatbuffers::StructDef* wire_table(const flatbuffers::Parser& parser, const char* name) {
  return parser.LookupStruct(std::string("leadtime.wire.") + name);
}

// What is wrong with `field` as the slot of a value of type T, or "".
template <typename T>
std::string slot_problem(const flatbuffers::FieldDef& field, fields::Keys keys) {
  const flatbuffers::Type& type = field.value.type;
  const auto scalar = [&](flatbuffers::BaseType expected, const char* schema_type, double wire_default) {
    if (type.base_type != expected || (expected != flatbuffers::BASE_TYPE_UCHAR && type.enum_def != nullptr)) {
      return std::string("should be ") + schema_type;
    }
    if (std::stod(field.value.constant) != wire_default) {
      return "should default to " + std::to_string(wire_default) + ", not " + field.value.constant;
    }
    return std::string();
  };
  if constexpr (std::is_same_v<T, double>) {
    return scalar(flatbuffers::BASE_TYPE_DOUBLE, "double", 0);
  } else if constexpr (std::is_same_v<T, int>) {
    return scalar(flatbuffers::BASE_TYPE_INT, "int", wf::wire_default<int>(keys));
  } else if constexpr (std::is_same_v<T, bool>) {
    return type.base_type == flatbuffers::BASE_TYPE_BOOL && field.value.constant == "0" ? "" : "should be bool";
  } else if constexpr (std::is_enum_v<T>) {
    if (type.base_type != flatbuffers::BASE_TYPE_UCHAR || type.enum_def == nullptr) return "should be a ubyte enum";
    if (type.enum_def->size() != static_cast<std::size_t>(fields::enum_count<T>)) {
      return "should have as many values as the engine's enum";
    }
    return field.value.constant == "0" ? "" : "should default to its first value";
  } else if constexpr (std::is_same_v<T, std::string>) {
    return type.base_type == flatbuffers::BASE_TYPE_STRING ? "" : "should be string";
  } else if constexpr (leadtime::kIsArray<T> || leadtime::kIsVector<T>) {
    using Item = typename T::value_type;
    const auto element = std::is_same_v<Item, double> ? flatbuffers::BASE_TYPE_DOUBLE : flatbuffers::BASE_TYPE_INT;
    return type.base_type == flatbuffers::BASE_TYPE_VECTOR && type.element == element && type.enum_def == nullptr
               ? ""
               : std::string("should be [") + (std::is_same_v<Item, double> ? "double" : "int") + "]";
  } else {
    return type.base_type == flatbuffers::BASE_TYPE_STRUCT && type.struct_def != nullptr &&
                   type.struct_def->name == wf::WireOf<T>::name
               ? ""
               : std::string("should be ") + wf::WireOf<T>::name;
  }
}

// Every problem with S's wire table (and those of the structs it holds).
template <fields::HasTable S>
void table_problems(const flatbuffers::Parser& parser, std::vector<std::string>& problems) {
  const char* name = wf::WireOf<S>::name;
  const flatbuffers::StructDef* table = wire_table(parser, name);
  if (table == nullptr || table->fixed) {
    problems.push_back(std::string("no table ") + name);
    return;
  }
  const flatbuffers::StructDef* group = table;
  if constexpr (wf::Grouped<S>) {
    group = wire_table(parser, wf::WireOf<S>::group_name);
    const flatbuffers::FieldDef* markets = table->fields.Lookup(wf::WireOf<S>::group_field);
    if (group == nullptr || markets == nullptr || markets->value.type.base_type != flatbuffers::BASE_TYPE_VECTOR ||
        markets->value.type.struct_def != group) {
      problems.push_back(std::string(name) + "." + wf::WireOf<S>::group_field + " should be [" +
                         wf::WireOf<S>::group_name + "]");
      return;
    }
    const flatbuffers::FieldDef* key = group->fields.Lookup(wf::WireOf<S>::group_key);
    if (key == nullptr || key->value.type.base_type != flatbuffers::BASE_TYPE_STRING) {
      problems.push_back(std::string(wf::WireOf<S>::group_name) + "." + wf::WireOf<S>::group_key + " should be string");
    }
  }
  fields::for_each<S>([&](auto at) {
    constexpr const auto& f = decltype(at)::field;
    using T = typename decltype(at)::Type;
    if constexpr ((f.options.shown & fields::kWire) != 0) {
      std::string where = std::string(name) + "." + f.name;
      const flatbuffers::FieldDef* slot = nullptr;
      if constexpr (f.options.group != nullptr) {
        where = std::string(wf::WireOf<S>::group_name) + "." + f.options.group;
        slot = group->fields.Lookup(f.options.group);
      } else {
        slot = table->fields.Lookup(f.name);
      }
      if (slot == nullptr || slot->deprecated) {
        problems.push_back(where + " is missing: the table sends " + std::string(name) + "'s " + f.name);
        return;
      }
      std::string problem;
      if constexpr (f.options.group != nullptr) {
        problem = slot_problem<typename T::value_type>(*slot, fields::inner_keys(f.options.keys));
      } else {
        problem = slot_problem<T>(*slot, f.options.keys);
        if constexpr (fields::HasTable<T>) {
          if (problem.empty()) table_problems<T>(parser, problems);
        }
      }
      if (!problem.empty()) problems.push_back(where + " " + problem);
      // The slot the conversion found at run time through mini-reflection.
      if (wf::slots<S>()[at.index] == 0) problems.push_back(where + " has no slot in the generated code");
    }
  });
}

std::vector<std::string> schema_problems(const std::string& schema) {
  flatbuffers::Parser parser;
  if (!parser.Parse(schema.c_str())) return {"the schema does not parse: " + parser.error_};
  std::vector<std::string> problems;
  table_problems<Actor>(parser, problems);
  table_problems<Estimate>(parser, problems);
  table_problems<PublicIndicators>(parser, problems);
  table_problems<Event>(parser, problems);
  return problems;
}

// `text` with the first `part` replaced by `by`.
std::string replaced(std::string text, const std::string& part, const std::string& by = "") {
  const std::size_t at = text.find(part);
  REQUIRE(at != std::string::npos);
  return text.replace(at, part.size(), by);
}

}  // namespace

TEST_CASE("wire fields: every field the tables send has a slot of its name, type and default in leadtime.fbs") {
  const std::vector<std::string> problems = schema_problems(schema_text());
  for (const std::string& p : problems) FAIL_CHECK(p);
  CHECK(problems.empty());
}

TEST_CASE("wire fields: a schema without a field's slot, or with another default, is caught") {
  const std::string schema = schema_text();
  const auto missing = schema_problems(replaced(schema, "cum_safety_usd_b: double;"));
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].find("LabState.cum_safety_usd_b is missing") == 0);
  const auto market = schema_problems(replaced(schema, "size_usd_b: double;   // per quarter"));
  REQUIRE(market.size() == 1);
  CHECK(market[0].find("MarketIndicator.size_usd_b is missing") == 0);
  const auto defaulted = schema_problems(replaced(schema, "cyber_target: int = -1;", "cyber_target: int;"));
  REQUIRE_FALSE(defaulted.empty());
  CHECK(defaulted[0].find("Policy.cyber_target should default to -1") == 0);
}

TEST_CASE("wire fields: each field finds the slot of its name") {
  // Slots are vtable offsets: 4 for a table's first field, 2 more per field.
  CHECK(wf::slots<LabState>()[0] == wire::LabState::VT_COMPUTE_H100E);
  CHECK(wf::slots<LabState>()[14] == wire::LabState::VT_ACCELERATED);
  CHECK(wf::slots<Actor>()[7] == wire::SelfState::VT_GOVERNMENT);
  CHECK(wf::slots<PublicIndicators>()[3] == wire::MarketIndicator::VT_SIZE_USD_B);
  CHECK(wf::group_slot<PublicIndicators>() == wire::PublicIndicators::VT_MARKETS);
  CHECK(wf::slots<Event>()[3] == 0);  // the audience is not sent
  CHECK(wf::find_slot(wire::LabState::MiniReflectTypeTable(), "no_such_field") == 0);
}
