return {
  extends = "../minimal.lua",
  events = {
    { id = "nothing", remove = true },
  },
}
