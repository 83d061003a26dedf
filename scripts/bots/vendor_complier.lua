-- vendor_complier: a chip vendor that keeps clear of export politics.
-- Strategy: no lobbying, no downgraded "compliant" chip for restricted
-- destinations (a US-bloc vendor withdraws it), and a steady list price
-- (the scenario's, unless STEADY_PRICE_USD is set).
-- Seat: any vendor. set_compliant_chip is US-bloc only, so the bot checks
-- info.bloc before ordering it.
-- Copy and edit: every number below is a knob.
local STEADY_PRICE_USD = nil -- e.g. 20000 to fix a price; nil keeps the scenario's

local us_bloc = false

function init(info)
  assert(info.kind == "vendor", "vendor_complier plays a chip vendor")
  us_bloc = info.bloc == "US"
end

function decide(view)
  if view.round ~= 1 then return {} end
  local orders = { { action = "set_lobbying", usd_b = 0 } }
  if us_bloc then orders[#orders + 1] = { action = "set_compliant_chip", on = false } end
  if STEADY_PRICE_USD then orders[#orders + 1] = { action = "set_chip_price", usd_per_h100e = STEADY_PRICE_USD } end
  return orders
end
