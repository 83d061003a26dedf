return {
  name = "bad shares", start = "2026Q3", rounds = 4,
  actors = { { id = "us", kind = "government", bloc = "US" } },
  markets = {
    US = { share = { US = 1 } }, CN = { share = { CN = 1 } },
    EU = { share = { US = 0.6, EU = 0.3 } }, ROW = { share = { US = 1 } },
  },
}
