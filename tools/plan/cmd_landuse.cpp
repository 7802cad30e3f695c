// plan landuse PARCELS --enterprises TABLE: land efficiency (亩均论英雄) by a
// methodology file; writes the `parcels` and `enterprises` layers, a CSV and a summary.
#include <optional>
#include <fstream>
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "command.hpp"
#include "input_options.hpp"
#include "plan/crs.hpp"
#include "plan/error.hpp"
#include "plan/landuse.hpp"
#include "plan/log.hpp"
#include "plan/output.hpp"
#include "plan/source.hpp"

namespace plan::cli {
namespace {

std::string crs_text(const CrsRef& c) { return c.epsg ? fmt::format("EPSG:{}", c.epsg) : c.wkt; }

class LanduseCommand : public Command {
public:
    std::string name() const override { return "landuse"; }
    std::string summary() const override {
        return "Land efficiency (亩均论英雄): score enterprises per mu by a method file, A/B/C/D classes, low-efficiency land";
    }

    void setup(CLI::App& app) override {
        app.add_option("parcels", parcels_path_, "Parcel polygons (any GDAL source)")->required();
        app.add_option("--parcels-layer", parcels_layer_, "Layer of the parcel source (name or index)");
        app.add_option("--enterprises", table_path_, "Enterprise table: CSV (UTF-8 or GBK), XLSX, or any OGR table")
            ->check(existing_source("--enterprises"))->required();
        app.add_option("--enterprises-layer", table_layer_, "Layer or sheet of the enterprise table");
        app.add_option("--method", method_, "Method: a TOML file, or a built-in one: zhejiang, shandong")->default_val("zhejiang");
        app.add_option("--parcel-id", parcel_id_, "Parcel id field of the parcel layer (default: the method's 'parcel' field)");
        app.add_option("--enterprise-parcel", enterprise_parcel_,
                       "Column of the table naming the parcel (default: the method's 'parcel' field; "
                       "absent: enterprise points are joined to the parcels holding them)");
        app.add_option("--xy", xy_,
                       "Join enterprises to parcels by coordinate columns X,Y of the table (e.g. lon,lat or x,y), "
                       "instead of a parcel id");
        app.add_option("--year", year_, "Evaluation year, read by the method's rules as eval_year (default: the method's year)")
            ->check(CLI::Range(1900, 2200));
        app.add_option("--xy-crs", xy_crs_, "CRS of the --xy columns, e.g. EPSG:4490, EPSG:4326, GCJ02 (default: the parcels' CRS)");
        app.add_option("--field", fields_, "Map a method field to a table column: NAME=COLUMN (repeatable)");
        app.add_option("--landuse-field", landuse_field_, "Parcel field with the land-use class");
        app.add_option("--zones", zones_path_, "Zone polygons; a parcel belongs to the zone holding its centroid")
            ->check(existing_source("--zones"));
        app.add_option("--zone-field", zone_field_, "Parcel field naming the zone (when no --zones)");
        app.add_option("--parks", parks_path_, "Industrial park polygons; as --zones")
            ->check(existing_source("--parks"));
        app.add_option("--park-field", park_field_, "Parcel field naming the park (when no --parks)");
        app.add_option("--region-name-field", region_name_field_, "Name field of --zones/--parks (default: name)");
        app.add_option("-o,--output", output_, "Write layers parcels and enterprises: a .gpkg, or a folder of GeoJSON");
        app.add_flag("--overwrite", overwrite_, "Replace an existing output");
        app.add_option("--csv", csv_, "Write the per-enterprise table as CSV (UTF-8)");
        app.add_flag("--json", json_, "Print the summary as JSON");
        input_.add_to(app);
        common_.add_to(app);
        app.description(summary() +
                        ".\nThe method (docs/landuse-method.md) gives the indicators, weights, benchmarks, caps, scope "
                        "groups, class rules, vetoes and protections. Problems in rows (unknown parcel, duplicate id, "
                        "negative or non-numeric values, division by zero) are reported with their row and counted; "
                        "the run goes on where the method allows.");
    }

