-- The paper's scenario 1: democracies tighten chip controls, close smuggling and
-- offshore loopholes and deter distillation. China still takes every shortcut
-- it can (smuggling, offshore rental, distillation), so the difference from
-- the lax line is US and EU policy alone.
return {
  orders = {
    us = {
      { action = "set_export_tier", target = "CN", tier = 0 },
      { action = "set_enforcement", usd_b = 4 },
      { action = "set_cloud_kyc", strength = 1 },
      { action = "set_anti_distillation_law", on = true },
      { action = "set_threat_intel_sharing", on = true },
      { action = "set_export_promotion", market = "ROW", usd_b = 2 },
    },
    eu = {
      { action = "set_tool_alignment", on = true },
      { action = "set_chip_control_alignment", on = true },
    },
    us_lab = { { action = "set_api_defence", usd_b = 2 } },
    cn = {
      { action = "set_smuggling", usd_b = 1.5 },
      { action = "set_offshore_rental", usd_b = 2 },
      { action = "set_export_promotion", market = "ROW", usd_b = 3 },
      { action = "set_cyber_operations", usd_b = 1, target = "us_lab" },
    },
    cn_lab = { { action = "set_distillation", target = "us_lab", intensity = 1 } },
  },
}
