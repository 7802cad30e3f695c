// plan info SOURCE [LAYER...]: what is in a vector source, as analyses will see it.
#include <cstdio>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "input_options.hpp"
#include "plan/error.hpp"
#include "plan/progress.hpp"
#include "plan/source.hpp"

namespace plan::cli {
namespace {

using json = nlohmann::ordered_json;

json envelope_json(const Envelope& e) {
    if (e.empty()) return nullptr;
    return json{{"minx", e.minx}, {"miny", e.miny}, {"maxx", e.maxx}, {"maxy", e.maxy}};
}

json crs_json(const CrsRef& c) {
    if (!c.known()) return nullptr;
    return json{{"name", c.name}, {"epsg", c.epsg ? json(c.epsg) : json(nullptr)}, {"geographic", c.geographic}};
}

json value_json(const FieldValue& v) {
    if (auto i = std::get_if<std::int64_t>(&v)) return *i;
    if (auto d = std::get_if<double>(&v)) return *d;
    if (auto s = std::get_if<std::string>(&v)) return *s;
    return nullptr;
}

std::string fmt_coord(double v, bool geographic) { return geographic ? fmt::format("{:.7f}", v) : fmt::format("{:.3f}", v); }

std::string envelope_text(const Envelope& e, bool geographic) {
    if (e.empty()) return "(empty)";
    return fmt::format("{}, {} : {}, {}", fmt_coord(e.minx, geographic), fmt_coord(e.miny, geographic),
                       fmt_coord(e.maxx, geographic), fmt_coord(e.maxy, geographic));
}

std::optional<GeometryKind> parse_kind(const std::string& s) {
    if (s.empty()) return std::nullopt;
    if (s == "lines" || s == "line") return GeometryKind::line;
    if (s == "polygons" || s == "polygon") return GeometryKind::polygon;
    if (s == "points" || s == "point") return GeometryKind::point;
    throw usage_error("--expect '" + s + "' is not one of lines, polygons, points");
}

class InfoCommand : public Command {
public:
    std::string name() const override { return "info"; }
    std::string summary() const override { return "Describe the layers of a vector source: geometry, counts, extent, CRS, encoding, fields"; }

    void setup(CLI::App& app) override {
        app.add_option("source", source_, "File, folder or connection string (e.g. PG:\"dbname=city\")")->required();
        app.add_option("layers", layers_, "Layers by name or 0-based index (default: all)");
        app.add_option("--sample", sample_, "Also print the attributes of the first N features")->check(CLI::NonNegativeNumber);
        app.add_option("--expect", expect_,
                       "Read each layer as an analysis would and check it holds this kind: lines, polygons or points");
        app.add_flag("--json", json_, "Print the description as JSON");
        input_.add_to(app);
        common_.add_to(app);
        app.description(summary() +
                        ".\nCounts and extents come from a full scan of the data (OSM files report no count and a "
                        "header box smaller than their ways). The metric CRS is the one analyses will use.");
    }

