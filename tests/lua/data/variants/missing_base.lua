return { extends = "no_such_base.lua", name = "orphan" }
