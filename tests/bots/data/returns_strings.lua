-- Returns a table of strings instead of order tables.
function decide(view)
  return { "set_export_tier", "CN", "0" }
end