    int run() override {
        common_.apply();
        check_output_early(output_, overwrite_); // a bad or existing -o fails before any reading
        landuse::Method method = landuse::load_method(method_);
        landuse::Inputs in;
        if (year_) in.year = *year_;
        for (const auto& f : fields_) {
            const auto eq = f.find('=');
            if (eq == std::string::npos || eq == 0 || eq + 1 == f.size())
                throw usage_error(fmt::format("--field '{}' is not NAME=COLUMN", f), {}, "e.g. --field tax=实缴税金");
            in.field_overrides[f.substr(0, eq)] = f.substr(eq + 1);
        }
        ReadOptions parcel_options = input_.to_read_options();
        const Layer parcels = read_layer(parcels_path_, parcels_layer_, parcel_options);
        // Areas are measured in the parcels' CRS: a forced --crs that distorts is warned about, as in plan network.
        const double scale_error =
            warn_crs_scale(parcels.crs, parcels.extent(), input_.crs == "source" ? std::string() : input_.crs,
                           Measures::areas);
        ReadOptions other;
        other.target_crs = crs_text(parcels.crs);
        other.encoding = input_.encoding;
        const Layer table = read_layer(table_path_, table_layer_, other);
        std::optional<Layer> zones, parks;
        if (!zones_path_.empty()) zones = read_layer(zones_path_, {}, other);
        if (!parks_path_.empty()) parks = read_layer(parks_path_, {}, other);

        in.enterprises = &table;
        in.parcels = &parcels;
        in.parcel_id_field = parcel_id_;
        in.enterprise_parcel_field = enterprise_parcel_;
        in.landuse_field = landuse_field_;
        in.zone_field = zone_field_;
        in.park_field = park_field_;
        in.zones = zones ? &*zones : nullptr;
        in.parks = parks ? &*parks : nullptr;
        in.region_name_field = region_name_field_;
        if (!xy_crs_.empty() && xy_.empty()) throw usage_error("--xy-crs needs --xy X,Y");
        if (!xy_.empty()) {
            const auto comma = xy_.find(',');
            if (comma == std::string::npos || comma == 0 || comma + 1 == xy_.size() || xy_.find(',', comma + 1) != std::string::npos)
                throw usage_error(fmt::format("--xy '{}' is not X,Y", xy_), {}, "e.g. --xy lon,lat");
            in.x_field = xy_.substr(0, comma);
            in.y_field = xy_.substr(comma + 1);
            if (!xy_crs_.empty()) in.xy_crs = crs_from_user(xy_crs_);
        }
        const landuse::Evaluation e = landuse::evaluate(method, in);

        if (!output_.empty())
            write_layers(output_, output_format_for(output_), parcels.crs, landuse::result_layers(e, &parcels, &table),
                         WriteOptions{overwrite_});
        if (!csv_.empty()) {
            std::ofstream out(csv_, std::ios::binary);
            out << landuse::enterprises_csv(e);
            if (!out) throw output_error("cannot write the CSV", ErrorContext{csv_});
        }
        int problems = 0;
        for (const auto& i : e.issues) problems += i.severity == landuse::Severity::excluded;
        if (problems > 0)
            log::warn(fmt::format("{} row(s) or parcel(s) not evaluated; see the issues in the summary", problems));
        if (json_) std::cout << with_crs_scale_error(landuse::summary_json(e), scale_error, parcels.crs) << "\n";
        else std::cout << landuse::summary_text(e);
        return 0;
    }

private:
    std::string parcels_path_, parcels_layer_, table_path_, table_layer_, method_;
    std::string parcel_id_, enterprise_parcel_, landuse_field_, zones_path_, zone_field_, parks_path_, park_field_;
    std::string region_name_field_, output_, csv_, xy_, xy_crs_;
    std::optional<int> year_;
    std::vector<std::string> fields_;
    bool overwrite_ = false, json_ = false;
    InputOptions input_;
    CommonOptions common_;
};

const Registration registration{[] { return std::make_unique<LanduseCommand>(); }};

} // namespace
} // namespace plan::cli
