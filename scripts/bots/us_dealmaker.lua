-- us_dealmaker: the paper's lax line for the US government (scenarios/lines/lax.lua).
-- Strategy: sell China licensed high-end chips (tier 2 with about ten
-- licensed firms), keep enforcement thin, no cloud KYC rule, no
-- anti-distillation law, no threat-intelligence sharing, and only token
-- promotion of the US stack abroad. It adapts a little: if the public
-- estimate of the US lead turns clearly negative (China ahead), it stops
-- issuing new licences and doubles enforcement once; it never reverts.
-- Seat: the US government.
-- Copy and edit: every number below is a knob.
local EXPORT_TIER_CN = 2 -- licensed high-end chips
local LICENSED_FIRMS = 10 -- Chinese firms cleared to buy
local ENFORCEMENT_USD_B = 0.3
local CLOUD_KYC = 0
local ROW_PROMOTION_USD_B = 0.5
local ALARM_LEAD_MONTHS = -6 -- public lead estimate that triggers the one-off rethink
local ALARM_LICENSED_FIRMS = 5
local ALARM_ENFORCEMENT_USD_B = 0.6

local opened = false
local alarmed = false

function init(info)
  assert(info.kind == "government" and info.bloc == "US", "us_dealmaker plays the US government")
end

function decide(view)
  if not opened then
    opened = true
    return {
      { action = "set_export_tier", target = "CN", tier = EXPORT_TIER_CN },
      { action = "set_export_licences", firms = LICENSED_FIRMS },
      { action = "set_enforcement", usd_b = ENFORCEMENT_USD_B },
      { action = "set_cloud_kyc", strength = CLOUD_KYC },
      { action = "set_anti_distillation_law", on = false },
      { action = "set_threat_intel_sharing", on = false },
      { action = "set_export_promotion", market = "ROW", usd_b = ROW_PROMOTION_USD_B },
    }
  end
  if not alarmed and view.indicators.lead_months < ALARM_LEAD_MONTHS then
    alarmed = true
    return {
      { action = "set_export_licences", firms = ALARM_LICENSED_FIRMS },
      { action = "set_enforcement", usd_b = ALARM_ENFORCEMENT_USD_B },
    }
  end
  return {}
end
