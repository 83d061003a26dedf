-- A base whose hook fires its "alarm" event from round 2 on.
return {
  name = "with hooks", start = "2026Q3", rounds = 4,
  actors = {
    { id = "us", kind = "government", bloc = "US" },
    { id = "us_lab", kind = "lab", bloc = "US" },
    { id = "cn_lab", kind = "lab", bloc = "CN" },
  },
  markets = {
    US = { share = { US = 1 } }, CN = { share = { CN = 1 } },
    EU = { share = { EU = 1 } }, ROW = { share = { US = 1 } },
  },
  events = {
    { id = "alarm", text = "hook fired",
      effects = { { target = "us", field = "budget_usd_b", op = "add", value = 7 } } },
  },
  hooks = {
    on_round = function(info)
      if info.round >= 2 then return { "alarm" } end
    end,
  },
}
