-- The US seat's bot asserts it plays a lab: it fails to load.
return {
  extends = "../../../scenarios/2028.lua",
  name = "2028-wrong-bot",
  actors = {
    { id = "us", bot = "scripts/bots/lab_racer.lua" },
  },
}
