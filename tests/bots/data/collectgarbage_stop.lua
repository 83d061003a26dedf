-- Tries to stop the garbage collector.
function decide(view)
  collectgarbage("stop")
  return {}
end
