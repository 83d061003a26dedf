-- vendor_revenue: a chip vendor that chases revenue.
-- Strategy: sell everywhere it may (a US-bloc vendor offers the downgraded
-- compliant chip to tier-1 destinations such as China), lobby to make
-- looser export controls cheaper for its government, and price by
-- sell-through: raise the list price when the quarter's output sold out to
-- labs, cut it back when much of it went unsold (dumped on the world market).
-- Prices stay within a band above the opening list price (a lower floor
-- floods labs with cheap chips and pushes the US:CN compute ratio up).
-- Seat: any vendor (US or CN bloc). set_compliant_chip is US-bloc only, so
-- the bot checks info.bloc before ordering it.
-- Copy and edit: every number below is a knob.
local LOBBYING_USD_B = 1 -- capped at LOBBYING_CASH_SHARE of cash for small vendors
local LOBBYING_CASH_SHARE = 0.05
local SOLD_OUT = 0.98 -- sell-through at or above this raises the price
local SLACK = 0.8 -- sell-through below this cuts the price
local PRICE_STEP = 0.05 -- +-5% a quarter
local PRICE_BAND = { 1.0, 1.3 } -- multiples of the opening price: never undercut the opening list price
local PRICE_LIMITS = { 1000, 100000 } -- the catalogue's range for set_chip_price

local us_bloc = false
local opening_price = nil

function init(info)
  assert(info.kind == "vendor", "vendor_revenue plays a chip vendor")
  us_bloc = info.bloc == "US"
end

local function clamp(x, lo, hi) return math.max(lo, math.min(hi, x)) end

function decide(view)
  local me = view.self
  local orders = {}
  if opening_price == nil then
    opening_price = me.policy.chip_price_usd
    orders[#orders + 1] = { action = "set_lobbying", usd_b = math.min(LOBBYING_USD_B, LOBBYING_CASH_SHARE * me.cash_usd_b) }
    if us_bloc then orders[#orders + 1] = { action = "set_compliant_chip", on = true } end
    return orders -- no sales seen yet: price moves start next quarter
  end
  if me.output_h100e <= 0 then return orders end
  local sell_through = me.sold_h100e / me.output_h100e
  local price = me.policy.chip_price_usd
  if sell_through >= SOLD_OUT then
    price = price * (1 + PRICE_STEP)
  elseif sell_through < SLACK then
    price = price * (1 - PRICE_STEP)
  else
    return orders
  end
  price = clamp(price, PRICE_BAND[1] * opening_price, PRICE_BAND[2] * opening_price)
  price = clamp(price, PRICE_LIMITS[1], PRICE_LIMITS[2])
  if price ~= me.policy.chip_price_usd then
    orders[#orders + 1] = { action = "set_chip_price", usd_per_h100e = price }
  end
  return orders
end
