// plan network on an OSM file gives the same summary whether the file is read
// natively (libosmium, one pass) or through GDAL's OSM driver (PLAN_OSM_READER=gdal).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

using plan::test::quote;
using plan::test::run_shell;
using plan::test::shared_data;

namespace {

nlohmann::json summary(const std::string& reader, const std::string& path, const std::string& out) {
    const auto r = run_shell("PLAN_OSM_READER=" + reader + " " + quote(PLAN_CLI) + " network " + quote(path) +
                             " --classes all --noding vertices --snap 0 --json -q -o " + quote(out));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
}

} // namespace

TEST_CASE("monaco_2016: the native OSM reader and GDAL's give the same network", "[network][osm][data]") {
    const std::string path = shared_data("monaco_2016.osm.pbf").string();
    const auto dir = plan::test::scratch_dir("osm_reader_monaco");
    nlohmann::json n = summary("native", path, (dir / "native.gpkg").string());
    nlohmann::json g = summary("gdal", path, (dir / "gdal.gpkg").string());
    // GDAL's `lines` layer holds every tagged way (railways, rivers...) that the
    // builder then leaves out; the native reader keeps highway ways only.
    auto& ns = n["build"]["sources"];
    auto& gs = g["build"]["sources"];
    REQUIRE(ns.size() == gs.size());
    REQUIRE(ns.size() == 2); // lines and the highway areas
    const auto lines_taken = ns[0]["lines"];
    CHECK(gs[0]["features"].get<long>() - gs[0]["filtered_out"].get<long>() ==
          ns[0]["features"].get<long>() - ns[0]["filtered_out"].get<long>());
    for (auto* s : {&ns, &gs}) {
        (*s)[0].erase("features");
        (*s)[0].erase("filtered_out");
    }
    CHECK(n.dump(1) == g.dump(1));
    CHECK(lines_taken.get<long>() > 2000);
    // The edges written are the same rows (geometry, attributes, source feature ids).
    const auto dump = [&](const std::string& f) {
        return run_shell("ogrinfo -ro -al -q " + quote((dir / f).string()) + " edges | grep -v '^Layer name'").out;
    };
    const std::string a = dump("native.gpkg"), b = dump("gdal.gpkg");
    CHECK(a.size() > 100000);
    CHECK(a == b);
}
