-- lab_open: an open-weights lab.
-- Strategy: release its models' weights openly (a capability floor for
-- every lab and a cheaper stack) and sell API access cheaply to win users;
-- compute buying stays at the scenario's standing settings.
-- Seat: any lab.
-- Copy and edit: every number below is a knob.
local MODEL_PRICE_USD_PER_MTOK = 1 -- catalogue range 0.1 .. 100

function init(info)
  assert(info.kind == "lab", "lab_open plays a lab")
end

function decide(view)
  if view.round ~= 1 then return {} end
  return {
    { action = "set_open_weights", on = true },
    { action = "set_model_price", usd_per_mtok = MODEL_PRICE_USD_PER_MTOK },
  }
end
