-- Legal but suspicious: each part below earns the scenario check a warning
-- (tests/scenarios/scenario_check_test.cpp).
return {
  extends = "../../../scenarios/2028.lua",
  -- no name: keeps the base's
  coefficients = { distill_k = 0.99 },
  actors = {
    { id = "cn", objectives = { { metric = "lead_months", weight = 1 } } },
    { id = "eu_lab", bot = "" },
  },
  events = {
    { id = "inject_only", text = "only a facilitator can fire this",
      effects = { { target = "us", field = "budget_usd_b", op = "add", value = 1 } } },
    { id = "impossible", probability = 0.5,
      conditions = { { target = "us", field = "cash_usd_b", op = ">", value = 10 },
                     { target = "us", field = "cash_usd_b", op = "<", value = 5 } },
      effects = { { target = "us", field = "cash_usd_b", op = "add", value = 1 } } },
    { id = "out_of_reach", probability = 0.5,
      conditions = { { target = "cn", field = "cum_fab_investment_usd_b", op = ">=", value = 1000000 } },
      effects = { { target = "cn_vendor", field = "euv_multiplier", op = "set", value = 3 } } },
    { id = "rare", probability = 0.001, first = "2028Q3",
      effects = { { target = "us", field = "cash_usd_b", op = "add", value = 1 } } },
  },
}
