-- Test fixture: decides fine, then fails in on_result after every round.
function decide(view)
  return {}
end

function on_result(view)
  error("on_result exploded")
end
