-- The US seat's bot orders out of range every round: it faults, the match goes on.
return {
  extends = "../../../scenarios/2028.lua",
  name = "2028-faulting-bot",
  actors = {
    { id = "us", bot = "tests/bots/data/out_of_range.lua" },
  },
}
