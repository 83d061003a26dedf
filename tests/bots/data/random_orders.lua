-- Sets a random API price every round: the draws must replay with the seed.
function decide(view)
  return { { action = "set_model_price", usd_per_mtok = 1 + math.random() * 9 } }
end
