// `plan sample-city`: writes the sample city (or, with --segments, a large
// synthetic road network for benchmarks).
#include <chrono>
#include <cstdio>

#include <fmt/format.h>

#include "command.hpp"
#include "plan/log.hpp"
#include "plan/samplecity.hpp"

namespace plan::cli {
namespace {

class SampleCityCommand : public Command {
public:
    std::string name() const override { return "sample-city"; }
    std::string summary() const override {
        return "Write the sample city (a Linqing-like study area with planted defects), or a large synthetic network";
    }
    void setup(CLI::App& app) override {
        app.add_option("-o,--output", dir_, "Folder to write into (created if needed; files of the same names are replaced)")
            ->required();
        app.add_option("--seed", seed_, "Random seed (the committed data/sample-city uses the default)")
            ->capture_default_str();
        app.add_option("--segments", segments_,
                       "Scale mode: write only OUTPUT/roads.gpkg, a synthetic network of about N segments (with crossings "
                       "without shared vertices and bridges), for benchmarks")
            ->check(CLI::Range(std::int64_t{100}, std::int64_t{100'000'000}));
        common_.add_to(app);
    }
    int run() override {
        common_.apply();
        const auto start = std::chrono::steady_clock::now();
        auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
        if (segments_ > 0) {
            const auto r = write_synthetic_network(std::filesystem::path(dir_) / "roads.gpkg", segments_, seed_);
            std::printf("%s: %lld road segments (%lld crossings without a shared vertex, %lld bridges) in %.1f s\n",
                        r.file.string().c_str(), static_cast<long long>(r.segments), static_cast<long long>(r.crossings),
                        static_cast<long long>(r.bridges), seconds());
            return 0;
        }
        const auto r = write_sample_city(dir_, SampleCityOptions{seed_});
        std::printf("%s: %lld road segments, %lld parcels, %lld buildings, %lld enterprises, %lld planted defects (%zu files) in %.1f s\n",
                    dir_.c_str(), static_cast<long long>(r.road_segments), static_cast<long long>(r.parcels),
                    static_cast<long long>(r.buildings), static_cast<long long>(r.enterprises),
                    static_cast<long long>(r.defects), r.files.size(), seconds());
        return 0;
    }

private:
    std::string dir_;
    std::uint64_t seed_ = kSampleCitySeed;
    std::int64_t segments_ = 0;
    CommonOptions common_;
};

static Registration reg{[] { return std::make_unique<SampleCityCommand>(); }};

} // namespace
} // namespace plan::cli
