-- Test fixture: calls the view's and self's __index by hand on other values
-- (numbers, strings, other tables, a self kept from an earlier call): each
-- reads nil and nothing breaks; the current view and self still build, and
-- a part never read from a kept self (spent) reads nil.
local kept_self = nil

local function all_nil(index, targets, key)
  for _, target in ipairs(targets) do
    local ok, value = pcall(index, target, key)
    if not ok or value ~= nil then return false end
  end
  return true
end

function decide(view)
  local view_index = getmetatable(view).__index
  local good = all_nil(view_index, { 1, "x", true, {}, kept_self or {} }, "self")
  local self = view.self
  local self_index = getmetatable(self).__index
  good = good and all_nil(self_index, { 1, "x", {}, view, kept_self or {} }, "policy")
  if kept_self ~= nil then good = good and kept_self.spent == nil and kept_self ~= self end
  good = good and self.policy ~= nil and view_index(view, "others") ~= nil and view.others ~= nil
  kept_self = self
  return { { action = "set_intelligence", usd_b = good and 1 or 0 } }
end
