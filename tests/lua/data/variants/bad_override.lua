return {
  extends = "../minimal.lua",
  name = "bad override",
  coefficients = {
    distill_k = 2,
  },
}
