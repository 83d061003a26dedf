-- Grows a global table of big strings until memory runs out.
hoard = {}
function decide(view)
  local i = 0
  while true do
    i = i + 1
    hoard[#hoard + 1] = string.rep("x", 100000) .. i
  end
end
