-- Tries to load a native module.
function decide(view)
  local socket = require("socket")
  return {}
end
