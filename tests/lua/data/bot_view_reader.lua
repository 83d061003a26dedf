-- Test fixture: keeps the first view unread, then checks in the next call that
-- its parts expired (read nil), and reads every part of the current view.
local kept = nil

function decide(view)
  local out = {}
  if kept == nil then
    kept = view -- read nothing from it now
    return out
  else
    -- A view from an earlier call must read nil, never stale memory.
    out[#out + 1] = { action = "set_intelligence", usd_b = (kept.others == nil and kept.self == nil) and 1 or 0 }
  end
  local spec = catalogue.by_name.set_export_tier
  assert(#catalogue > 20, "catalogue lists the actions")
  assert(spec.params[2].name == "tier" and spec.params[2].max == 3, "catalogue exposes ranges")
  assert(view.self.id == "us" and view.self.policy.export_tier.CN == 1, "self and its standing policy")
  assert(#view.others == 7 and view.others[1].id == "cn", "others in scenario order")
  assert(view.indicators.shares.ROW.US > 0, "indicators")
  assert(type(view.events) == "table", "events")
  return out
end
