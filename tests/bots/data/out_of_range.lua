-- Orders enforcement far above the catalogue's range.
function decide(view)
  return { { action = "set_enforcement", usd_b = 1000 } }
end
