// Scale mode: a large synthetic road network for benchmarks. A jittered grid of
// streets (one feature per block side), with some rows drawn as long CAD
// polylines that cross the streets without shared vertices, and some streets
// carried over a row on bridges. Written feature by feature: 1M segments never
// sit in memory at once.
#include <algorithm>
#include <cmath>
#include <system_error>

#include "plan/error.hpp"
#include "plan/samplecity.hpp"
#include "samplecity/gdal_out.hpp"
#include "samplecity/model.hpp"
#include "samplecity/random.hpp"

namespace plan {

SyntheticNetworkReport write_synthetic_network(const std::filesystem::path& file, std::int64_t segments, std::uint64_t seed) {
    using namespace plan::samplecity;
    if (segments < 100 || segments > 100'000'000)
        throw usage_error("--segments must be between 100 and 100000000, not " + std::to_string(segments));
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) {
        ErrorContext where;
        where.file = file.string();
        throw output_error("cannot create folder " + file.parent_path().string() + ": " + ec.message(), where);
    }
    // 2 n (n - 1) block sides for n x n junctions.
    auto n = static_cast<std::int64_t>(std::floor(std::sqrt(static_cast<double>(segments) / 2.0)));
    const double spacing = 120.0, x0 = 300000.0, y0 = 4000000.0;
    constexpr std::int64_t kCadEvery = 10, kCadRow = 5, kCadLength = 20, kBridgeEvery = 25, kBridgeRow = 7;
    auto node = [&](std::int64_t i, std::int64_t j) {
        // Jitter from a hash of (seed, i, j): the same junction, whoever asks.
        Rng r(seed ^ (static_cast<std::uint64_t>(i) * 0x9E3779B97F4A7C15ULL) ^ (static_cast<std::uint64_t>(j) * 0xC2B2AE3D27D4EB4FULL));
        return Point{std::round((x0 + i * spacing + r.uniform(-0.2, 0.2) * spacing) * 1000) / 1000,
                     std::round((y0 + j * spacing + r.uniform(-0.2, 0.2) * spacing) * 1000) / 1000};
    };
    OutLayer schema{"roads", GeometryKind::line, false,
                    {{"name", FieldType::string}, {"等级", FieldType::string}, {"oneway", FieldType::string},
                     {"bridge", FieldType::string}, {"tunnel", FieldType::string}, {"layer", FieldType::integer}}, {}};
    DatasetWriter w("GPKG", file);
    // No R-tree: GDAL takes longer to build it than to write the features, and a
    // benchmark reads every feature anyway.
    w.layer(schema, false);
    SyntheticNetworkReport report;
    report.file = file;
    OutFeature f;
    f.geometry.kind = GeometryKind::line;
    f.geometry.lines.resize(1);
    bool dry = true;
    std::int64_t counted = 0;
    auto emit = [&](auto&& make_line, const char* grade, bool bridge, std::int64_t name_no) {
        ++counted;
        if (dry) return;
        f.geometry.lines[0] = make_line();
        f.values = {std::string(grade) == "次干路" ? "纬" + std::to_string(name_no) + "路" : "街" + std::to_string(name_no),
                    std::string(grade), std::string("no"), std::string(bridge ? "yes" : "no"), std::string("no"),
                    std::int64_t{bridge ? 1 : 0}};
        w.add(f);
    };
    auto cad_rows = [&] { return n > 2 * kCadEvery; };
    auto is_cad_row = [&](std::int64_t j) { return cad_rows() && j % kCadEvery == kCadRow && j + 1 < n; };
    auto is_bridge = [&](std::int64_t i, std::int64_t j) { return i % kBridgeEvery == 12 && j % kCadEvery == kBridgeRow && j + 1 < n; };
    auto generate = [&] {
        counted = 0;
        report.crossings = report.bridges = 0;
        for (std::int64_t j = 0; j < n; ++j) {
            // Horizontal: block sides, or CAD polylines of kCadLength blocks.
            if (is_cad_row(j)) {
                for (std::int64_t i = 0; i + 1 < n; i += kCadLength)
                    emit([&] {
                        LineString l;
                        for (std::int64_t k = i; k <= std::min(n - 1, i + kCadLength); ++k) l.push_back(node(k, j));
                        return l;
                    }, "次干路", false, j);
            } else {
                for (std::int64_t i = 0; i + 1 < n; ++i) emit([&] { return LineString{node(i, j), node(i + 1, j)}; }, "支路", false, j);
            }
        }
        for (std::int64_t i = 0; i < n; ++i) {
            for (std::int64_t j = 0; j + 1 < n; ++j) {
                // A street passing a CAD row, or a bridge over a row, is one feature over two blocks.
                if (j + 2 < n && i > 0 && i + 1 < n && is_cad_row(j + 1)) {
                    emit([&] { return LineString{node(i, j), node(i, j + 2)}; }, "支路", false, 100000 + i);
                    ++report.crossings;
                    ++j;
                } else if (j + 2 < n && is_bridge(i, j + 1) && !is_cad_row(j + 1)) {
                    emit([&] { return LineString{node(i, j), node(i, j + 2)}; }, "支路", true, 100000 + i);
                    ++report.bridges;
                    ++j;
                } else {
                    emit([&] { return LineString{node(i, j), node(i, j + 1)}; }, "支路", false, 100000 + i);
                }
            }
        }
    };
    // The smallest grid that reaches the requested size (a dry run only counts).
    for (generate(); counted < segments; generate()) ++n;
    dry = false;
    generate();
    report.segments = counted;
    w.finish();
    return report;
}

} // namespace plan
