-- Raises an error object whose __tostring never returns.
function decide(view)
  error(setmetatable({}, { __tostring = function() while true do end end }))
end
