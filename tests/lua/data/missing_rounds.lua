return {
  name = "no rounds", start = "2026Q3",
  actors = { { id = "us", kind = "government", bloc = "US" } },
  markets = {
    US = { share = { US = 1 } }, CN = { share = { CN = 1 } },
    EU = { share = { EU = 1 } }, ROW = { share = { US = 1 } },
  },
}
