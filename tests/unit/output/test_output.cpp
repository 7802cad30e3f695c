// The writer: GeoPackage and RFC 7946 GeoJSON read back with the same
// features; outputs are atomic and never replace an existing one silently.
#include <filesystem>

#include <catch2/catch.hpp>

#include "plan/error.hpp"
#include "plan/output.hpp"
#include "plan/source.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace plan;
using namespace plan::test;

namespace {
std::vector<OutLayer> sample_layers() {
    OutLayer edges{"edges", GeometryKind::line, false, {{"name", FieldType::string}, {"length_m", FieldType::real}, {"n", FieldType::integer}}, {}};
    edges.features.push_back({Geometry{GeometryKind::line, {}, {{{383000, 4075000}, {383100, 4075000}}}, {}}, {std::string("青年路"), 100.0, std::int64_t{1}}});
    edges.features.push_back({Geometry{GeometryKind::line, {}, {{{383100, 4075000}, {383100, 4075200}}}, {}}, {std::string("新华路"), 200.0, FieldValue{}}});
    OutLayer table{"summary", GeometryKind::none, false, {{"key", FieldType::string}, {"value", FieldType::real}}, {}};
    table.features.push_back({Geometry{}, {std::string("length_km"), 0.3}});
    return {edges, table};
}
} // namespace

TEST_CASE("output: GeoPackage round trip keeps geometry, attributes and CRS", "[output]") {
    const auto d = scratch_dir("gpkg");
    const std::string path = (d / "r.gpkg").string();
    write_layers(path, OutputFormat::gpkg, crs_from_epsg(4548), sample_layers());
    ReadOptions ro;
    ro.target_crs = "source";
    const Layer l = read_layer(path, "edges", ro);
    REQUIRE(l.features.size() == 2);
    CHECK(l.crs.epsg == 4548);
    CHECK(to_text(l.features[0].values[l.field_index("name")]) == "青年路");
    CHECK(is_null(l.features[1].values[l.field_index("n")]));
    CHECK(length(l.features[1].geometry.lines.at(0)) == Approx(200.0));
    const Layer t = read_layer(path, "summary", ro);
    CHECK(t.features.size() == 1);
}

TEST_CASE("output: the same results give the same bytes", "[output]") {
    const auto d = scratch_dir("determinism");
    write_layers((d / "a.gpkg").string(), OutputFormat::gpkg, crs_from_epsg(4548), sample_layers());
    write_layers((d / "b.gpkg").string(), OutputFormat::gpkg, crs_from_epsg(4548), sample_layers());
    CHECK(read_file(d / "a.gpkg") == read_file(d / "b.gpkg"));
}

TEST_CASE("output: GeoJSON folder is RFC 7946 WGS84 with at most 7 decimals", "[output]") {
    const auto d = scratch_dir("geojson");
    const std::string path = (d / "out").string();
    write_layers(path, OutputFormat::geojson, crs_from_epsg(4548), sample_layers());
    const std::string text = read_file(fs::path(path) / "edges.geojson");
    CHECK(text.find("青年路") != std::string::npos);
    CHECK(text.find("\"crs\"") == std::string::npos); // RFC 7946 has no crs member
    // 383000 E in CM 117E is about 115.7 E.
    CHECK(text.find("[ 115.") != std::string::npos);
    CHECK(text.find("115.70000000") == std::string::npos);
    const Layer l = read_layer((fs::path(path) / "edges.geojson").string());
    CHECK(l.source_crs.epsg == 4326);
    CHECK(l.crs.epsg == 4548);
    CHECK(length(l.features[0].geometry.lines.at(0)) == Approx(100.0).margin(0.05));
}

TEST_CASE("output: an existing output is replaced only when asked", "[output]") {
    const auto d = scratch_dir("overwrite");
    const std::string path = (d / "r.gpkg").string();
    write_layers(path, OutputFormat::gpkg, crs_from_epsg(4548), sample_layers());
    CHECK_THROWS_AS(write_layers(path, OutputFormat::gpkg, crs_from_epsg(4548), sample_layers()), output_error);
    WriteOptions w;
    w.overwrite = true;
    CHECK_NOTHROW(write_layers(path, OutputFormat::gpkg, crs_from_epsg(4548), sample_layers(), w));
}

TEST_CASE("output: a failed write leaves nothing behind", "[output]") {
    const auto d = scratch_dir("atomic");
    auto layers = sample_layers();
    layers[0].features[0].values.push_back(1.0); // more values than fields: refused mid-way
    layers[0].features[0].values.push_back(1.0);
    CHECK_THROWS_AS(write_layers((d / "r.gpkg").string(), OutputFormat::gpkg, crs_from_epsg(4548), layers), processing_error);
    CHECK(fs::is_empty(d));
}

TEST_CASE("output: format from the path", "[output]") {
    CHECK(output_format_for("x/r.gpkg") == OutputFormat::gpkg);
    CHECK(output_format_for("x/out") == OutputFormat::geojson);
    CHECK_THROWS_AS(output_format_for("x/r.shp"), usage_error);
}
