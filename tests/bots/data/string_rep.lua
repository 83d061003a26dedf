-- Asks for a gigabyte string.
function decide(view)
  local s = string.rep("x", 1000000000)
  return { { action = "set_enforcement", usd_b = #s } }
end
