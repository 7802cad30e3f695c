#pragma once
// Scoring one scope group: benchmarks, sub-scores, caps, missing-value rules,
// totals, ranks and classes. Pure arithmetic on prepared values, so that every
// rule can be tested on a hand-computed table.
#include <optional>
#include <string>
#include <vector>

#include "landuse/expression.hpp"
#include "plan/landuse.hpp"

namespace plan::landuse {

struct ScoredUnit {
    std::string id;                  ///< orders ties
    std::vector<expr::Value> values; ///< one per indicator of the group
    /// Class limits that apply: (rule name, best allowed class) and (rule name, worst allowed class).
    std::vector<std::pair<std::string, std::string>> vetoes, protections;

    // results
    std::vector<IndicatorValue> indicators;
    bool excluded = false;           ///< a value was missing and its rule is "exclude"
    std::string exclusion_note;
    std::optional<double> score;
    int rank = 0;
    std::string cls;
    std::string rule;
};

/// Scores, ranks and classes the units of one group in place; fills `stats`.
void score_group(const ScopeGroup& group, const std::vector<std::string>& class_names, std::vector<ScoredUnit>& units,
                 GroupSummary& stats);

/// Linear-interpolation percentile (p in 0..100) of sorted values, as numpy's default.
double percentile(const std::vector<double>& sorted, double p);

/// Scores within this relative distance count as a tie.
bool same_score(double a, double b);

} // namespace plan::landuse
