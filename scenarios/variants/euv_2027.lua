-- Variant: China's domestic EUV line is in production in 2027.
--
-- Question: what if China's own lithography works years early? Reports in
-- late 2025 described a domestic EUV prototype, with working chips aimed at
-- 2028-2030; the base scenario gives that breakthrough a 4% chance a quarter
-- once China has put $30B into fabs. Here it happens in 2027Q1 for certain:
-- the new line adds about 30% to the domestic vendor's output at once and
-- doubles the EUV multiplier, which adds euv_growth_bonus (8%) a quarter to
-- its capacity growth from then on.
--
-- What changes: the euv_breakthrough event only (probability 1, in 2027Q1,
-- no condition, one more effect). Everything else is scenarios/2028.lua.
-- Expected direction (tests/scenarios/variants_test.cpp): the Chinese
-- vendor's output in 2028 is well above the base's, and the US:CN compute
-- ratio is no higher. Domestic output is a small share of China's compute,
-- so the lead moves little: the paper's point that compute access, not
-- domestic fabs, decides 2028.
return {
  extends = "../2028.lua",
  name = "2028-euv-2027",
  description = "China's domestic EUV line enters production in 2027Q1",
  events = {
    {
      id = "euv_breakthrough",
      probability = 1,
      first = "2027Q1",
      last = "2027Q1",
      conditions = {},
      effects = {
        { target = "cn_vendor", field = "euv_multiplier", op = "set", value = 2 },
        { target = "cn_vendor", field = "capacity_h100e", op = "mul", value = 1.3 },
      },
    },
  },
}
