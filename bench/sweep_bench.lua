-- The sweep bench/sweep_bench.sh times: the default scenario played whole
-- (10 rounds) by its eight default Lua bots, over a small grid of two
-- coefficients, 200 seeds a point: 4,000 matches, every one written to the
-- results file in batched transactions.
return {
  name = "sweep_bench",
  scenario = "scenarios/2028.lua",
  seed = 1,
  seeds = 200,
  parameters = {
    { name = "smuggling_markup", min = 1.5, max = 3, levels = 5 },
    { name = "distill_k", values = { 0.3, 0.5, 0.7, 0.9 } },
  },
  outcomes = { "lead_months", "min_lead_months", "compute_ratio_us_cn", "share_ROW_US", "share_ROW_CN", "norm_index" },
}
