-- Tries to read a file.
function decide(view)
  local f = io.open("/etc/passwd", "r")
  return { { action = "set_enforcement", usd_b = #f:read("a") } }
end
