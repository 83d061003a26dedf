return {
  name = "typo", start = "2026Q3", rounds = 4,
  actors = {
    { id = "us", kind = "government", bloc = "US", budget_usd_b = 10 },
    { id = "cn", kind = "government", bloc = "CN", buget_usd_b = 10 },
  },
  markets = {
    US = { share = { US = 1 } }, CN = { share = { CN = 1 } },
    EU = { share = { EU = 1 } }, ROW = { share = { US = 1 } },
  },
}
