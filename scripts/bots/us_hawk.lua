-- us_hawk: the paper's tight line for the US government (scenarios/lines/tight.lua).
-- Strategy: ban high-end chips to China (tier 0), fund enforcement against
-- smuggling, close offshore cloud access to Chinese labs (KYC), outlaw
-- distillation, share threat intelligence between labs, and promote the
-- American stack in the rest of the world. Orders are standing settings, so
-- the bot opens with the whole line and afterwards only reacts to news:
-- each public smuggling case adds a little enforcement, up to a ceiling.
-- Seat: the US government (info.kind == "government", info.bloc == "US").
-- Copy and edit: every number below is a knob; sweeps set them by name
-- (bot.us.enforcement_usd_b, ...; see docs/sweeps.md).
local EXPORT_TIER_CN = param("export_tier_cn", 0) -- 0 ban, 1 downgraded chips only, 2 licensed, 3 open
local ENFORCEMENT_USD_B = param("enforcement_usd_b", 4) -- $B a quarter against smuggling
local ENFORCEMENT_STEP_USD_B = param("enforcement_step_usd_b", 0.5) -- added after each exposed smuggling case
local ENFORCEMENT_MAX_USD_B = param("enforcement_max_usd_b", 6) -- never spend more than this
local CLOUD_KYC = param("cloud_kyc", 1) -- share of offshore hub capacity closed to Chinese labs
local ROW_PROMOTION_USD_B = param("row_promotion_usd_b", 2) -- promotion of the US stack in the ROW market

local enforcement = ENFORCEMENT_USD_B
local opened = false

function init(info)
  assert(info.kind == "government" and info.bloc == "US", "us_hawk plays the US government")
end

function decide(view)
  if not opened then
    opened = true
    return {
      { action = "set_export_tier", target = "CN", tier = EXPORT_TIER_CN },
      { action = "set_enforcement", usd_b = enforcement },
      { action = "set_cloud_kyc", strength = CLOUD_KYC },
      { action = "set_anti_distillation_law", on = true },
      { action = "set_threat_intel_sharing", on = true },
      { action = "set_export_promotion", market = "ROW", usd_b = ROW_PROMOTION_USD_B },
    }
  end
  -- Standing orders persist; respond only to smuggling news (view.events is
  -- an array, so ipairs keeps the reaction deterministic).
  for _, e in ipairs(view.events) do
    if e.kind == "smuggling_case" and enforcement < ENFORCEMENT_MAX_USD_B then
      enforcement = math.min(ENFORCEMENT_MAX_USD_B, enforcement + ENFORCEMENT_STEP_USD_B)
      return { { action = "set_enforcement", usd_b = enforcement } }
    end
  end
  return {}
end
