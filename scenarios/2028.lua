-- The default Leadtime scenario: the AI race from mid-2026 to the end of 2028.
--
-- Built on the policy paper "2028: Two Scenarios for Global AI Leadership"
-- (May 2026) and the public estimates listed in docs/engine.md. Units:
-- compute in H100-equivalents (H100e), money in billions of US dollars ($B),
-- capability in orders of magnitude (OOM) of effective training FLOP. One round
-- is one quarter. Every coefficient names the figure it was calibrated to;
-- tests/engine/calibration_test.cpp holds the targets.
return {
  name = "2028",
  description = "Export controls, smuggling, offshore compute and distillation in the race to 2028",
  start = "2026Q3",
  rounds = 10, -- 2026Q3 .. 2028Q4: the paper's horizon, when transformative AI is expected

  coefficients = {
    months_per_oom = 12, -- the frontier gains about 1 OOM of effective compute a year
    -- An H100 gives ~1e15 dense FLOP/s x 40% utilisation x 7.9e6 s a quarter =
    -- 3e21 FLOP; the largest single run uses ~3% of a lab's training fleet.
    flop_log10_per_h100e = 20,
    depreciation = 0.05, -- ~5-year useful life of an accelerator

    -- Legal flows. Tier 1 = H20-class chips, counted at ~0.25 H100e a chip
    -- and sold at ~0.375 of an H100e's list price a chip: 1.5x list per H100e.
    downgraded_price_factor = 1.5,
    downgraded_budget_share = 0.35, -- labs want full-performance fleets
    licensed_h100e_per_chip = 0.7, -- an H200 sold under licence, as counted by the paper
    -- ~10 firms cleared to buy the H200 (the lax line) at ~25k chips a quarter
    -- each: ~175k H100e a quarter, the size of the reported orders.
    licence_chips_per_firm = 25000,

    -- Chinese domestic output: ~4% of the leading US vendor's compute output
    -- in 2026 and ~2% in 2027 (the paper), as HBM stockpiles run down and tool
    -- controls bite; fab investment slowly restores growth.
    cn_base_growth = -0.03,
    cn_invest_growth = 0.04,
    cn_invest_scale_usd_b = 40,
    tool_alignment_drag = 0.015, -- EU/Dutch lithography and servicing controls
    euv_growth_bonus = 0.08, -- a working domestic EUV line (the reported prototype)
    capacity_invest_growth = 0.05,
    capacity_invest_half_usd_b = 10,

    -- Smuggling: 2024 estimates put smuggled chips near 10% (1-40%) of China's
    -- new AI compute; the largest public case was ~$2.5B of diverted servers.
    smuggling_markup = 2,
    enforcement_half_usd_b = 2,
    eu_alignment_enforcement_usd_b = 1,
    exposure_per_usd_b = 0.1,
    exposure_enforcement_ref_usd_b = 2,
    case_max_usd_b = 3,
    case_seized_share = 0.3,
    case_fine_usd_b = 0.5,
    case_political_gain = 1,

    offshore_sea_share_max = 0.5, -- hubs also serve local and Western customers

    -- Algorithmic progress ~3x a year (0.5 OOM) plus compute growth gives the
    -- ~1 OOM a year frontier pace.
    talent_drift_oom = 0,
    talent_noise_oom = 0.03,
    accel_threshold_oom = 27.5, -- ~3e27 effective FLOP (2027-28): AI automates much of AI research
    accel_multiplier = 2,

    -- Distillation: an undefended campaign closes most of the gap within a
    -- year (the paper's account of near-parity under lax enforcement).
    distill_k = 0.85,
    distill_margin_oom = 0.1,
    distill_base_defence = 0.1,
    -- A lab alone bans the accounts it catches, but a campaign run through
    -- thousands of fraudulent accounts and resellers registers new ones (the
    -- paper's account of distillation, and US labs' public reports of it in
    -- 2025-26): its own defence counts for little. A law and shared threat
    -- intelligence reach the operators behind the accounts. So a US lab
    -- defending on its own under the lax line still sees near-parity, as the
    -- paper's second scenario has it (docs/engine.md, "Parity with bots").
    distill_api_defence_scale = 0.5,
    distill_law_defence = 4,
    distill_intel_defence = 3,
    distill_cost_usd_b = 0.5,
    distill_detect_p = 0.3,
    defence_half_usd_b = 1,
    defence_adjust = 0.5,

    theft_base_p = 0.15,
    cyber_half_usd_b = 1,
    theft_discovery_p = 0.5,

    open_lag_oom = 0.3,
    open_price_factor = 0.5,

    -- Adoption: capability dominates, price matters (Chinese models sell at a
    -- fraction of US prices), promotion and subsidies help at the margin.
    adopt_capability = 3,
    adopt_price = 0.8,
    adopt_promotion = 0.5,
    adopt_network = 2,
    adopt_inertia = 0.2,
    adopt_sovereignty = 0.6,
    sovereignty_ref_usd_b = 5,
    -- A EUR 20B programme for ~5 gigafactories of ~100k chips: about half the
    -- money buys chips, ~0.5M chips over the horizon at most.
    sovereignty_compute_share = 0.5,
    adopt_regulation = 0.8,
    local_preference = {
      US = { US = 2, CN = -4, EU = 0 }, -- security reviews keep Chinese AI out of US enterprise
      CN = { US = -3, CN = 3, EU = -3 }, -- licensing of foreign models, the Great Firewall
      EU = { US = 0.5, CN = -2, EU = 1 },
      ROW = { US = 0, CN = 0, EU = -1 },
    },

    lab_margin = 0.3,
    political_cost_loosening = 1,
    lobbying_half_usd_b = 0.5,
    view_noise = 0.3,
    intel_half_usd_b = 0.5,
  },

  actors = {
    {
      id = "us", name = "United States", kind = "government", bloc = "US",
      bot = "scripts/bots/us_hawk.lua",
      cash_usd_b = 20, budget_usd_b = 20,
      orders = {
        -- Mid-2026: H20-class chips allowed, thin enforcement, no cloud rule.
        { action = "set_export_tier", target = "CN", tier = 1 },
        { action = "set_enforcement", usd_b = 1 },
        { action = "set_cloud_kyc", strength = 0.3 },
        { action = "set_export_promotion", market = "ROW", usd_b = 1 },
      },
      objectives = { { metric = "lead_months", weight = 1 }, { metric = "own_global_share", weight = 20 },
                     { metric = "political_capital", weight = 1 } },
    },
    {
      id = "cn", name = "China", kind = "government", bloc = "CN",
      bot = "scripts/bots/cn_shortcut.lua",
      cash_usd_b = 25, budget_usd_b = 25,
      orders = {
        { action = "set_fab_investment", usd_b = 8 }, -- Big Fund III scale, ~$47B over several years
        { action = "set_smuggling", usd_b = 0.5 },
        { action = "set_offshore_rental", usd_b = 0.5 },
        { action = "set_export_promotion", market = "ROW", usd_b = 1 },
      },
      objectives = { { metric = "lead_months", weight = -1 }, { metric = "own_global_share", weight = 20 },
                     { metric = "own_row_share", weight = 10 } },
    },
    {
      id = "eu", name = "European Union", kind = "government", bloc = "EU",
      bot = "scripts/bots/eu_sovereign.lua",
      cash_usd_b = 8, budget_usd_b = 8,
      orders = {
        { action = "set_sovereignty_investment", usd_b = 2 },
        { action = "set_regulation", strictness = 0.5 }, -- the AI Act in force
      },
      objectives = { { metric = "own_home_share", weight = 20 }, { metric = "own_global_share", weight = 10 },
                     { metric = "norm_index", weight = 5 } },
    },
    {
      id = "us_vendor", name = "US chip designer", kind = "vendor", bloc = "US",
      bot = "scripts/bots/vendor_revenue.lua",
      cash_usd_b = 50,
      -- ~12M H100e of output in the year to mid-2026, growing ~2.4x a year in
      -- H100e terms as Blackwell and Rubin ramp (more H100e per package).
      capacity_h100e = 3.0e6, capacity_growth = 0.25,
      orders = {
        { action = "set_chip_price", usd_per_h100e = 20000 }, -- ~$40k a B200 of ~2 H100e
        { action = "set_compliant_chip", on = true },
      },
      objectives = { { metric = "own_revenue_usd_b", weight = 0.1 } },
    },
    {
      id = "cn_vendor", name = "Chinese chip designer", kind = "vendor", bloc = "CN",
      bot = "scripts/bots/vendor_complier.lua",
      cash_usd_b = 5,
      -- ~4% of the US vendor: at most ~200k Ascend chips in 2025 (a US
      -- official's estimate), ~0.5M H100e a year in 2026.
      capacity_h100e = 1.2e5, capacity_growth = 0,
      orders = { { action = "set_chip_price", usd_per_h100e = 15000 } },
      objectives = { { metric = "own_revenue_usd_b", weight = 1 } },
    },
    {
      id = "us_lab", name = "US frontier lab", kind = "lab", bloc = "US",
      bot = "scripts/bots/lab_safety.lua",
      -- The US held ~75% of the world's GPU-cluster performance in 2025.
      compute_h100e = 15e6, capability_oom = 26.78, alg_growth_oom = 0.1,
      cash_usd_b = 20, funding_usd_b = 35, funding_growth = 0.03,
      api_defence = 0.1, weight_security = 0.3,
      orders = {
        { action = "set_chip_budget", share = 0.8 },
        { action = "set_training_share", share = 0.4 },
        { action = "set_api_defence", usd_b = 0.2 },
        { action = "set_weight_security", usd_b = 0.5 },
        { action = "set_model_price", usd_per_mtok = 10 },
        { action = "set_safety_investment", usd_b = 0.5 },
      },
      objectives = { { metric = "own_capability_oom", weight = 5 }, { metric = "own_global_share", weight = 10 } },
    },
    {
      id = "cn_lab", name = "Chinese frontier lab", kind = "lab", bloc = "CN",
      bot = "scripts/bots/lab_racer.lua",
      -- ~15% of world compute in 2025; frontier models ~7 months behind.
      compute_h100e = 3.0e6, capability_oom = 26.13, alg_growth_oom = 0.075, alg_efficiency_oom = 0.05,
      cash_usd_b = 5, funding_usd_b = 6, funding_growth = 0.05,
      api_defence = 0.1, weight_security = 0.2,
      orders = {
        { action = "set_chip_budget", share = 0.8 },
        { action = "set_training_share", share = 0.4 },
        { action = "set_model_price", usd_per_mtok = 2 },
        { action = "set_open_weights", on = true }, -- DeepSeek and Qwen release open weights
      },
      objectives = { { metric = "own_capability_oom", weight = 5 }, { metric = "own_global_share", weight = 10 } },
    },
    {
      id = "eu_lab", name = "European lab", kind = "lab", bloc = "EU",
      bot = "scripts/bots/lab_open.lua",
      compute_h100e = 0.8e6, capability_oom = 25.6, alg_growth_oom = 0.09,
      cash_usd_b = 2, funding_usd_b = 3, funding_growth = 0.04,
      api_defence = 0.2, weight_security = 0.3,
      orders = {
        { action = "set_chip_budget", share = 0.8 },
        { action = "set_training_share", share = 0.4 },
        { action = "set_model_price", usd_per_mtok = 6 },
      },
      objectives = { { metric = "own_capability_oom", weight = 5 }, { metric = "own_home_share", weight = 10 } },
    },
  },

  -- AI services revenue, $B a quarter, growing ~35% a year.
  markets = {
    US = { size_usd_b = 40, growth = 0.08, share = { US = 0.92, CN = 0.01, EU = 0.07 } },
    CN = { size_usd_b = 15, growth = 0.08, share = { US = 0.05, CN = 0.93, EU = 0.02 } },
    EU = { size_usd_b = 15, growth = 0.08, share = { US = 0.7, CN = 0.05, EU = 0.25 } },
    ROW = { size_usd_b = 20, growth = 0.08, share = { US = 0.55, CN = 0.3, EU = 0.15 } },
  },

  -- Southeast Asian data-centre hubs (Malaysia, Singapore, Thailand).
  hubs = { compute_h100e = 1.0e6, capex_usd_b = 3, rent_usd_per_h100e = 4000 }, -- ~$1.8/GPU-hour

  events = {
    {
      id = "euv_breakthrough", probability = 0.04, first = "2027Q1", once = true,
      text = "China's domestic EUV lithography line enters production",
      conditions = { { target = "cn", field = "cum_fab_investment_usd_b", op = ">=", value = 30 } },
      effects = { { target = "cn_vendor", field = "euv_multiplier", op = "set", value = 2 } },
    },
    {
      id = "hbm_shortage", probability = 0.05, first = "2026Q4", once = true,
      text = "HBM shortage: Chinese accelerator output cut",
      effects = { { target = "cn_vendor", field = "capacity_h100e", op = "mul", value = 0.9 } },
    },
    {
      id = "fab_disruption", probability = 0.02, once = true,
      text = "Earthquake disrupts advanced packaging in Taiwan",
      effects = { { target = "us_vendor", field = "capacity_h100e", op = "mul", value = 0.9 } },
    },
    {
      id = "gulf_hubs", probability = 0.05, first = "2027Q1", once = true,
      text = "New Gulf and Southeast Asian data centres come online",
      effects = { { target = "SEA", field = "compute_h100e", op = "add", value = 3e5 } },
    },
    {
      id = "talent_return", probability = 0.03, once = true, visibility = "private", audience = { "cn" },
      text = "Returning researchers strengthen the Chinese lab",
      effects = { { target = "cn_lab", field = "alg_growth_oom", op = "add", value = 0.01 } },
    },
  },
}
