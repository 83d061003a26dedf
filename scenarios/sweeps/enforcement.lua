-- Which US line keeps the lead above 12 months, and how much does it depend
-- on how well enforcement money works? The paper's tight line (us_hawk)
-- against its lax line (us_dealmaker), over the cost of interdicting half of
-- the smuggled chips and China's smuggling markup: 2 x 4 x 3 = 24 points,
-- 50 seeds each (1,200 matches, about a second on two cores).
--
--   leadtime-batch sweep scenarios/sweeps/enforcement.lua --csv enforcement.csv
--   sqlite3 enforcement.db "SELECT p.\"bot.us\", p.enforcement_half_usd_b,
--     avg(r.lead_months > 12) FROM runs r JOIN points p USING (point) GROUP BY r.point"
--
-- docs/sweeps.md explains every field.
return {
  name = "enforcement",
  scenario = "scenarios/2028.lua",
  seed = 2028,
  seeds = 50,
  -- Other seats keep the scenario's bots.
  bots = {
    us = { "scripts/bots/us_hawk.lua", "scripts/bots/us_dealmaker.lua" },
  },
  parameters = {
    -- $B of enforcement that interdicts half the smuggling (calibrated at 2).
    { name = "enforcement_half_usd_b", values = { 0.5, 1, 2, 4 } },
    { name = "smuggling_markup", min = 1.5, max = 3, levels = 3 },
  },
  design = "grid",
  outcomes = { "lead_months", "min_lead_months", "compute_ratio_us_cn", "smuggled_h100e", "share_ROW_CN" },
}
