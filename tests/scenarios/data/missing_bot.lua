return {
  extends = "../../../scenarios/2028.lua",
  name = "2028-missing-bot",
  actors = {
    { id = "us", bot = "scripts/bots/no_such_bot.lua" },
  },
}
