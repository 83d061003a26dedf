return {
  extends = "../minimal.lua",
  actors = {
    { id = "us_lab",
      capability_oom = "high" },
  },
}
