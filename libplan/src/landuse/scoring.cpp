#include "landuse/scoring.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

namespace plan::landuse {

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0.0;
    const double pos = (p / 100.0) * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

bool same_score(double a, double b) {
    return std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)});
}

namespace {

const char* kind_name(BenchmarkKind k) {
    switch (k) {
    case BenchmarkKind::fixed: return "fixed";
    case BenchmarkKind::mean: return "mean";
    case BenchmarkKind::median: return "median";
    default: return "percentile";
    }
}

std::string format_number(double d) { return fmt::format("{:.6g}", d); }

/// Class index by rank share: the boundary of cumulative share p is rank
/// floor(n x p); a tied group carries the rank of its best member.
std::size_t class_by_rank(const ClassRule& rule, int rank, int n, std::string& why,
                          const std::vector<std::string>& names) {
    for (std::size_t k = 0; k < rule.limits.size(); ++k) {
        // The tiny epsilon keeps 20 x 0.95 at 19, not 18.999...
        const auto boundary = static_cast<int>(std::floor(static_cast<double>(n) * rule.limits[k] + 1e-9));
        if (rank <= boundary) {
            why = fmt::format("rank {} of {} <= floor({} x {}) = {} -> {}", rank, n, n, format_number(rule.limits[k]),
                              boundary, names[k]);
            return k;
        }
    }
    const auto last = static_cast<int>(std::floor(static_cast<double>(n) * rule.limits.back() + 1e-9));
    why = fmt::format("rank {} of {} > floor({} x {}) = {} -> {}", rank, n, n, format_number(rule.limits.back()), last,
                      names.back());
    return rule.limits.size();
}

std::size_t class_by_threshold(const ClassRule& rule, double score, std::string& why,
                               const std::vector<std::string>& names) {
    for (std::size_t k = 0; k < rule.limits.size(); ++k)
        if (score >= rule.limits[k] || same_score(score, rule.limits[k])) {
            why = fmt::format("score {} >= {} -> {}", format_number(score), format_number(rule.limits[k]), names[k]);
            return k;
        }
    why = fmt::format("score {} < {} -> {}", format_number(score), format_number(rule.limits.back()), names.back());
    return rule.limits.size();
}

std::size_t class_index(const std::vector<std::string>& names, const std::string& c) {
    return static_cast<std::size_t>(std::find(names.begin(), names.end(), c) - names.begin());
}

} // namespace

