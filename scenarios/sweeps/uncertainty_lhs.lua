-- The default scenario's deep uncertainties, sampled by a Latin hypercube:
-- how China's own chip growth, the smuggling markup, distillation's pull,
-- research noise and weight theft move the 2028 outcomes when every seat is
-- played by its default bot. 200 points x 10 seeds = 2,000 matches, with
-- every round of every match in the rounds table (series).
--
--   leadtime-batch sweep scenarios/sweeps/uncertainty_lhs.lua
--
-- docs/sweeps.md explains every field.
return {
  name = "uncertainty_lhs",
  scenario = "scenarios/2028.lua",
  seed = 7,
  seeds = 10,
  parameters = {
    { name = "cn_base_growth", min = -0.06, max = 0.03 },
    { name = "smuggling_markup", min = 1.2, max = 4 },
    { name = "distill_k", min = 0.3, max = 1 },
    { name = "talent_noise_oom", min = 0, max = 0.08 },
    { name = "theft_base_p", min = 0.05, max = 0.4 },
  },
  design = { kind = "lhs", points = 200 },
  outcomes = { "lead_months", "min_lead_months", "mean_lead_months", "compute_ratio_us_cn", "share_ROW_US",
               "share_ROW_CN", "norm_index" },
  series = true,
}
