-- Compares two long strings forever: each comparison is one VM instruction
-- but a pass over megabytes in C, so the instruction budget lasts seconds
-- and only the sandbox's CPU-time limit stops the call.
local s = string.rep("a", 2 << 20)

function decide(view)
  while true do
    if s < s then
      return {}
    end
  end
end
