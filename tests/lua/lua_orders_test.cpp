#include "engine/lua/lua_orders.h"

#include <doctest/doctest.h>

#include <lua.hpp>

#include "engine/lua/sandbox.h"

namespace {

using leadtime::OrderDraft;
using leadtime::lua::Sandbox;

// Evaluates `expression` in a sandbox and leaves its value on top of the stack.
void push_value(Sandbox& sandbox, const std::string& expression) {
  REQUIRE_FALSE(sandbox.run_chunk("return " + expression, "orders.lua", 1));
}

std::optional<std::string> draft_of(const std::string& expression, OrderDraft& out) {
  Sandbox sandbox;
  push_value(sandbox, expression);
  return leadtime::lua::order_draft_from_lua(sandbox.L(), -1, out);
}

std::string draft_error(const std::string& expression) {
  OrderDraft draft;
  const auto error = draft_of(expression, draft);
  REQUIRE(error);
  return *error;
}

std::string list_error(const std::string& expression) {
  Sandbox sandbox;
  push_value(sandbox, expression);
  std::vector<OrderDraft> drafts;
  const auto error = leadtime::lua::read_order_list(sandbox.L(), -1, drafts);
  REQUIRE(error);
  return *error;
}

}  // namespace

TEST_CASE("lua orders: a table becomes a draft with its arguments sorted by name") {
  OrderDraft draft;
  REQUIRE_FALSE(draft_of("{ tier = 0, target = 'cn', action = 'set_export_tier', on = true, share = 0.25 }", draft));
  CHECK(draft.action == "set_export_tier");
  REQUIRE(draft.args.size() == 4);
  CHECK(draft.args[0].first == "on");
  CHECK(std::get<bool>(draft.args[0].second) == true);
  CHECK(draft.args[1].first == "share");
  CHECK(std::get<double>(draft.args[1].second) == 0.25);
  CHECK(draft.args[2].first == "target");
  CHECK(std::get<std::string>(draft.args[2].second) == "cn");
  CHECK(draft.args[3].first == "tier");
  CHECK(std::get<double>(draft.args[3].second) == 0.0);
}

TEST_CASE("lua orders: the same table reads the same whatever order it was built in") {
  OrderDraft a;
  OrderDraft b;
  REQUIRE_FALSE(draft_of("{ action = 'x', zeta = 1, alpha = 2, mid = 3, beta = 4 }", a));
  REQUIRE_FALSE(
      draft_of("(function() local t = {} t.beta = 4 t.mid = 3 t.alpha = 2 t.zeta = 1 t.action = 'x' "
               "return t end)()",
               b));
  REQUIRE(a.args.size() == b.args.size());
  for (std::size_t i = 0; i < a.args.size(); ++i) {
    CHECK(a.args[i].first == b.args[i].first);
    CHECK(a.args[i].second == b.args[i].second);
  }
}

TEST_CASE("lua orders: malformed orders say what was expected") {
  CHECK(draft_error("3").find("expected an order table") != std::string::npos);
  CHECK(draft_error("{ target = 'cn' }").find("missing field 'action'") != std::string::npos);
  CHECK(draft_error("{ action = 3 }") == "field 'action': expected the name of an action, got 3");
  CHECK(draft_error("{ 'set_lab_subsidy', 5 }").find("must be named") != std::string::npos);
  CHECK(draft_error("{ action = 'set_lab_subsidy', usd_b = {} }") ==
        "field 'usd_b': expected a number, a boolean or a string, got a table");
  CHECK(draft_error("{ action = 'set_lab_subsidy', usd_b = print }").find("got a function") != std::string::npos);
}

TEST_CASE("lua orders: lists are read in order and errors carry the position") {
  Sandbox sandbox;
  push_value(sandbox, "{ { action = 'b' }, { action = 'a', x = 1 }, { action = 'c' } }");
  std::vector<OrderDraft> drafts;
  REQUIRE_FALSE(leadtime::lua::read_order_list(sandbox.L(), -1, drafts));
  REQUIRE(drafts.size() == 3);
  CHECK(drafts[0].action == "b");
  CHECK(drafts[1].action == "a");
  CHECK(drafts[2].action == "c");

  CHECK(list_error("{ { action = 'a' }, { usd_b = 1 } }").starts_with("[2]: missing field 'action'"));
  CHECK(list_error("{ action = 'set_lab_subsidy', usd_b = 1 }").find("wrap it in braces") != std::string::npos);
  CHECK(list_error("{ { action = 'a' }, nil, { action = 'c' } }").find("expected a list of orders") !=
        std::string::npos);
  CHECK(list_error("'set_lab_subsidy'").find("expected a list of orders") != std::string::npos);
}
