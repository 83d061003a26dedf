return { extends = "cycle_b.lua", name = "a" }
