#pragma once
// The HTML report of a study run: one self-contained file (inline CSS, JS and
// SVG; no external URL), Chinese by default with a switch to English. Maps of
// the base network and dead ends, skeleton completion and gaps, parcels by
// land-efficiency class and each scenario's changes; the scenario comparison
// table; bar charts of the key deltas, land-efficiency class shares and
// skeleton completion per line. Output: docs/outputs.md.
#include <string>
#include <vector>

#include "plan/crs.hpp"
#include "plan/output.hpp"

namespace plan {

/// The result layers of one group, with their plain names (edges, dead_ends,
/// gaps, skeleton_lines, skeleton_gaps, skeleton_crossings, parcels, changes,
/// selection, candidates, ...), in the study's metric CRS.
struct ReportLayers {
    std::string group; ///< "base" or a scenario name
    std::vector<OutLayer> layers;
};

/// Renders the report. `summary_json` is the run's summary.json:
/// {"study":{"name","title","crs"}, "base":{"network","metrics","skeleton","landuse",...},
///  "scenarios":{"<name>":{same keys + "changes"}}, "comparison":[{"scenario":...,numbers}]};
/// every section but "study" may be absent and is then left out of the report.
/// Throws processing_error when `summary_json` is not a JSON object.
/// Deterministic: the same input gives the same bytes.
std::string render_report_html(const std::string& summary_json, const std::vector<ReportLayers>& layers,
                               const CrsRef& crs);

} // namespace plan
