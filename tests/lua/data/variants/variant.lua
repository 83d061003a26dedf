-- A variant of ../minimal.lua: every kind of override the merge knows.
return {
  extends = "../minimal.lua",
  name = "minimal-variant",
  rounds = 6,
  coefficients = { distill_k = 0.9 }, -- local_preference stays the base's
  actors = {
    { id = "cn_lab", capability_oom = 26.2, objectives = { { metric = "own_capability_oom", weight = 3 } } },
    {
      id = "us",
      orders = { { action = "set_enforcement", usd_b = 4 } }, -- after the base's 2.5, so it wins
      objectives = { { metric = "lead_months", weight = 5 } }, -- changes one objective, keeps the other
      bot = "",
    },
    { id = "eu", kind = "government", bloc = "EU", cash_usd_b = 8 },
  },
  markets = { ROW = { growth = 0.1, share = { US = 0.4, EU = 0.6 } } }, -- share is replaced whole, not merged
  events = {
    { id = "leak", probability = 0.3 },
    { id = "boom", remove = true },
    { id = "surge", probability = 1, first = "2027Q4",
      effects = { { target = "cn_lab", field = "capability_oom", op = "add", value = 0.1 } } },
  },
}
