-- Sorts 300 records by a key with hundreds of ties every round and prices
-- from the order it gets. Stock Lua's table.sort is not stable, and once a
-- partition comes out lopsided it takes its pivots from clock() and time(),
-- so the order (and the price) could differ between two runs of one match.
-- The sandbox's sort must give the stable order every time; anything else
-- faults here.
local function records()
  local list = {}
  for i = 1, 300 do
    list[i] = { key = i % 3 + 1, id = i }
  end
  -- Low keys where stock Lua takes its median-of-three pivot (first and
  -- middle) leave its first partition lopsided.
  list[1].key = 0
  list[150].key = 0
  return list
end

function decide(view)
  local list = records()
  table.sort(list, function(a, b) return a.key < b.key end)
  local h = 0
  for pos, r in ipairs(list) do
    local prev = list[pos - 1]
    if prev and (prev.key > r.key or (prev.key == r.key and prev.id > r.id)) then
      error("table.sort is not stable at position " .. pos)
    end
    h = (h * 31 + r.id) % 1000003
  end
  return { { action = "set_model_price", usd_per_mtok = 1 + h % 9 } }
end
