-- Variant: a European sovereignty push, with EU subsidies and buy-European
-- rules.
--
-- Question: what if Europe decides it wants its own AI stack, from both the
-- US and China? The EU enlarges its budget for AI (from $8B to $14B a
-- quarter: the EUR 20B gigafactory programme plus national money), subsidises
-- its frontier lab (funding from $3B to $6B a quarter), and public buyers
-- and regulated sectors must prefer European models where one is fit for
-- the job (the home preference of the EU stack in the EU market rises from
-- 1 to 2.5, US models' from 0.5 to 0). The EU government keeps its default
-- bot, eu_sovereign (sovereignty investment $7B a quarter).
--
-- What changes: the eu and eu_lab actors' starting money and the EU row of
-- coefficients.local_preference.
-- Expected direction (tests/scenarios/variants_test.cpp): the EU stack's
-- share of the EU market at the end of 2028 is above the base's, and the US
-- stack's below it.
return {
  extends = "../2028.lua",
  name = "2028-eu-sovereignty",
  description = "EU subsidies and buy-European rules",
  coefficients = {
    local_preference = { EU = { US = 0, CN = -2, EU = 2.5 } },
  },
  actors = {
    { id = "eu", cash_usd_b = 14, budget_usd_b = 14 },
    { id = "eu_lab", funding_usd_b = 6 },
  },
}
