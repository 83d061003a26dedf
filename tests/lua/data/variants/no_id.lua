return {
  extends = "../minimal.lua",
  actors = {
    { id = "us", cash_usd_b = 30 },
    { cash_usd_b = 5 },
  },
}
