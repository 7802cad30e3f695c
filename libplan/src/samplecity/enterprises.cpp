// Enterprises: plausible figures per industry (万元, tce, t, persons), shared
// parcels, zombies, gaps and a few deliberate data errors.
#include "samplecity/enterprises.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "plan/error.hpp"

namespace plan::samplecity {

namespace {

constexpr double kMu = 10000.0 / 15.0; // m² per 亩

struct Industry {
    const char* name;
    std::vector<const char*> words;
    double tax_rate, va_rate, revenue_per_worker, tce_per_10k, emission_per_10k, rd_rate;
};

const std::vector<Industry>& industries() {
    static const std::vector<Industry> list = {
        {"轴承", {"轴承", "精密轴承", "轴承制造"}, 0.045, 0.24, 80, 0.08, 0.003, 0.025},
        {"纺织", {"纺织", "棉纺", "家纺"}, 0.030, 0.20, 40, 0.15, 0.010, 0.010},
        {"电机", {"电机", "电机制造", "电气"}, 0.040, 0.25, 90, 0.05, 0.002, 0.030},
        {"电子信息", {"电子", "电子科技", "信息技术"}, 0.050, 0.30, 120, 0.03, 0.001, 0.045},
        {"食品医药", {"食品", "药业", "生物科技"}, 0.060, 0.28, 100, 0.07, 0.006, 0.030},
        {"造纸", {"纸业", "造纸", "包装材料"}, 0.035, 0.18, 150, 0.50, 0.020, 0.008},
    };
    return list;
}

const Industry& industry(const std::string& name) {
    for (const auto& i : industries())
        if (name == i.name) return i;
    throw processing_error("sample city: unknown industry " + name);
}

std::string pick_industry(const ParcelFacts& p, Rng& rng) {
    const double u = rng.uniform();
    if (p.oldtown) return u < 0.6 ? "纺织" : "轴承";
    if (p.park == "烟店轴承产业园") return u < 0.8 ? "轴承" : "电机";
    if (p.use == "M3") return u < 0.7 ? "造纸" : "纺织";
    if (p.use == "M2") return u < 0.3 ? "电机" : u < 0.6 ? "纺织" : u < 0.8 ? "食品医药" : "轴承";
    return u < 0.45 ? "电子信息" : u < 0.8 ? "食品医药" : "电机";
}

double r2(double v) { return std::round(v * 100.0) / 100.0; }

} // namespace

EnterpriseTable make_enterprises(const std::vector<ParcelFacts>& parcels, Rng rng) {
    EnterpriseTable t;
    std::vector<const ParcelFacts*> industrial;
    for (const auto& p : parcels)
        if (p.use == "M1" || p.use == "M2" || p.use == "M3") industrial.push_back(&p);
    // The relocation target: the largest M1 parcel of the development zone, kept empty.
    const ParcelFacts* target = nullptr;
    for (const auto* p : industrial)
        if (p->park == "临清经济开发区" && p->use == "M1" && (!target || p->area_m2 > target->area_m2)) target = p;
    if (!target) throw processing_error("sample city: no M1 parcel in the development zone");
    t.plants.push_back({"vacant_parcel", "", 0, target->id, "", "reserved for relocating old-town factories (退城入园)"});

    const std::vector<std::string> stems = {"华宇", "鲁信", "运通", "金泰", "恒达", "鑫源", "宏图", "永盛", "汇丰", "瑞丰",
                                            "泰和", "中兴", "天成", "德隆", "新亚", "金冠", "华夏", "宏达", "联诚", "正大",
                                            "东方", "海纳", "博远", "九州", "万和", "三和", "兴业", "长城", "凯瑞", "友联",
                                            "福源", "嘉诚", "浩宇", "明珠", "红日", "蓝天", "银河", "新星", "盛世", "远航"};
    const std::vector<std::string> prefixes = {"临清市", "山东", "临清"};
    std::set<std::string> used_names;
    auto make_name = [&](const Industry& ind, bool above) {
        for (;;) {
            const std::string n = rng.pick(prefixes) + rng.pick(stems) +
                                  ind.words[static_cast<std::size_t>(rng.integer(0, static_cast<int>(ind.words.size()) - 1))] +
                                  (above && rng.chance(0.3) ? "股份有限公司" : "有限公司");
            if (used_names.insert(n).second) return n;
        }
    };
    auto fill_figures = [&](Enterprise& e, double land_mu) {
        const Industry& ind = industry(e.industry);
        const bool above = e.scale == "规上";
        const double revenue = above ? 2000.0 * std::exp(0.9 + 0.8 * rng.normal()) * std::max(1.0, land_mu / 40.0)
                                     : std::min(1950.0, 300.0 * std::exp(0.5 + 0.7 * rng.normal()));
        const double rev = std::max(above ? 2000.0 : 20.0, revenue);
        e.revenue = r2(rev);
        e.tax = r2(rev * ind.tax_rate * std::exp(0.35 * rng.normal()));
        e.value_added = r2(rev * ind.va_rate * std::exp(0.2 * rng.normal()));
        e.employees = std::max(3.0, std::round(rev / ind.revenue_per_worker * std::exp(0.3 * rng.normal())));
        e.energy_tce = r2(rev * ind.tce_per_10k * std::exp(0.3 * rng.normal()));
        e.emissions = r2(rev * ind.emission_per_10k * std::exp(0.4 * rng.normal()));
        e.rd_spending = above || rng.chance(0.3) ? r2(rev * ind.rd_rate * std::exp(0.5 * rng.normal())) : 0.0;
        e.electricity_mwh = r2(*e.energy_tce * 5.0 * std::exp(0.2 * rng.normal()));
        e.founded = rng.integer(1985, 2023);
        if (rng.chance(0.03)) e.founded = 2025; // new enterprises: never put in D
        e.accident = rng.chance(0.012) ? 1 : 0;
    };

    int next_id = 0;
    std::vector<std::pair<std::size_t, double>> single_big; // (row, parcel mu) of single occupants
    for (const auto* p : industrial) {
        if (p == target) continue;
        const double mu = p->area_m2 / kMu;
        int count = 1;
        if (!p->oldtown) {
            const double u = rng.uniform();
            if (u < 0.05) count = 0; // idle land: no enterprise at all
            else if (mu > 30 && u < 0.30) count = rng.integer(2, 4); // standard factory buildings
        }
        std::vector<double> shares(static_cast<std::size_t>(count));
        double total = 0;
        for (auto& s : shares) total += (s = rng.uniform(0.5, 1.5));
        const std::string industry_here = pick_industry(*p, rng);
        for (int k = 0; k < count; ++k) {
            Enterprise e;
            e.id = "E" + std::string(4 - std::to_string(next_id + 1).size(), '0') + std::to_string(next_id + 1);
            ++next_id;
            e.parcel_id = p->id;
            e.industry = count > 1 && rng.chance(0.4) ? pick_industry(*p, rng) : industry_here;
            const double land = count == 1 ? mu * (1.0 + rng.uniform(-0.02, 0.02)) : mu * shares[static_cast<std::size_t>(k)] / total;
            e.scale = land > 30 ? (rng.chance(0.65) ? "规上" : "规下") : (rng.chance(0.3) ? "规上" : "规下");
            e.name = make_name(industry(e.industry), e.scale == "规上");
            e.land_mu = r2(land);
            fill_figures(e, land);
            t.rows.push_back(e);
            if (count == 1 && mu > 20 && !p->oldtown) single_big.push_back({t.rows.size() - 1, mu});
            if (p->oldtown)
                t.relocations.push_back({e.id, e.name, p->id, target->id, p->centroid, target->centroid});
        }
        if (count > 1)
            t.plants.push_back({"shared_parcel", "", 0, p->id, "", std::to_string(count) + " enterprises share this parcel"});
    }
    if (t.rows.size() < 320 || t.rows.size() > 780 || single_big.size() < 20)
        throw processing_error("sample city: enterprise count out of range (" + std::to_string(t.rows.size()) + ")");

    auto row_of = [&](std::size_t i) { return static_cast<int>(i) + 1; };
    // Each planted anomaly gets a row of its own, so that every row has at most one.
    std::set<std::size_t> touched;
    auto free_row = [&](std::size_t start) {
        for (std::size_t k = 0; k < t.rows.size(); ++k) {
            const std::size_t i = (start + k) % t.rows.size();
            if (touched.insert(i).second) return i;
        }
        throw processing_error("sample city: no free enterprise row");
    };
    // Zombies: land held with next to no output.
    for (int z = 0; z < 10; ++z) {
        const std::size_t i = single_big[static_cast<std::size_t>(z) * single_big.size() / 12].first;
        touched.insert(i);
        Enterprise& e = t.rows[i];
        e.scale = "规下";
        e.revenue = r2(rng.uniform(0, 8));
        e.tax = r2(rng.uniform(0, 0.3));
        e.value_added = r2(rng.uniform(0, 1));
        e.employees = static_cast<double>(rng.integer(0, 4));
        e.energy_tce = r2(rng.uniform(0, 2));
        e.emissions = 0.0;
        e.rd_spending = 0.0;
        e.electricity_mwh = r2(rng.uniform(0, 8));
        e.accident = 0;
        e.founded = rng.integer(1995, 2012);
        t.plants.push_back({"zombie", e.id, row_of(i), e.parcel_id, "",
                            "holds " + std::to_string(static_cast<int>(std::round(*e.land_mu))) + " mu with near-zero output"});
    }
    {
        const std::size_t i = single_big.back().first;
        touched.insert(i);
        t.rows[i].land_mu = r2(single_big.back().second * 3.0);
        t.plants.push_back({"land_mismatch", t.rows[i].id, row_of(i), t.rows[i].parcel_id, "land_mu",
                            "land_mu is three times the parcel's area"});
    }
    // Missing values.
    const std::vector<std::pair<std::string, int>> gaps = {{"emissions", 18}, {"energy_tce", 5}, {"employees", 4}, {"rd_spending", 6}};
    std::size_t cursor = 7;
    for (const auto& [field, n] : gaps) {
        for (int k = 0; k < n; ++k) {
            cursor = free_row((cursor + 37) % t.rows.size());
            Enterprise& e = t.rows[cursor];
            if (field == "emissions") e.emissions.reset();
            if (field == "energy_tce") e.energy_tce.reset();
            if (field == "employees") e.employees.reset();
            if (field == "rd_spending") e.rd_spending.reset();
            t.plants.push_back({"missing_value", e.id, row_of(cursor), e.parcel_id, field, "empty cell"});
        }
    }
    // Deliberate errors, on rows of enterprises alone on their parcel (so that
    // the shared parcels stay as listed).
    std::map<std::string, int> per_parcel;
    for (const auto& e : t.rows) ++per_parcel[e.parcel_id];
    auto free_single_row = [&](std::size_t start) {
        for (std::size_t k = 0; k < t.rows.size(); ++k) {
            const std::size_t i = (start + k) % t.rows.size();
            if (per_parcel[t.rows[i].parcel_id] == 1 && touched.insert(i).second) return i;
        }
        throw processing_error("sample city: no free enterprise row");
    };
    {
        const std::size_t i = free_single_row(t.rows.size() / 3);
        t.rows[i].parcel_id = "P9999";
        t.plants.push_back({"unknown_parcel", t.rows[i].id, row_of(i), "P9999", "parcel_id", "no parcel has this id"});
    }
    {
        const std::size_t i = free_row(t.rows.size() / 2);
        t.rows[i].tax = -35.6;
        t.plants.push_back({"negative_value", t.rows[i].id, row_of(i), t.rows[i].parcel_id, "tax", "tax = -35.6"});
    }
    {
        // A last row reusing an existing id, as after a careless merge of two sheets.
        const std::size_t src = free_single_row(2 * t.rows.size() / 3);
        Enterprise dup = t.rows[free_single_row(src + 1)];
        dup.id = t.rows[src].id;
        dup.name = make_name(industry(dup.industry), dup.scale == "规上");
        t.rows.push_back(dup);
        t.plants.push_back({"duplicate_id", dup.id, row_of(t.rows.size() - 1), dup.parcel_id, "enterprise_id",
                            "same id as row " + std::to_string(row_of(src))});
    }
    return t;
}

} // namespace plan::samplecity
