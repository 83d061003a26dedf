-- Returns orders whose metatables loop forever on every metamethod the host
-- could trigger while reading them.
local function forever() while true do end end
local trap = { __index = forever, __newindex = forever, __len = forever, __pairs = forever,
               __tostring = forever, __eq = forever, __call = forever, __name = "trap" }

function decide(view)
  return setmetatable({ setmetatable({}, trap) }, trap)
end
