return {
  orders = {
    us = { { action = "set_enforcement", usd_b = 4 } },
    xx = { { action = "set_enforcement", usd_b = 4 } },
  },
}
