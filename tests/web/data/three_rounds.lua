-- The default scenario cut to three rounds, for the browser tests (a whole
-- game in a few minutes of test time). Everything else is scenarios/2028.lua.
return {
  extends = "../../../scenarios/2028.lua",
  name = "2028-three-rounds",
  description = "The 2028 scenario, three rounds (browser tests)",
  rounds = 3,
}
