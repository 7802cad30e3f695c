#pragma once
// The sample city's base results (network, skeleton, land use; centrality at
// 400 m when asked) and a phase-1 scenario (the sample city's phase1_links
// added), built in the test the way the subcommands build them, written to a
// scratch results.gpkg with <group>__<layer> names, plus the summary.json
// objects the subcommands print with --json.
#include <filesystem>
#include <string>
#include <vector>

#include "plan/crs.hpp"
#include "plan/output.hpp"
#include "plan/qgis.hpp"
#include "plan/report.hpp"

namespace plan::test {

struct VisRun {
    std::filesystem::path dir;           ///< scratch folder holding results.gpkg
    std::filesystem::path gpkg;          ///< dir / results.gpkg
    CrsRef crs;
    Envelope extent;
    std::vector<ReportLayers> groups;    ///< base, phase1
    std::vector<StyledLayer> styled;     ///< every table of results.gpkg
    std::string summary_json;            ///< the run's summary.json
};

/// Builds everything above into scratch folder `name` (a few seconds);
/// betweenness (the base's `centrality` layer) only when asked.
VisRun build_vis_run(const std::string& name, bool centrality);

/// The expectation file check_project.py reads, for `run`'s layers.
std::string expected_project_json(const VisRun& run);

} // namespace plan::test