    int run() override {
        common_.apply();
        const ReadOptions read_options = input_.to_read_options();
        const auto want = parse_kind(expect_);
        const LayerUri uri = split_layer_uri(source_);
        if (!uri.layer.empty()) layers_.insert(layers_.begin(), uri.layer);
        VectorSource src(uri.path, input_.encoding);
        std::vector<int> indices;
        if (layers_.empty()) {
            for (int i = 0; i < static_cast<int>(src.layer_names().size()); ++i) indices.push_back(i);
        } else {
            for (const auto& l : layers_) indices.push_back(src.resolve_layer(l));
        }
        json out{{"source", source_}, {"driver", src.driver()}, {"layers", json::array()}};
        std::string text = fmt::format("{} ({}), {} layer(s)\n", source_, src.driver(), src.layer_names().size());
        for (int index : indices) {
            ProgressBar bar("reading layer " + src.layer_names()[static_cast<std::size_t>(index)]);
            LayerInfo info = src.info(index, sample_, read_options.src_crs, read_options.target_crs);
            json j{{"name", info.name},
                   {"index", info.index},
                   {"geometry_type", info.geometry_type},
                   {"feature_count", info.feature_count},
                   {"count_scanned", info.count_scanned},
                   {"extent", envelope_json(info.extent)},
                   {"extent_wgs84", envelope_json(info.extent_wgs84)},
                   {"crs", crs_json(info.crs)},
                   {"crs_note", info.crs_note},
                   {"encoding", info.encoding},
                   {"encoding_note", info.encoding_note},
                   {"fields", json::array()},
                   {"metric_crs", crs_json(info.metric_crs)},
                   {"metric_note", info.metric_note}};
            text += fmt::format("\nLayer {} '{}': {}, {} feature(s){}\n", info.index, info.name, info.geometry_type,
                                info.feature_count, info.count_scanned ? " (counted by a scan: the driver reports none)" : "");
            text += fmt::format("  CRS:        {}{}\n", info.crs.label(), info.crs_note.empty() ? "" : " [" + info.crs_note + "]");
            text += fmt::format("  Extent:     {}\n", envelope_text(info.extent, info.crs.geographic));
            text += fmt::format("  WGS84:      {}\n", envelope_text(info.extent_wgs84, true));
            if (info.metric_crs.known())
                text += fmt::format("  Analyses:   {} ({})\n", info.metric_crs.label(), info.metric_note);
            text += fmt::format("  Encoding:   {} ({})\n", info.encoding.empty() ? "unknown" : info.encoding, info.encoding_note);
            text += fmt::format("  Fields ({}):\n", info.fields.size());
            for (const auto& f : info.fields) {
                j["fields"].push_back(json{{"name", f.name}, {"type", f.type}, {"width", f.width}});
                text += fmt::format("    {:<24} {}{}\n", f.name, f.type, f.width > 0 ? fmt::format(" ({})", f.width) : "");
            }
            if (sample_ > 0) {
                j["sample"] = json::array();
                text += fmt::format("  First {} feature(s):\n", info.sample.size());
                for (const auto& feat : info.sample) {
                    json attrs = json::object();
                    std::string line = fmt::format("    FID {}:", feat.fid);
                    for (std::size_t i = 0; i < feat.values.size() && i < info.fields.size(); ++i) {
                        attrs[info.fields[i].name] = value_json(feat.values[i]);
                        if (!is_null(feat.values[i])) line += fmt::format(" {}={}", info.fields[i].name, to_text(feat.values[i]));
                    }
                    j["sample"].push_back(json{{"fid", feat.fid}, {"attributes", attrs}});
                    text += line + "\n";
                }
            }
            if (want || !read_options.where.empty() || read_options.bbox) {
                ReadOptions r = read_options;
                r.want = want;
                r.progress = [&bar](std::int64_t done, std::int64_t total) { bar.update(done, total); };
                const Layer layer = src.read(index, r);
                bar.finish();
                j["read"] = json{{"features", layer.report.read},
                                 {"skipped_empty_geometry", layer.report.empty_geometry},
                                 {"skipped_invalid_geometry", layer.report.invalid_geometry},
                                 {"skipped_other_geometry_type", layer.report.wrong_geometry},
                                 {"dropped_z", layer.report.dropped_z},
                                 {"crs", crs_json(layer.crs)}};
                text += fmt::format("  Read check: {} feature(s) usable; skipped {} without geometry, {} invalid, {} of another type{}\n",
                                    layer.report.read, layer.report.empty_geometry, layer.report.invalid_geometry,
                                    layer.report.wrong_geometry, layer.report.dropped_z ? "; Z/M dropped" : "");
            }
            out["layers"].push_back(std::move(j));
        }
        if (json_) std::cout << out.dump(2) << "\n";
        else std::cout << text;
        return 0;
    }

private:
    std::string source_;
    std::vector<std::string> layers_;
    int sample_ = 0;
    std::string expect_;
    bool json_ = false;
    InputOptions input_;
    CommonOptions common_;
};

const Registration registration{[] { return std::make_unique<InfoCommand>(); }};

} // namespace
} // namespace plan::cli
