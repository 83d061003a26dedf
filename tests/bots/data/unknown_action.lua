-- Orders an action the catalogue does not have.
function decide(view)
  return { { action = "launch_missiles", target = "CN" } }
end
