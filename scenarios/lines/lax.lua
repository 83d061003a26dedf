-- The paper's scenario 2: loose enforcement. About ten Chinese firms are
-- licensed to buy high-end chips, enforcement is thin, there is no cloud rule
-- and no anti-distillation law; China smuggles, rents offshore and distils.
return {
  orders = {
    us = {
      { action = "set_export_tier", target = "CN", tier = 2 },
      { action = "set_export_licences", firms = 10 },
      { action = "set_enforcement", usd_b = 0.3 },
      { action = "set_cloud_kyc", strength = 0 },
      { action = "set_anti_distillation_law", on = false },
      { action = "set_threat_intel_sharing", on = false },
      { action = "set_export_promotion", market = "ROW", usd_b = 0.5 },
    },
    cn = {
      { action = "set_smuggling", usd_b = 1.5 },
      { action = "set_offshore_rental", usd_b = 2 },
      { action = "set_export_promotion", market = "ROW", usd_b = 3 },
      { action = "set_cyber_operations", usd_b = 1, target = "us_lab" },
    },
    cn_lab = { { action = "set_distillation", target = "us_lab", intensity = 1 } },
  },
}
