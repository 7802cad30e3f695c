// Aggregates of a land-efficiency run (per park, zone, land-use class and
// industry: mu, output, tax per mu, class shares) and the list of
// low-efficiency land (worst class and zombie enterprises), the candidates
// for 退城入园 and 腾笼换鸟.
#include <algorithm>
#include <map>
#include <set>

#include "landuse/evaluate_state.hpp"

namespace plan::landuse::detail {

void aggregate(Evaluation& e, const Method& m, const RegionDims& regions, const std::vector<Row>& rows,
               const std::vector<Unit>& units, const std::vector<ParcelInfo>& parcels) {
    struct Acc {
        Aggregate a;
        std::set<std::size_t> parcels;
    };
    std::map<std::string, std::map<std::string, Acc>> dims;
    const char* parcel_dims[] = {"park", "zone", "landuse"};
    auto parcel_key = [&](const ParcelResult& p, const std::string& dim) {
        return dim == "park" ? p.park : dim == "zone" ? p.zone : p.landuse;
    };
    const bool have_dim[] = {regions.park, regions.zone,
                             std::any_of(e.parcels.begin(), e.parcels.end(), [](const ParcelResult& p) { return !p.landuse.empty(); })};
    for (std::size_t d = 0; d < 3; ++d) {
        if (!have_dim[d]) continue;
        auto& dim = dims[parcel_dims[d]];
        for (std::size_t p = 0; p < e.parcels.size(); ++p) {
            const ParcelResult& pr = e.parcels[p];
            if (pr.status != "ok") continue;
            Acc& acc = dim[parcel_key(pr, parcel_dims[d])];
            acc.a.parcels += 1;
            acc.a.parcel_mu += pr.mu;
        }
    }
    auto& industries = dims["industry"];
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const EnterpriseResult& er = e.enterprises[r];
        if (rows[r].unit < 0) continue;
        const Unit& u = units[static_cast<std::size_t>(rows[r].unit)];
        const double share = u.land_mu / static_cast<double>(u.members.size());
        auto add = [&](Acc& acc) {
            acc.a.enterprises += 1;
            acc.a.land_mu += share;
            acc.a.output += er.output;
            acc.a.tax += er.tax;
            if (er.status == Status::graded) {
                acc.a.graded += 1;
                acc.a.classes[er.cls] += 1;
            }
        };
        for (std::size_t d = 0; d < 3; ++d) {
            if (!have_dim[d]) continue;
            const std::string key = rows[r].parcel >= 0 ? parcel_key(e.parcels[static_cast<std::size_t>(rows[r].parcel)], parcel_dims[d]) : "";
            add(dims[parcel_dims[d]][key]);
        }
        Acc& ind = industries[er.industry];
        add(ind);
        if (rows[r].parcel >= 0 && ind.parcels.insert(static_cast<std::size_t>(rows[r].parcel)).second) {
            ind.a.parcels += 1;
            ind.a.parcel_mu += parcels[static_cast<std::size_t>(rows[r].parcel)].mu;
        }
    }
    for (auto& [dim, accs] : dims) {
        auto& out = e.aggregates[dim];
        for (auto& [key, acc] : accs) {
            Aggregate a = acc.a;
            a.key = key;
            if (a.land_mu > 0) {
                a.output_per_mu = a.output / a.land_mu;
                a.tax_per_mu = a.tax / a.land_mu;
            }
            for (const auto& c : m.class_names) {
                a.classes.emplace(c, 0);
                a.class_shares[c] = a.graded > 0 ? static_cast<double>(a.classes[c]) / a.graded : 0.0;
            }
            out.push_back(std::move(a));
        }
    }
}

void list_low_efficiency(Evaluation& e, const Method& m, const std::vector<Row>& rows, const std::vector<Unit>& units) {
    const std::string& worst = m.class_names.back();
    for (const Unit& u : units) {
        LowEfficiencyLand l;
        if (u.status == Status::graded && u.scored.cls == worst) l.reasons.push_back(worst + " class");
        if (u.zombie) l.reasons.push_back("zombie");
        if (l.reasons.empty()) continue;
        l.unit = u.id;
        l.mu = u.land_mu;
        l.cls = u.status == Status::graded ? u.scored.cls : "";
        for (std::size_t r : u.members) {
            l.enterprises.push_back(rows[r].id);
            l.output += e.enterprises[r].output;
            l.tax += e.enterprises[r].tax;
        }
        if (u.parcel >= 0) {
            const auto& pr = e.parcels[static_cast<std::size_t>(u.parcel)];
            l.parcel_id = pr.id;
            l.park = pr.park;
            l.zone = pr.zone;
            e.parcels[static_cast<std::size_t>(u.parcel)].low_efficiency = true;
        }
        e.low_efficiency.push_back(std::move(l));
    }
    std::stable_sort(e.low_efficiency.begin(), e.low_efficiency.end(), [](const LowEfficiencyLand& a, const LowEfficiencyLand& b) {
        if (a.mu != b.mu) return a.mu > b.mu;
        return a.unit < b.unit;
    });
}

} // namespace plan::landuse::detail
