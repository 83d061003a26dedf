return { extends = "cycle_a.lua", name = "b" }
