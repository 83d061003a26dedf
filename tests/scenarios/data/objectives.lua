-- Objective weights against docs/scenarios.md's conventions, one problem a seat.
return {
  name = "objectives", start = "2026Q3", rounds = 2,
  actors = {
    { id = "us", kind = "government", bloc = "US", bot = "scripts/bots/us_hawk.lua",
      objectives = { { metric = "lead_months", weight = 1 }, { metric = "lead_months", weight = 2 } } },
    { id = "cn", kind = "government", bloc = "CN", bot = "scripts/bots/cn_shortcut.lua",
      objectives = { { metric = "own_global_share", weight = -10 } } },
    { id = "us_lab", kind = "lab", bloc = "US", bot = "scripts/bots/lab_racer.lua",
      objectives = { { metric = "own_capability_oom", weight = 0 } } },
    { id = "cn_lab", kind = "lab", bloc = "CN", bot = "scripts/bots/lab_racer.lua" },
  },
  markets = {
    US = { share = { US = 1 } }, CN = { share = { CN = 1 } },
    EU = { share = { EU = 1 } }, ROW = { share = { US = 1 } },
  },
}
