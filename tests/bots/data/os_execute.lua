-- Tries to run a shell command.
function decide(view)
  os.execute("echo pwned > /tmp/leadtime_pwned")
  return {}
end
