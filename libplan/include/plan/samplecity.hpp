#pragma once
// The sample city: a Linqing-like study area made by libplan's own seeded
// generator, the default data of `plan run` and the ground truth of the tests.
// The same seed gives the same content on every run (GeoPackage timestamps are
// pinned), so the committed data/sample-city/ can be checked by regenerating it.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace plan {

/// The seed of the committed data/sample-city/.
inline constexpr std::uint64_t kSampleCitySeed = 20240917;

struct SampleCityOptions {
    std::uint64_t seed = kSampleCitySeed;
};

/// What was written, for the command's summary and for tests.
struct SampleCityReport {
    std::int64_t road_segments = 0;
    std::int64_t parcels = 0;
    std::int64_t buildings = 0;
    std::int64_t enterprises = 0;
    std::int64_t defects = 0;          ///< rows of defects.csv
    std::vector<std::string> files;    ///< file names written into the folder, sorted
};

/// Writes the sample city into `dir` (created if needed; files of the same
/// names are replaced, anything else in the folder is left alone): roads.gpkg,
/// barriers.gpkg, landuse.gpkg, skeleton.gpkg, scenarios.gpkg, defects.gpkg,
/// defects.csv, enterprises.csv / .xlsx / _gbk.csv, enterprise_plants.csv,
/// skeleton.toml and README.md. Throws output_error when a file cannot be
/// written and processing_error when the generator's self-check fails (a
/// dead end that was not planted, a planted defect not where it should be).
SampleCityReport write_sample_city(const std::filesystem::path& dir, const SampleCityOptions& options = {});

struct SyntheticNetworkReport {
    std::int64_t segments = 0;  ///< features written
    std::int64_t crossings = 0; ///< crossings drawn without a shared vertex (need `crossings` noding)
    std::int64_t bridges = 0;   ///< bridge features passing over a road without joining it
    std::filesystem::path file;
};

/// Scale mode: writes a large synthetic road network (layer `roads`, the same
/// fields as the sample city) of about `segments` features to `file` (a
/// .gpkg), for benchmarks. Deterministic for a seed.
SyntheticNetworkReport write_synthetic_network(const std::filesystem::path& file, std::int64_t segments,
                                               std::uint64_t seed = kSampleCitySeed);

/// Compares two sample-city folders file by file: GeoPackages and the XLSX
/// feature by feature (fields and geometry), other files byte for byte.
/// Returns the differences found (empty when equal), at most `limit` of them.
std::vector<std::string> compare_sample_city(const std::filesystem::path& expected,
                                             const std::filesystem::path& actual, std::size_t limit = 20);

} // namespace plan
