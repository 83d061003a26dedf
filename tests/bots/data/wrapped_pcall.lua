-- Runs an endless loop inside pcall inside a coroutine, catching the budget
-- error and starting again.
function decide(view)
  while true do
    coroutine.wrap(pcall)(function() while true do end end)
  end
end
