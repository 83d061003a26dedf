return {
  name = "bad event", start = "2026Q3", rounds = 4,
  actors = { { id = "us", kind = "government", bloc = "US" } },
  markets = {
    US = { share = { US = 1 } }, CN = { share = { CN = 1 } },
    EU = { share = { EU = 1 } }, ROW = { share = { US = 1 } },
  },
  events = {
    { id = "fine", effects = { { target = "us", field = "cash_usd_b", op = "add", value = 1 } } },
    { id = "typo", effects = { { target = "xx", field = "cash_usd_b", op = "add", value = 1 } } },
  },
}
