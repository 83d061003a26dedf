-- Tries to load hand-made bytecode.
function decide(view)
  local f = assert(load("\27Lua\84\0\25\147\13\10\26\10\4\8\8xV\0\0\0\0\0\0\0\0\0\0\0(w@"))
  return f()
end
