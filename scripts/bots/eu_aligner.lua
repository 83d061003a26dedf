-- eu_aligner: Europe joins the US controls (the EU half of scenarios/lines/tight.lua).
-- Strategy: align lithography-tool exports with US controls (slows China's
-- fabs), align chip export controls (helps enforcement against smuggling),
-- and keep a modest sovereignty programme and the AI Act as they are.
-- Seat: the EU government.
-- Copy and edit: every number below is a knob.
local TOOL_ALIGNMENT = true
local CHIP_CONTROL_ALIGNMENT = true
local SOVEREIGNTY_USD_B = 2 -- the scenario's starting programme
local REGULATION = 0.5 -- the AI Act in force

function init(info)
  assert(info.kind == "government" and info.bloc == "EU", "eu_aligner plays the EU government")
end

function decide(view)
  if view.round ~= 1 then return {} end -- standing orders carry on
  return {
    { action = "set_tool_alignment", on = TOOL_ALIGNMENT },
    { action = "set_chip_control_alignment", on = CHIP_CONTROL_ALIGNMENT },
    { action = "set_sovereignty_investment", usd_b = SOVEREIGNTY_USD_B },
    { action = "set_regulation", strictness = REGULATION },
  }
end
