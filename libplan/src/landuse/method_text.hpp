#pragma once
// The built-in methods, embedded so that `--method zhejiang` works without the
// data folder. They must equal data/methods/*.toml byte for byte (a test checks);
// regenerate with scripts/embed_methods.py after editing those files.
namespace plan::landuse::detail {
inline constexpr const char* kZhejiangMethod = R"TOML(# 亩均效益综合评价, Zhejiang form (benchmark ratio).
# Sources (see docs/landuse-method.md and docs DOMAIN.md "Land efficiency"):
#   浙政发〔2018〕5号 (origin of 亩均论英雄); indicator set and weights as used by
#   黄岩 (Zhejiang, 2022): 规上 tax/mu 30, value added/mu 20, value added per
#   energy 20, per emission 10, labour productivity 10, R&D intensity 10;
#   missing emission data gets the group's average score for that item.
# Our assumptions are marked "ASSUMPTION".
[method]
name = "zhejiang"
title = "浙江 亩均效益评价 (基准比值法)"
classes = ["A", "B", "C", "D"]
# The evaluation year, read by rules as eval_year. ASSUMPTION: 2025, the data
# year of the sample city; set it for each round (or pass --year).
year = 2025

# Logical names used below -> columns of the enterprise table. Override any of
# them with `plan landuse --field NAME=COLUMN`. The defaults are the columns of
# the sample city's table (data/sample-city/README.md).
[fields]
id = "enterprise_id"
name = "name"
parcel = "parcel_id"
industry = "industry"
above_scale = "scale"         # 规上 / 规下 (or 1 / 是 = 规上, above designated size)
tax = "tax"                   # taxes actually paid, 万元/year
value_added = "value_added"   # industrial value added, 万元/year
revenue = "revenue"           # main business revenue, 万元/year
output = "revenue"            # the output figure of aggregates and zombie test
energy = "energy_tce"         # comprehensive energy use, tce/year
emission = "emissions"        # pollutant emission equivalent, t/year
employees = "employees"       # average employees
rd = "rd_spending"            # R&D spending, 万元/year
land_area = "land_mu"         # registered land area
accident = "accident"         # safety or environmental accident this year
founded = "founded"           # year established
landuse = "landuse"           # parcel layer: land-use class
park = "park"                 # parcel layer: industrial park name (when no --parks)
zone = "zone"                 # parcel layer: zone (片区) name (when no --zones)

[land]
# ASSUMPTION: the registered land area of the table is used when given (the
# practice is 不动产登记 land), else the parcel geometry; differences over 20 %
# are reported.
area = "table_else_geometry"
table_unit = "mu"
tolerance = 0.2
# DOMAIN.md: enterprises sharing one parcel share a result.
shared_parcel = "combine"

[defaults]
form = "benchmark_ratio"
benchmark = "mean"            # the scope group's mean
cap_factor = 2.0              # a sub-score is capped at 2 x weight
missing = "exclude"

[[group]]
id = "above_scale"
name = "规上"
# 规上 when the scale column says 规上 (or is a yes value: 1, 是, true).
when = "above_scale == '规上' or above_scale"
# ASSUMPTION: utilities (GB/T 4754 division 44-46) are measured, not graded.
exclude_industries = ["44", "45", "46", "电力、热力生产和供应业", "燃气生产和供应业", "水的生产和供应业"]
classes = { by = "rank_share", limits = [0.20, 0.60, 0.95] }

[[group.indicator]]
id = "tax_per_mu"
name = "亩均税收"
expr = "tax / land_mu"
weight = 30

[[group.indicator]]
id = "va_per_mu"
name = "亩均增加值"
expr = "value_added / land_mu"
weight = 20

[[group.indicator]]
id = "va_per_energy"
name = "单位能耗增加值"
expr = "value_added / energy"
weight = 20

[[group.indicator]]
id = "va_per_emission"
name = "单位排放增加值"
expr = "value_added / emission"
weight = 10
missing = "group_average"

[[group.indicator]]
id = "labour_productivity"
name = "全员劳动生产率"
expr = "value_added / employees"
weight = 10

[[group.indicator]]
id = "rd_intensity"
name = "研发经费投入强度"
expr = "rd / revenue"
weight = 10
# ASSUMPTION: no reported R&D spending scores 0 for this item.
missing = "zero"

[[group]]
id = "below_scale"
name = "规下"
min_land_mu = 3.0
exclude_industries = ["44", "45", "46", "电力、热力生产和供应业", "燃气生产和供应业", "水的生产和供应业"]
classes = { by = "rank_share", limits = [0.20, 0.60, 0.95] }

[[group.indicator]]
id = "tax_per_mu"
name = "亩均税收"
expr = "tax / land_mu"
weight = 100

[[veto]]
name = "安全环保事故"
when = "accident"
best = "C"

# A new enterprise was established in the evaluation year.
[[protect]]
name = "新建企业"
when = "founded >= eval_year"
worst = "C"

[zombie]
# ASSUMPTION: a zombie holds land with output under 5 万元 per mu a year.
when = "coalesce(output, 0) / land_mu < 5"
)TOML";
inline constexpr const char* kShandongMethod = R"TOML(# 亩均效益综合评价, Shandong form (min-max with a floor).
# Sources (see docs/landuse-method.md and DOMAIN.md "Land efficiency"):
#   鲁政字〔2019〕235号 (province-wide roll-out); min-max scoring with a floor as
#   used by 旌德: weight x (20 + 80 x (x - min) / (max - min)) / 100; classes by
#   rank share as in 昌乐: A top 20 %, B 20-75 %, C 75-95 %, D bottom 5 %.
# Our assumptions are marked "ASSUMPTION".
[method]
name = "shandong"
title = "山东 亩均效益评价 (极差法, 保底 20 分)"
classes = ["A", "B", "C", "D"]
# The evaluation year, read by rules as eval_year. ASSUMPTION: 2025, the data
# year of the sample city; set it for each round (or pass --year).
year = 2025

