-- cn_shortcut: China's side of both paper lines (scenarios/lines/*.lua).
-- Strategy: take every shortcut to foreign compute and models: smuggle
-- chips through third countries, rent compute in Southeast Asian hubs,
-- subsidise the Chinese stack in the rest of the world, and run cyber
-- operations against the leading US lab's weights. Domestic fab investment
-- stays at the scenario's standing level. The orders are standing, so the
-- bot sets them once and then keeps them.
-- Seat: the Chinese government.
-- Copy and edit: every number below is a knob.
local SMUGGLING_USD_B = 1.5
local OFFSHORE_RENTAL_USD_B = 2
local ROW_PROMOTION_USD_B = 3
local CYBER_USD_B = 1
local CYBER_TARGET_BLOC = "US" -- the first lab of this bloc is the target

local cyber_target = nil

function init(info)
  assert(info.kind == "government" and info.bloc == "CN", "cn_shortcut plays the Chinese government")
  -- info.actors is an array in seat order: ipairs gives the same target every run.
  for _, a in ipairs(info.actors) do
    if cyber_target == nil and a.kind == "lab" and a.bloc == CYBER_TARGET_BLOC then cyber_target = a.id end
  end
end

function decide(view)
  if view.round ~= 1 then return {} end
  local orders = {
    { action = "set_smuggling", usd_b = SMUGGLING_USD_B },
    { action = "set_offshore_rental", usd_b = OFFSHORE_RENTAL_USD_B },
    { action = "set_export_promotion", market = "ROW", usd_b = ROW_PROMOTION_USD_B },
  }
  if cyber_target then
    orders[#orders + 1] = { action = "set_cyber_operations", usd_b = CYBER_USD_B, target = cyber_target }
  end
  return orders
end
