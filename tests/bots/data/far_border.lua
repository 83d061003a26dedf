-- A table whose border lies far beyond its forty-one entries (one
-- constructor puts every key in the hash part, where the length operator
-- searches by doubling), then an insert at the front that would shift every
-- slot up to it.
function decide(view)
  local keys = {}
  local i = 1
  while i <= (1 << 40) do
    keys[#keys + 1] = "[" .. i .. "] = true"
    i = i * 2
  end
  local t = load("return {" .. table.concat(keys, ",") .. "}")()
  table.insert(t, 1, "x")
  return {}
end
