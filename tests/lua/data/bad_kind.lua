return {
  name = "bad kind", start = "2026Q3", rounds = 4,
  actors = {
    { id = "us", kind = "government", bloc = "US" },
    { id = "us_lab", kind = "lab", bloc = "US" },
    { id = "fed", kind = "bank", bloc = "US" },
  },
  markets = {
    US = { share = { US = 1 } }, CN = { share = { CN = 1 } },
    EU = { share = { EU = 1 } }, ROW = { share = { US = 1 } },
  },
}