[fields]
id = "enterprise_id"
name = "name"
parcel = "parcel_id"
industry = "industry"
above_scale = "scale"
tax = "tax"
value_added = "value_added"
revenue = "revenue"
output = "revenue"
energy = "energy_tce"
emission = "emissions"
employees = "employees"
rd = "rd_spending"
land_area = "land_mu"
accident = "accident"
founded = "founded"
landuse = "landuse"
park = "park"
zone = "zone"

[land]
# ASSUMPTION: as in zhejiang.toml.
area = "table_else_geometry"
table_unit = "mu"
tolerance = 0.2
shared_parcel = "combine"

[defaults]
form = "min_max"
floor = 20
missing = "exclude"

[[group]]
id = "above_scale"
name = "规上"
# 规上 when the scale column says 规上 (or is a yes value: 1, 是, true).
when = "above_scale == '规上' or above_scale"
# ASSUMPTION: utilities are measured, not graded.
exclude_industries = ["44", "45", "46", "电力、热力生产和供应业", "燃气生产和供应业", "水的生产和供应业"]
classes = { by = "rank_share", limits = [0.20, 0.75, 0.95] }

# ASSUMPTION: the province does not publish weights; 20 each.
[[group.indicator]]
id = "tax_per_mu"
name = "单位用地税收"
expr = "tax / land_mu"
weight = 20

[[group.indicator]]
id = "revenue_per_energy"
name = "单位能耗销售收入"
expr = "revenue / energy"
weight = 20

[[group.indicator]]
id = "revenue_per_emission"
name = "单位排放销售收入"
expr = "revenue / emission"
weight = 20
# ASSUMPTION: as in Zhejiang, missing emission data gets the group's average sub-score.
missing = "group_average"

[[group.indicator]]
id = "rd_intensity"
name = "研发经费投入强度"
expr = "rd / revenue"
weight = 20
# ASSUMPTION: no reported R&D spending scores the floor's 0 for this item.
missing = "zero"

[[group.indicator]]
id = "labour_productivity"
name = "全员劳动生产率"
expr = "value_added / employees"
weight = 20

[[group]]
id = "below_scale"
name = "规下"
min_land_mu = 3.0
exclude_industries = ["44", "45", "46", "电力、热力生产和供应业", "燃气生产和供应业", "水的生产和供应业"]
classes = { by = "rank_share", limits = [0.20, 0.75, 0.95] }

[[group.indicator]]
id = "tax_per_mu"
name = "单位用地税收"
expr = "tax / land_mu"
weight = 100

[[veto]]
name = "安全环保事故"
when = "accident"
best = "C"

# A new enterprise was established in the evaluation year.
[[protect]]
name = "新建企业"
when = "founded >= eval_year"
worst = "C"

[zombie]
# ASSUMPTION: as in zhejiang.toml.
when = "coalesce(output, 0) / land_mu < 5"
)TOML";
} // namespace plan::landuse::detail
