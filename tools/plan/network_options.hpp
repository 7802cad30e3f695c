#pragma once
// Options shared by every subcommand that builds a road network from line
// sources (noding, snapping, class mapping, field names), and the reading and
// building itself, so that `plan network`, `plan skeleton` and later commands
// build the same network from the same arguments.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "input_options.hpp"
#include "plan/network.hpp"
#include "plan/network_build.hpp"

namespace plan::cli {

struct NetworkOptions {
    std::string layer, classes = "public", class_map, noding = "auto";
    std::string bridge_field, tunnel_field, level_field, oneway_field, name_field;
    double snap = 0.01;
    bool no_dissolve = false, dissolve_changes = false;

    /// Adds --layer, --classes, --class-map, --noding, --snap, --no-dissolve,
    /// --dissolve-changes and the --*-field options.
    void add_to(CLI::App& app);
    /// Validates the values into BuildOptions; throws usage_error / config_error.
    BuildOptions to_build_options() const;
    /// Reads every road source (one CRS for all, the first source's metric CRS
    /// unless --crs says otherwise) and builds the network.
    Network build(const std::vector<std::string>& roads, const InputOptions& input, BuildReport* report) const;
};

/// "path" or QGIS-style "path|layername=name": the path and the layer ("" = none given).
std::pair<std::string, std::string> split_layer_ref(const std::string& text);

} // namespace plan::cli
