-- Variant: a Taiwan Strait crisis cuts the leading foundry's output for three
-- quarters.
--
-- Question: what if a quarantine of Taiwan stops most advanced-node wafers
-- and packaging from 2027Q2 to the end of 2027? Almost every leading AI chip
-- (the US vendor's included) is made in Taiwan, so the US vendor's output
-- falls to a quarter of its capacity while the crisis lasts; the strait
-- reopens in 2028Q1 and output returns to its trend (capacity keeps growing
-- underneath: the lost quarters are lost, the fabs are not). China's
-- domestic vendor makes its chips at home and is not hit.
--
-- What changes: two scheduled events, strait_crisis and strait_reopens.
-- Expected direction (tests/scenarios/variants_test.cpp): the US vendor
-- ships less in 2027, the US:CN compute ratio at the end of 2028 is lower
-- than the base's, and the lead is no longer.
return {
  extends = "../2028.lua",
  name = "2028-taiwan-crisis",
  description = "A Taiwan Strait crisis cuts the leading foundry's output from 2027Q2 to 2027Q4",
  events = {
    {
      id = "strait_crisis",
      text = "Taiwan Strait crisis: a quarantine cuts advanced chip output and packaging",
      probability = 1,
      first = "2027Q2",
      last = "2027Q2",
      effects = { { target = "us_vendor", field = "capacity_h100e", op = "mul", value = 0.25 } },
    },
    {
      id = "strait_reopens",
      text = "The Taiwan Strait reopens; foundry output returns to trend",
      probability = 1,
      first = "2028Q1",
      last = "2028Q1",
      effects = { { target = "us_vendor", field = "capacity_h100e", op = "mul", value = 4 } },
    },
  },
}
