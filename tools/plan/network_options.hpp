#pragma once
// Options that say how the road network is built from line sources, shared by
// every subcommand that builds one (metrics, and network/scenario when they
// adopt it): sources, layer, classes, class map, noding, snap, dissolution and
// the attribute fields.
#include <array>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "input_options.hpp"
#include "plan/network.hpp"
#include "plan/network_build.hpp"

namespace plan::cli {

struct NetworkOptions {
    std::vector<std::string> roads;
    std::string layer, classes = "public", class_map, noding = "auto";
    std::string bridge_field, tunnel_field, level_field, oneway_field, name_field;
    /// Each --*-field value with its option's name, for messages.
    std::array<std::pair<const std::string*, const char*>, 5> field_options() const {
        return {{{&bridge_field, "--bridge-field"},
                 {&tunnel_field, "--tunnel-field"},
                 {&level_field, "--level-field"},
                 {&oneway_field, "--oneway-field"},
                 {&name_field, "--name-field"}}};
    }
    double snap = 0.01;
    bool no_dissolve = false, dissolve_changes = false, keep_duplicates = false;

    /// Adds the positional `roads` and --layer, --classes, --class-map, --noding,
    /// --snap, --no-dissolve, --keep-duplicates, --dissolve-changes, --*-field.
    void add_to(CLI::App& app);
    /// Validates and converts; throws usage_error / config_error.
    BuildOptions to_build_options() const;
    /// Reads every source into one metric CRS (the first source's) and builds the network.
    /// For an OSM file read without --layer, the closed highway ways GDAL puts among
    /// multipolygons (pedestrian areas, area=yes) are taken as lines too, as OSMnx does.
    /// A multi-layer source without a layer named (--layer, FILE|layername=X)
    /// takes its only line layer (said in the log); several line layers are a
    /// usage_error listing them. After the build, a CRS whose scale error at the
    /// data's centre exceeds 0.5 % is warned about (warn_crs_scale); the error is
    /// stored in `crs_scale_error` when given (NaN for a geographic CRS).
    Network build(const InputOptions& input, BuildReport* report = nullptr, double* crs_scale_error = nullptr) const;
    /// The layer `build` reads from `path` ("" = the source's default).
    std::string layer_of(const std::string& path, const InputOptions& input) const;
};

/// True for OSM files (.osm, .pbf, .osm.bz2), whose roads are in layer 'lines'.
bool looks_osm(const std::string& path);

} // namespace plan::cli
