-- Reports the parameters it read through its orders' values (tests/batch).
local a = param("alpha", 1)
local b = param("whole", 2)
local got = { a = a, b = b, b_type = math.type(b) }

function init(info)
  GOT = got
end

function decide(view)
  error(string.format("alpha=%s whole=%s type=%s", tostring(got.a), tostring(got.b), got.b_type))
end
