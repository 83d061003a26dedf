-- Two rounds: the base's "leak" event (2026Q4 to 2027Q1) no longer fits.
return { extends = "../minimal.lua", rounds = 2 }
