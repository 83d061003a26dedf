-- cn_builder: China builds its own chip industry instead of buying abroad.
-- Strategy: heavy fab investment, little smuggling or offshore rental,
-- export subsidies for the Chinese stack in the rest of the world, and a
-- ban on foreign AI chips once the domestic vendor is big enough to matter
-- (judged from the noisy estimate of its capacity in view.others) or from
-- the start if BAN_FROM_START is true.
-- Seat: the Chinese government (budget ~$25B a quarter: keep the sum of the
-- spending knobs below it, or every line is scaled down pro rata).
-- Copy and edit: every number below is a knob.
local FAB_INVESTMENT_USD_B = 20
local SMUGGLING_USD_B = 0.2
local OFFSHORE_RENTAL_USD_B = 0.3
local ROW_PROMOTION_USD_B = 3
local BAN_FROM_START = false
local BAN_AT_CAPACITY_H100E = 4e5 -- domestic output per quarter that justifies the ban

local banned = false

function init(info)
  assert(info.kind == "government" and info.bloc == "CN", "cn_builder plays the Chinese government")
end

-- The estimated capacity of the home vendor (view.others is an array).
local function domestic_capacity(view)
  local best = 0
  for _, o in ipairs(view.others) do
    if o.kind == "vendor" and o.bloc == view.self.bloc and o.capacity_h100e > best then best = o.capacity_h100e end
  end
  return best
end

function decide(view)
  local orders = {}
  if view.round == 1 then
    orders = {
      { action = "set_fab_investment", usd_b = FAB_INVESTMENT_USD_B },
      { action = "set_smuggling", usd_b = SMUGGLING_USD_B },
      { action = "set_offshore_rental", usd_b = OFFSHORE_RENTAL_USD_B },
      { action = "set_export_promotion", market = "ROW", usd_b = ROW_PROMOTION_USD_B },
    }
  end
  if not banned and (BAN_FROM_START or domestic_capacity(view) >= BAN_AT_CAPACITY_H100E) then
    banned = true
    orders[#orders + 1] = { action = "set_foreign_chip_ban", on = true }
  end
  return orders
end
