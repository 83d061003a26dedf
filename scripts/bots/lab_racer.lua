-- lab_racer: a frontier lab racing for capability.
-- Strategy: put most of its cash into chips and most of its compute into
-- training, spend little on defences, and (a Chinese lab only, as in both
-- paper lines) distil from the best foreign lab while it is behind it.
-- "Behind" compares view.self.capability_oom with the noisy estimates of
-- the foreign labs in view.others; the campaign stops once the lab is
-- ahead of every foreign estimate by STOP_MARGIN_OOM.
-- Seat: any lab. Other standing orders (price, open weights) are kept.
-- Copy and edit: every number below is a knob.
local CHIP_BUDGET_SHARE = 0.85 -- share of cash spent on chips each quarter
local TRAINING_SHARE = 0.5 -- share of compute used for training
local API_DEFENCE_USD_B = 0.2
local WEIGHT_SECURITY_USD_B = 0.2
local DISTIL_BLOCS = { CN = true } -- blocs whose labs distil
local DISTIL_INTENSITY = 1
local STOP_MARGIN_OOM = 0.1

local distils = false
local distilling_from = nil -- id of the current teacher, nil when stopped

function init(info)
  assert(info.kind == "lab", "lab_racer plays a lab")
  distils = DISTIL_BLOCS[info.bloc] == true
end

-- The most capable foreign lab by estimate; view.others is an array, so
-- ties go to the earlier seat on every run.
local function best_foreign_lab(view)
  local best = nil
  for _, o in ipairs(view.others) do
    if o.kind == "lab" and o.bloc ~= view.self.bloc and (best == nil or o.capability_oom > best.capability_oom) then
      best = o
    end
  end
  return best
end

function decide(view)
  local orders = {}
  if view.round == 1 then
    orders = {
      { action = "set_chip_budget", share = CHIP_BUDGET_SHARE },
      { action = "set_training_share", share = TRAINING_SHARE },
      { action = "set_api_defence", usd_b = API_DEFENCE_USD_B },
      { action = "set_weight_security", usd_b = WEIGHT_SECURITY_USD_B },
    }
  end
  if distils then
    local teacher = best_foreign_lab(view)
    local behind = teacher ~= nil and view.self.capability_oom < teacher.capability_oom + STOP_MARGIN_OOM
    if behind and teacher.id ~= distilling_from then
      distilling_from = teacher.id
      orders[#orders + 1] = { action = "set_distillation", target = teacher.id, intensity = DISTIL_INTENSITY }
    elseif not behind and distilling_from ~= nil then
      -- Keep the target (it must be a foreign lab) and stop the campaign.
      orders[#orders + 1] = { action = "set_distillation", target = distilling_from, intensity = 0 }
      distilling_from = nil
    end
  end
  return orders
end
