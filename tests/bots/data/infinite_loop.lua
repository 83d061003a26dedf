-- Never returns.
function decide(view)
  while true do end
end
