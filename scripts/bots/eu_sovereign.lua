-- eu_sovereign: Europe goes its own way.
-- Strategy: no alignment with US tool or chip controls, a large
-- sovereignty programme (compute for EU labs and a home preference for the
-- EU stack), and stricter regulation that weighs on foreign stacks at home.
-- Seat: the EU government (budget ~$8B a quarter: keep spending below it).
-- Copy and edit: every number below is a knob.
local SOVEREIGNTY_USD_B = 7
local REGULATION = 0.6

function init(info)
  assert(info.kind == "government" and info.bloc == "EU", "eu_sovereign plays the EU government")
end

function decide(view)
  if view.round ~= 1 then return {} end
  return {
    { action = "set_tool_alignment", on = false },
    { action = "set_chip_control_alignment", on = false },
    { action = "set_sovereignty_investment", usd_b = SOVEREIGNTY_USD_B },
    { action = "set_regulation", strictness = REGULATION },
  }
end
