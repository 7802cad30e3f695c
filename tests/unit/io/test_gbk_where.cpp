// A --where filter written in UTF-8 on a GBK shapefile that GDAL reads as raw
// bytes: the filter is written in the source's encoding, so Chinese names match.
#include <catch2/catch.hpp>

#include <filesystem>

#include "plan/source.hpp"
#include "test_support.hpp"

using namespace plan;

TEST_CASE("a --where filter on Chinese names matches in a GBK shapefile (tianjin_hexi_gbk)", "[io][real]") {
    const auto shp = plan::test::shared_data("tianjin_hexi_gbk/roads.shp");
    if (!std::filesystem::exists(shp)) plan::test::skip("tianjin_hexi_gbk is not in ../shared/data/real");
    ReadOptions o;
    o.where = "Name='贵州路'";
    o.want = GeometryKind::line;
    const Layer l = read_layer(shp.string(), {}, o);
    // GeoPandas (encoding gbk) and ogrinfo --config SHAPE_ENCODING GBK both find 10 features.
    CHECK(l.features.size() == 10);
    const int name = l.field_index("Name");
    REQUIRE(name >= 0);
    for (const auto& f : l.features) CHECK(std::get<std::string>(f.values[static_cast<std::size_t>(name)]) == "贵州路");
    // A LIKE pattern too.
    o.where = "Name LIKE '%贵州路'";
    CHECK(read_layer(shp.string(), {}, o).features.size() == 10);
}
