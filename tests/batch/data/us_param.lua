-- A US government bot whose knobs a sweep may set (tests/batch): the tight
-- line with the enforcement level and the CN export tier as parameters.
local ENFORCEMENT_USD_B = param("enforcement_usd_b", 4)
local EXPORT_TIER_CN = param("export_tier_cn", 0)

function init(info)
  assert(info.kind == "government" and info.bloc == "US", "us_param plays the US government")
end

local opened = false

function decide(view)
  if opened then
    return {}
  end
  opened = true
  return {
    { action = "set_export_tier", target = "CN", tier = EXPORT_TIER_CN },
    { action = "set_enforcement", usd_b = ENFORCEMENT_USD_B },
  }
end
