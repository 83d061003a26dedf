function decide(view)
  return { { action = "set_model_price"  usd_per_mtok = 1 } }
end
