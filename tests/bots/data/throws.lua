-- Raises an error every round.
function decide(view)
  error("deliberate failure in round " .. view.round)
end
