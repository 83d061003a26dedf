-- Returns a number instead of a list of orders.
function decide(view)
  return 42
end
