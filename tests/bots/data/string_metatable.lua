-- Tries to change how every string behaves.
function decide(view)
  setmetatable(getmetatable(""), { __index = function() return "hijacked" end })
  return {}
end
