-- An order line for minimal.lua.
return {
  orders = {
    cn_lab = { { action = "set_distillation", target = "us_lab", intensity = 1 } },
    us = { { action = "set_export_tier", target = "CN", tier = 0 }, { action = "set_enforcement", usd_b = 4 } },
  },
  at = {
    ["2027Q2"] = { us_lab = { { action = "set_open_weights", on = false } } },
    ["2026Q4"] = { us = { { action = "set_cloud_kyc", strength = 1 } } },
  },
}
