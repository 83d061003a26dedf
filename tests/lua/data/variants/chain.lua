-- Extends a variant: the chain is chain.lua -> variant.lua -> ../minimal.lua.
return {
  extends = "variant.lua",
  name = "minimal-chain",
  rounds = 8,
  events = { { id = "leak", last = "2027Q4" } },
}
