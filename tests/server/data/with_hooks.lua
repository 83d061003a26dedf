-- tests/lua/data/minimal.lua with scenario hooks: every other round the
-- hooks fire "alarm", which adds to the US budget, so a runner that skips
-- the hooks (or runs them from a fresh state each round) plays other hashes.
return {
  name = "minimal with hooks",
  description = "two labs and a government",
  start = "2026Q3",
  rounds = 4,
  coefficients = {
    distill_k = 0.6,
    local_preference = { CN = { CN = 3 } },
  },
  actors = {
    {
      id = "us", name = "United States", kind = "government", bloc = "US",
      cash_usd_b = 20, budget_usd_b = 10,
      -- Names a lab listed later: standing orders see every actor.
      orders = {
        { action = "set_export_tier", target = "CN", tier = 1 },
        { action = "set_enforcement", usd_b = 2.5 },
      },
      objectives = { { metric = "lead_months", weight = 2 }, { metric = "political_capital" } },
      bot = "scripts/bots/us_hawk.lua",
    },
    {
      id = "us_lab", kind = "lab", bloc = "US",
      compute_h100e = 1.5e6, capability_oom = 26.5,
      orders = { { action = "set_open_weights", on = true } },
    },
    {
      id = "cn_lab", name = "Chinese lab", kind = "lab", bloc = "CN",
      capability_oom = 26,
      orders = { { action = "set_distillation", target = "us_lab", intensity = 0.5 } },
    },
  },
  markets = {
    US = { size_usd_b = 40, growth = 0.08, share = { US = 0.9, CN = 0.02, EU = 0.08 } },
    CN = { size_usd_b = 15, share = { CN = 1 } },
    EU = { share = { US = 0.7, CN = 0.05, EU = 0.25 } },
    ROW = { share = { US = 0.5, CN = 0.5 } },
  },
  hubs = { compute_h100e = 1e6, rent_usd_per_h100e = 4000 },
  hooks = {
    on_round = function(info)
      calls = (calls or 0) + 1
      if calls % 2 == 0 then return { "alarm" } end
    end,
  },
  events = {
    { id = "alarm", probability = 0, once = false, text = "the hooks raised the alarm",
      effects = { { target = "us", field = "budget_usd_b", op = "add", value = 7 } } },
    {
      id = "leak", text = "A model leaks", probability = 0.1, first = "2026Q4", last = "2027Q1",
      once = false, visibility = "private", audience = { "cn_lab" },
      conditions = { { target = "us_lab", field = "capability_oom", op = ">=", value = 26 } },
      effects = { { target = "cn_lab", field = "capability_oom", op = "add", value = 0.2 },
                  { target = "SEA", field = "compute_h100e", op = "mul", value = 1.1 } },
    },
    { id = "boom", probability = 0.5,
      effects = { { target = "ROW", field = "growth", op = "set", value = 0.1 } } },
  },
}