void score_group(const ScopeGroup& group, const std::vector<std::string>& class_names, std::vector<ScoredUnit>& units,
                 GroupSummary& stats) {
    const std::size_t ni = group.indicators.size();
    stats.id = group.id;
    stats.name = group.name;
    stats.indicators.assign(ni, {});

    // 1. Missing values whose rule excludes the enterprise.
    for (auto& u : units) {
        u.indicators.assign(ni, {});
        for (std::size_t i = 0; i < ni; ++i) {
            const expr::Value& v = u.values[i];
            if (v.is_number()) {
                u.indicators[i].value = v.number;
                continue;
            }
            const std::string why = fmt::format("{}{}", expr::to_string(v.cause), v.field.empty() ? "" : " in '" + v.field + "'");
            if (v.kind == expr::Value::Kind::text)
                u.indicators[i].note = "not a number";
            else
                u.indicators[i].note = "missing (" + why + ")";
            if (group.indicators[i].missing == MissingRule::exclude && !u.excluded) {
                u.excluded = true;
                u.exclusion_note = fmt::format("{} ({}): {}", group.indicators[i].name, group.indicators[i].id,
                                               v.kind == expr::Value::Kind::text ? "not a number" : why);
            }
        }
    }
    std::vector<ScoredUnit*> graded;
    for (auto& u : units)
        if (!u.excluded) graded.push_back(&u);
    stats.graded = static_cast<int>(graded.size());

    // 2. Benchmarks and sub-scores, indicator by indicator.
    for (std::size_t i = 0; i < ni; ++i) {
        const Indicator& ind = group.indicators[i];
        IndicatorStats& st = stats.indicators[i];
        st.id = ind.id;
        st.name = ind.name;
        st.weight = ind.weight;
        st.form = ind.form == ScoringForm::benchmark_ratio ? "benchmark_ratio" : "min_max";
        std::vector<double> xs;
        for (const auto* u : graded)
            if (u->indicators[i].value) xs.push_back(*u->indicators[i].value);
        std::sort(xs.begin(), xs.end());
        st.values = static_cast<int>(xs.size());
        st.missing = static_cast<int>(graded.size() - xs.size());
        if (!xs.empty()) {
            st.min = xs.front();
            st.max = xs.back();
        }
        double bench = 0.0;
        if (ind.form == ScoringForm::benchmark_ratio) {
            st.benchmark_kind = kind_name(ind.benchmark);
            switch (ind.benchmark) {
            case BenchmarkKind::fixed: bench = ind.benchmark_value; break;
            case BenchmarkKind::mean:
                bench = xs.empty() ? 0.0 : std::accumulate(xs.begin(), xs.end(), 0.0) / static_cast<double>(xs.size());
                break;
            case BenchmarkKind::median: bench = percentile(xs, 50.0); break;
            case BenchmarkKind::percentile: bench = percentile(xs, ind.benchmark_value); break;
            }
            if (!xs.empty() || ind.benchmark == BenchmarkKind::fixed) st.benchmark = bench;
        }
        double sum = 0.0;
        int scored = 0;
        for (auto* u : graded) {
            IndicatorValue& iv = u->indicators[i];
            if (!iv.value) continue;
            const double x = *iv.value;
            double s = 0.0;
            if (ind.form == ScoringForm::benchmark_ratio) {
                if (bench > 0) s = ind.weight * x / bench;
                else iv.note = "benchmark is not positive: sub-score 0";
            } else {
                const double lo = xs.front(), hi = xs.back();
                // All equal: every enterprise is at the top of the range.
                const double t = hi > lo ? (x - lo) / (hi - lo) : 1.0;
                s = ind.weight * (ind.floor + (100.0 - ind.floor) * t) / 100.0;
            }
            if (ind.cap && s > *ind.cap) {
                iv.note = fmt::format("capped from {}", format_number(s));
                s = *ind.cap;
                iv.capped = true;
                ++st.capped;
            }
            iv.sub_score = s;
            sum += s;
            ++scored;
        }
        // 3. Missing values the rule fills in.
        for (auto* u : graded) {
            IndicatorValue& iv = u->indicators[i];
            if (iv.value) continue;
            if (ind.missing == MissingRule::zero) {
                iv.sub_score = 0.0;
                iv.note += ": sub-score 0";
            } else if (ind.missing == MissingRule::group_average) {
                iv.sub_score = scored > 0 ? sum / scored : 0.0;
                iv.note += scored > 0 ? fmt::format(": group average sub-score of {} enterprises", scored)
                                      : ": no enterprise of the group has a value: sub-score 0";
            }
        }
    }

    // 4. Totals, ranks and classes.
    for (auto* u : graded) {
        double total = 0.0;
        for (const auto& iv : u->indicators) total += iv.sub_score.value_or(0.0);
        u->score = total;
    }
    std::stable_sort(graded.begin(), graded.end(), [](const ScoredUnit* a, const ScoredUnit* b) {
        if (!same_score(*a->score, *b->score)) return *a->score > *b->score;
        return a->id < b->id;
    });
    const int n = static_cast<int>(graded.size());
    int leader_rank = 1;
    double leader_score = n ? *graded[0]->score : 0.0;
    for (int k = 0; k < n; ++k) {
        ScoredUnit& u = *graded[static_cast<std::size_t>(k)];
        if (!same_score(*u.score, leader_score)) {
            leader_rank = k + 1;
            leader_score = *u.score;
        }
        u.rank = leader_rank;
        std::string why;
        std::size_t c = group.classes.by == ClassBy::rank_share ? class_by_rank(group.classes, u.rank, n, why, class_names)
                                                                 : class_by_threshold(group.classes, *u.score, why, class_names);
        if (group.classes.by == ClassBy::rank_share && u.rank != k + 1)
            why = fmt::format("tied with rank {}: ", u.rank) + why;
        u.rule = why;
        for (const auto& [name, best] : u.vetoes) {
            const std::size_t limit = class_index(class_names, best);
            if (c < limit) {
                c = limit;
                u.rule += fmt::format("; veto '{}': at best {}", name, best);
            }
        }
        for (const auto& [name, worst] : u.protections) {
            const std::size_t limit = class_index(class_names, worst);
            if (c > limit) {
                c = limit;
                u.rule += fmt::format("; protection '{}': at worst {}", name, worst);
            }
        }
        u.cls = class_names[c];
        ++stats.classes[u.cls];
    }
}

} // namespace plan::landuse
