-- lab_safety: a safety-first lab.
-- Strategy: invest in safety research, defend its API against distillation
-- and its weights against theft, and never release open weights. Spending
-- is capped at a share of the lab's cash in the first quarter, so the bot
-- also suits a small lab without starving its chip budget.
-- Seat: any lab.
-- Copy and edit: every number below is a knob.
local SAFETY_USD_B = 0.5
local API_DEFENCE_USD_B = 2
local WEIGHT_SECURITY_USD_B = 2
local MAX_CASH_SHARE_EACH = 0.1 -- no line above this share of opening cash

function init(info)
  assert(info.kind == "lab", "lab_safety plays a lab")
end

function decide(view)
  if view.round ~= 1 then return {} end
  local cap = MAX_CASH_SHARE_EACH * view.self.cash_usd_b
  return {
    { action = "set_safety_investment", usd_b = math.min(SAFETY_USD_B, cap) },
    { action = "set_api_defence", usd_b = math.min(API_DEFENCE_USD_B, cap) },
    { action = "set_weight_security", usd_b = math.min(WEIGHT_SECURITY_USD_B, cap) },
    { action = "set_open_weights", on = false },
  }
end
