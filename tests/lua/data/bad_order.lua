return {
  name = "bad order", start = "2026Q3", rounds = 4,
  actors = {
    { id = "us", kind = "government", bloc = "US",
      orders = {
        { action = "set_enforcement", usd_b = 1 },
        { action = "set_export_tier", target = "CN", tier = 5 },
      } },
  },
  markets = {
    US = { share = { US = 1 } }, CN = { share = { CN = 1 } },
    EU = { share = { EU = 1 } }, ROW = { share = { US = 1 } },
  },
}
