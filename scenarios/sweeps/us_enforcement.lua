-- How much US enforcement spending keeps the lead above 12 months? The
-- tight line's US bot (us_hawk) with its opening enforcement budget and its
-- ceiling varied; every other seat keeps the scenario's bot. 5 x 20 seeds.
--
--   leadtime-batch sweep scenarios/sweeps/us_enforcement.lua --csv us_enforcement.csv
return {
  name = "us_enforcement",
  scenario = "scenarios/2028.lua",
  seed = 2028,
  seeds = 20,
  bots = { us = "scripts/bots/us_hawk.lua" },
  parameters = {
    { name = "bot.us.enforcement_usd_b", values = { 0, 1, 2, 4, 8 } },
    { name = "bot.us.enforcement_max_usd_b", values = { 8 } },
  },
  design = "grid",
  outcomes = { "lead_months", "min_lead_months", "smuggled_h100e" },
}
