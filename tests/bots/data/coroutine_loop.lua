-- Spins inside coroutines: one never yields, one yields forever.
function decide(view)
  local forever = coroutine.wrap(function() while true do coroutine.yield() end end)
  for _ = 1, 3 do forever() end
  coroutine.wrap(function() while true do end end)()
end
