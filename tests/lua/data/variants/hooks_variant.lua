-- Changes the alarm's effect; the hook comes from the base.
return {
  extends = "with_hooks.lua",
  name = "hooks variant",
  events = {
    { id = "alarm", effects = { { target = "us", field = "budget_usd_b", op = "add", value = 1 } } },
  },
}
