-- Orders a vendor-only action from a government seat.
function decide(view)
  return { { action = "set_chip_price", usd_per_h100e = 20000 } }
end
