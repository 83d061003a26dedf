-- Prices from the order pairs visits a string-keyed table in. Stock pairs
-- walks Lua's hash nodes, and Lua seeds its string hash per state from
-- time() and addresses, so with stock pairs the price (and the state hash)
-- could differ between two runs of one match, or two processes. The
-- sandbox's pairs visits string keys in byte order every time; anything
-- else faults here.
local names = {}
for i = 1, 60 do
  names[i] = string.format("option_%02d", i)  -- byte order is index order
end

function decide(view)
  -- A new table every round, filled in a seeded random order and churned,
  -- so its node layout differs from round to round.
  local weights = {}
  local order = {}
  for i = 1, #names do
    order[i] = i
  end
  for i = #order, 2, -1 do
    local j = math.random(i)
    order[i], order[j] = order[j], order[i]
  end
  for _, i in ipairs(order) do
    weights["tmp_" .. i] = i
    weights[names[i]] = i
  end
  for i = 1, #names do
    weights["tmp_" .. i] = nil
  end

  local h, expected = 0, 1
  for name, i in pairs(weights) do
    if i ~= expected then
      error("pairs visited " .. name .. " at place " .. expected)
    end
    expected = expected + 1
    h = (h * 31 + i * (view.round + 1)) % 1000003
  end
  return { { action = "set_model_price", usd_per_mtok = 1 + h % 9 } }
end
