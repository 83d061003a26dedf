-- Variant: an open-weights surge: the US frontier lab releases its models'
-- weights.
--
-- Question: what if the leading US lab goes open, as US policy has at times
-- encouraged (the 2025 AI Action Plan backed open-weight models)? A
-- released model sets a capability floor for every lab, open_lag_oom (0.3
-- OOM, about 4 months) below the releaser, and makes its bloc's stack
-- cheaper. The Chinese lab no longer needs smuggled chips or distillation to
-- stay close: it starts from the open US model.
--
-- What changes: the US lab's default bot is lab_open (open weights on, API
-- at $1 per million tokens) instead of lab_safety.
-- Expected direction (tests/scenarios/variants_test.cpp): the lead at the
-- end of 2028 is far below the base's (at most about 4 months), and the most
-- capable open model is more capable than in the base.
return {
  extends = "../2028.lua",
  name = "2028-open-weights-surge",
  description = "The US frontier lab releases open weights",
  actors = {
    { id = "us_lab", bot = "scripts/bots/lab_open.lua" },
  },
}
