-- tests/lua/data/minimal.lua with scenario hooks: every other round the
-- hooks fire "alarm", which adds to the US budget, so a runner that skips
-- the hooks (or runs them from a fresh state each round) plays other hashes.
return {
  extends = "../../lua/data/minimal.lua",
  name = "minimal with hooks",
  hooks = {
    on_round = function(info)
      calls = (calls or 0) + 1
      if calls % 2 == 0 then return { "alarm" } end
    end,
  },
  events = {
    { id = "alarm", probability = 0, once = false, text = "the hooks raised the alarm",
      effects = { { target = "us", field = "budget_usd_b", op = "add", value = 7 } } },
  },
}
