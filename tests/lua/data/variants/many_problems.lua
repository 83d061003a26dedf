-- Three independent problems: a check reports all of them.
return {
  name = "many problems", start = "2026Q3", rounds = 4,
  coefficients = {
    distill_k = 3,
    months_per_oom = 12,
  },
  actors = {
    { id = "us", kind = "government", bloc = "US" },
    { id = "fed", kind = "bank", bloc = "US" },
  },
  markets = {
    US = { share = { US = 1 } }, CN = { share = { CN = 1 } },
    EU = { share = { EU = 0.5 } }, ROW = { share = { US = 1 } },
  },
}
