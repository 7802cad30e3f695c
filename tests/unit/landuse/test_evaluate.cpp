// Joining enterprises to parcels, land areas, shared parcels, scope groups,
// aggregates, low-efficiency land, and every kind of bad input.
#include <catch2/catch.hpp>

#include "landuse/parcel_geometry.hpp"
#include "landuse_fixtures.hpp"
#include "plan/error.hpp"

using namespace plan::landuse;
using namespace landuse_test;

namespace {

// Geometry areas, one group with tax per mu, threshold classes for readable tests.
const std::string kGeometryMethod = R"([method]
name = "geo"
[fields]
parcel = "parcel_id"
output = "revenue"
land_area = "land_mu"
[land]
area = "geometry"
shared_parcel = "combine"
[[group]]
id = "all"
name = "全部"
classes = { by = "threshold", limits = [150, 100, 50] }
[[group.indicator]]
id = "tax_per_mu"
expr = "tax / land_mu"
weight = 100
benchmark = 100   # fixed: the score equals tax per mu
[zombie]
when = "coalesce(output, 0) / land_mu < 5"
)";

Evaluation run(const std::string& method, const plan::Layer& t, const plan::Layer* parcels,
               void (*tweak)(Inputs&) = nullptr) {
    Inputs in;
    in.enterprises = &t;
    in.parcels = parcels;
    if (tweak) tweak(in);
    return evaluate(parse_method(method, "test.toml"), in);
}

} // namespace

TEST_CASE("units: mu, ha and acres", "[landuse][units]") {
    CHECK(mu_from_m2(10000.0) == Approx(15.0));
    CHECK(ha_from_m2(10000.0) == 1.0);
    CHECK(acres_from_m2(4046.8564224) == Approx(1.0));
    CHECK(mu_from_m2(m2_per_acre) == Approx(6.0703).epsilon(1e-4));
}

TEST_CASE("parcel geometry: area, containment with holes and boundaries, centroid, validity", "[landuse][geometry]") {
    plan::Geometry g = rectangle(0, 0, 10, 10);
    g.polygons[0].rings.push_back({{2, 2}, {4, 2}, {4, 4}, {2, 4}, {2, 2}});
    CHECK(polygon_area(g) == Approx(96.0));
    CHECK(contains(g, {1, 1}));
    CHECK_FALSE(contains(g, {3, 3}));  // in the hole
    CHECK(contains(g, {10, 5}));       // on the boundary
    CHECK_FALSE(contains(g, {11, 5}));
    const auto c = centroid(rectangle(500000, 4000000, 500010, 4000020));
    REQUIRE(c);
    CHECK(c->x == Approx(500005.0));
    CHECK(c->y == Approx(4000010.0));
    CHECK(invalid_reason(rectangle(0, 0, 1, 1)).empty());
    plan::Geometry bowtie;
    bowtie.kind = plan::GeometryKind::polygon;
    bowtie.polygons.push_back(plan::Polygon{{{{0, 0}, {10, 10}, {10, 0}, {0, 10}, {0, 0}}}});
    CHECK_THAT(invalid_reason(bowtie), Catch::Contains("Self-intersection"));
    std::vector<const plan::Geometry*> polys{&g};
    const PolygonIndex index(polys);
    CHECK(index.containing({1, 1}).size() == 1);
    CHECK(index.containing({3, 3}).empty());
}

TEST_CASE("join by parcel id: geometry areas, parcel classes, aggregates by land use", "[landuse][join]") {
    const auto parcels_layer = parcels({10, 4, 6}, {"M1", "M1", "M2"});
    const auto t = table({"id", "parcel_id", "tax", "revenue", "industry"},
                         {{T("E1"), T("P1"), N(1000), N(5000), T("C26")},
                          {T("E2"), T("P2"), N(800), N(3000), T("C34")},
                          {T("E3"), T("P3"), N(300), N(6), T("C26")}});
    const auto e = run(kGeometryMethod, t, &parcels_layer);
    REQUIRE(e.parcels.size() == 3);
    CHECK(e.parcels[0].mu == Approx(10.0));
    CHECK(e.parcels[0].area_m2 == Approx(10 * m2_per_mu));
    CHECK(e.parcels[0].ha == Approx(10.0 / 15.0));
    CHECK(e.parcels[1].mu == Approx(4.0));
    // tax/mu: 100, 200, 50 -> B, A, C (thresholds 150, 100, 50)
    CHECK(by_id(e, "E1").cls == "B");
    CHECK(by_id(e, "E2").cls == "A");
    CHECK(by_id(e, "E3").cls == "C");
    CHECK(by_id(e, "E1").land_source == "geometry");
    CHECK(e.parcels[1].cls == "A");
    CHECK(e.parcels[1].enterprises == std::vector<std::string>{"E2"});
    // E3: revenue 6 on 6 mu = 1 per mu < 5: a zombie, on the low-efficiency list
    CHECK(by_id(e, "E3").zombie);
    REQUIRE(e.low_efficiency.size() == 1);
    CHECK(e.low_efficiency[0].parcel_id == "P3");
    CHECK(e.low_efficiency[0].mu == Approx(6.0));
    CHECK(e.low_efficiency[0].reasons == std::vector<std::string>{"zombie"});
    CHECK(e.parcels[2].low_efficiency);
    // aggregates by land use: M1 = P1 + P2 (14 mu, tax 1800), M2 = P3
    const auto& lu = e.aggregates.at("landuse");
    REQUIRE(lu.size() == 2);
    CHECK(lu[0].key == "M1");
    CHECK(lu[0].parcels == 2);
    CHECK(lu[0].parcel_mu == Approx(14.0));
    CHECK(lu[0].tax == 1800.0);
    CHECK(*lu[0].tax_per_mu == Approx(1800.0 / 14.0));
    CHECK(lu[0].classes.at("A") == 1);
    CHECK(lu[0].class_shares.at("B") == 0.5);
    const auto& ind = e.aggregates.at("industry");
    REQUIRE(ind.size() == 2);
    CHECK(ind[0].key == "C26");
    CHECK(ind[0].enterprises == 2);
    CHECK(ind[0].land_mu == Approx(16.0));
    CHECK(ind[0].output == 5006.0);
}

TEST_CASE("spatial join: enterprise points inside parcels", "[landuse][join]") {
    const auto parcels_layer = parcels({3, 3});
    auto t = table({"id", "tax"}, {{T("A"), N(300)}, {T("B"), N(90)}, {T("C"), N(10)}});
    const double w = 3 * m2_per_mu / 100.0;
    t.features[0].geometry = point(500000 + w / 2, 4000050);
    t.features[1].geometry = point(500000 + w + 10 + 1, 4000099);
    t.features[2].geometry = point(400000, 4000050); // in no parcel
    std::string method = kGeometryMethod;
    method.replace(method.find("parcel = \"parcel_id\"\n"), 21, "");
    const auto e = run(method, t, &parcels_layer, [](Inputs& in) { in.parcel_id_field = "parcel_id"; });
    CHECK(by_id(e, "A").parcel_id == "P1");
    CHECK(by_id(e, "A").cls == "B");
    CHECK(by_id(e, "B").parcel_id == "P2");
    CHECK(by_id(e, "B").cls == "D");
    CHECK(by_id(e, "C").status == Status::excluded);
    CHECK(by_id(e, "C").reason == "outside_parcels");
    const auto* issue = find_issue(e, "outside_parcels", 3);
    REQUIRE(issue);
    CHECK(issue->id == "C");
}

TEST_CASE("shared parcels: combine evaluates them together, split_equal halves the land", "[landuse][shared]") {
    const auto parcels_layer = parcels({10, 10});
    const auto t = table({"id", "parcel_id", "tax", "revenue"}, {{T("S1"), T("P1"), N(600), N(1000)},
                                                                {T("S2"), T("P1"), N(900), N(1000)},
                                                                {T("S3"), T("P2"), N(1200), N(1000)}});
    auto e = run(kGeometryMethod, t, &parcels_layer);
    // combined: (600 + 900) / 10 = 150 -> A, shared by both
    for (const char* id : {"S1", "S2"}) {
        const auto& r = by_id(e, id);
        CHECK(r.unit == "parcel:P1");
        CHECK(*r.indicators[0].value == Approx(150.0));
        CHECK(r.cls == "A");
        CHECK(r.land_mu == Approx(10.0));
    }
    CHECK(by_id(e, "S1").shared_with == std::vector<std::string>{"S2"});
    CHECK(e.parcels[0].cls == "A");
    CHECK(e.parcels[0].rule == "shared by 2 enterprises, evaluated together");
    CHECK(e.parcels[0].tax == 1500.0);

    std::string split = kGeometryMethod;
    split.replace(split.find("\"combine\""), 9, "\"split_equal\"");
    e = run(split, t, &parcels_layer);
    // 5 mu each: 120 -> B and 180 -> A; the parcel takes the worse class
    CHECK(*by_id(e, "S1").indicators[0].value == Approx(120.0));
    CHECK(by_id(e, "S1").cls == "B");
    CHECK(by_id(e, "S2").cls == "A");
    CHECK(by_id(e, "S1").land_source == "geometry (1/2 of the parcel)");
    CHECK(e.parcels[0].cls == "B");
    CHECK_THAT(e.parcels[0].rule, Catch::Contains("worst class"));
}

TEST_CASE("table land areas: used as the method says, large disagreements reported", "[landuse][join]") {
    const auto parcels_layer = parcels({10, 10});
    const auto t = table({"id", "parcel_id", "tax", "land_mu"}, {{T("E1"), T("P1"), N(1000), N(8)},
                                                                {T("E2"), T("P2"), N(1000), N(9)}});
    std::string method = kGeometryMethod;
    method.replace(method.find("area = \"geometry\""), 17, "area = \"table_else_geometry\"\ntolerance = 0.15");
    const auto e = run(method, t, &parcels_layer);
    CHECK(by_id(e, "E1").land_mu == 8.0);
    CHECK(by_id(e, "E1").land_source == "table");
    // 8 vs 10 mu: 20 % > 15 %: reported on the parcel and on E1's row; 9 vs 10: 10 %: not
    REQUIRE(count_issues(e, "area_disagreement") == 2);
    const plan::landuse::Issue* i = nullptr;
    const plan::landuse::Issue* on_row = nullptr;
    for (const auto& x : e.issues) {
        if (x.code != "area_disagreement") continue;
        (x.table == "parcels" ? i : on_row) = &x;
    }
    REQUIRE(i);
    CHECK(i->row == 1);
    CHECK(i->id == "P1");
    CHECK_THAT(i->message, Catch::Contains("8.00 mu (E1)") && Catch::Contains("10.00 mu by 20 %"));
    REQUIRE(on_row);
    CHECK(on_row->table == "enterprises");
    CHECK(on_row->row == 1);
    CHECK(on_row->id == "E1");
    CHECK(on_row->field == "land_mu");
    CHECK_THAT(on_row->message, Catch::Contains("parcel 'P1'") && Catch::Contains("the method uses the table's figure"));
}

TEST_CASE("scope groups: 规上 and 规下 ranked separately, minimum land, excluded industries", "[landuse][scope]") {
    const std::string method = R"([method]
name = "scope"
[fields]
land_area = "land"
[land]
area = "table"
[[group]]
id = "above"
name = "规上"
when = "scale == \"规上\""
exclude_industries = ["44"]
classes = { by = "rank_share", limits = [0.5, 0.9, 0.99] }
[[group.indicator]]
id = "tax_per_mu"
expr = "tax / land_mu"
weight = 100
[[group]]
id = "below"
name = "规下"
min_land_mu = 3
classes = { by = "rank_share", limits = [0.5, 0.9, 0.99] }
[[group.indicator]]
id = "tax_per_mu"
expr = "tax / land_mu"
weight = 100
)";
    const auto t = table({"id", "scale", "industry", "tax", "land"},
                         {{T("U1"), T("规上"), T("C26"), N(100), N(10)}, {T("U2"), T("规上"), T("C34"), N(10), N(10)},
                          {T("U3"), T("规上"), T("4411"), N(500), N(10)}, {T("L1"), T("规下"), T("C26"), N(5), N(5)},
                          {T("L2"), Blank(), T("C26"), N(50), N(5)}, {T("L3"), T("规下"), T("C26"), N(900), N(2.5)}});
    const auto e = run(method, t, nullptr);
    CHECK(by_id(e, "U1").group == "above");
    CHECK(by_id(e, "U1").cls == "A");
    CHECK(by_id(e, "U2").cls == "D"); // rank 2 > floor(2 x 0.99) = 1
    CHECK(by_id(e, "U1").group_size == 2);
    CHECK(by_id(e, "U3").status == Status::measured);
    CHECK(by_id(e, "U3").reason == "excluded_industry");
    CHECK(by_id(e, "U3").indicators.at(0).value == 50.0); // measured: the indicator is still shown
    CHECK(by_id(e, "L2").group == "below");
    CHECK(by_id(e, "L2").cls == "A");
    CHECK(by_id(e, "L1").cls == "D");
    CHECK(by_id(e, "L3").status == Status::excluded);
    CHECK(by_id(e, "L3").reason == "below_min_land");
    CHECK(e.excluded_by_reason.at("below_min_land") == 1);
    CHECK(e.excluded_by_reason.at("excluded_industry") == 1);
    REQUIRE(e.groups.size() == 2);
    CHECK(e.groups[0].graded == 2);
    CHECK(e.groups[1].graded == 2);
}

TEST_CASE("bad input: unknown parcel, duplicate id, missing id, zero-area and invalid parcels", "[landuse][bad-input]") {
    auto parcels_layer = parcels({10, 10, 10, 10});
    parcels_layer.features[2].geometry = rectangle(0, 0, 0, 50); // zero area
    parcels_layer.features[3].geometry.polygons[0].rings[0] = {{0, 0}, {100, 100}, {100, 0}, {0, 60}, {0, 0}}; // bow tie
    const auto t = table({"id", "parcel_id", "tax"}, {{T("E1"), T("P1"), N(1000)},
                                                     {T("E1"), T("P2"), N(2000)},
                                                     {T("E3"), T("P9"), N(500)},
                                                     {Blank(), T("P2"), N(500)},
                                                     {T("E5"), T("P3"), N(500)},
                                                     {T("E6"), T("P4"), N(500)}});
    const auto e = run(kGeometryMethod, t, &parcels_layer);
    CHECK(by_id(e, "E1").status == Status::graded);
    const auto* dup = find_issue(e, "duplicate_id", 2);
    REQUIRE(dup);
    CHECK_THAT(dup->message, Catch::Contains("already on row 1"));
    CHECK(e.enterprises[1].status == Status::excluded);
    CHECK(e.enterprises[1].reason == "duplicate_id");
    REQUIRE(find_issue(e, "unknown_parcel", 3));
    CHECK(by_id(e, "E3").reason == "unknown_parcel");
    REQUIRE(find_issue(e, "missing_id", 4));
    CHECK(by_id(e, "E5").reason == "parcel_unusable");
    CHECK(by_id(e, "E6").reason == "parcel_unusable");
    REQUIRE(find_issue(e, "parcel_zero_area", 3));
    const auto* invalid = find_issue(e, "parcel_invalid", 4);
    REQUIRE(invalid);
    CHECK_THAT(invalid->message, Catch::Contains("Self-intersection"));
    CHECK(e.parcels[2].status == "zero_area");
    CHECK(e.parcels[3].status == "invalid");
    CHECK(e.parcel_problems.at("invalid") == 1);
    CHECK(e.parcel_problems.at("zero_area") == 1);
    // nothing dropped silently: 5 of 6 rows not graded, each counted by reason
    CHECK(e.excluded_by_reason.at("duplicate_id") == 1);
    CHECK(e.excluded_by_reason.at("unknown_parcel") == 1);
    CHECK(e.excluded_by_reason.at("missing_id") == 1);
    CHECK(e.excluded_by_reason.at("parcel_unusable") == 2);
    int counted = 0;
    for (const auto& [k, n] : e.excluded_by_reason) counted += n;
    CHECK(counted == 5);
}

TEST_CASE("bad input: an unknown parcel with a table land area goes on without the parcel", "[landuse][bad-input]") {
    const auto parcels_layer = parcels({10});
    const auto t = table({"id", "parcel_id", "tax", "land_mu"}, {{T("E1"), T("P7"), N(1000), N(5)}});
    std::string method = kGeometryMethod;
    method.replace(method.find("area = \"geometry\""), 17, "area = \"table_else_geometry\"");
    const auto e = run(method, t, &parcels_layer);
    CHECK(by_id(e, "E1").status == Status::graded);
    CHECK(by_id(e, "E1").land_mu == 5.0);
    const auto* i = find_issue(e, "unknown_parcel", 1);
    REQUIRE(i);
    CHECK(i->severity == Severity::warning);
    CHECK_THAT(i->message, Catch::Contains("table's land area"));
}

TEST_CASE("bad input: negative and non-numeric values, division by zero", "[landuse][bad-input]") {
    const std::string method = R"([method]
name = "m"
[fields]
land_area = "land"
[land]
area = "table"
[[group]]
id = "g"
classes = { by = "threshold", limits = [90, 60, 30] }
[[group.indicator]]
id = "tax_per_mu"
expr = "tax / land_mu"
weight = 50
[[group.indicator]]
id = "va_per_energy"
expr = "va / energy"
weight = 50
missing = "zero"
)";
    const auto t = table({"id", "tax", "va", "energy", "land"}, {{T("ok"), N(100), N(10), N(5), N(1)},
                                                                {T("neg"), N(-5), N(10), N(5), N(1)},
                                                                {T("txt"), T("n/a"), N(10), N(5), N(1)},
                                                                {T("div"), N(100), N(10), N(0), N(1)},
                                                                {T("badland"), N(100), N(10), N(5), T("ten")}});
    const auto e = run(method, t, nullptr);
    const auto* neg = find_issue(e, "negative_value", 2);
    REQUIRE(neg);
    CHECK(neg->field == "tax");
    CHECK(by_id(e, "neg").reason == "missing_value");
    REQUIRE(find_issue(e, "non_numeric_value", 3));
    CHECK(by_id(e, "txt").reason == "missing_value");
    CHECK_THAT(by_id(e, "txt").rule, Catch::Contains("non-numeric value"));
    const auto* div = find_issue(e, "division_by_zero", 4);
    REQUIRE(div);
    CHECK(div->field == "energy");
    CHECK_THAT(div->message, Catch::Contains("sub-score 0"));
    CHECK(by_id(e, "div").status == Status::graded); // the rule is "zero": it goes on
    CHECK(*by_id(e, "div").indicators[1].sub_score == 0.0);
    REQUIRE(find_issue(e, "non_numeric_value", 5));
    CHECK(by_id(e, "badland").reason == "no_land_area");
    CHECK(e.excluded_by_reason.at("missing_value") == 2);
}

TEST_CASE("bad input: a column the method names that the table lacks", "[landuse][bad-input]") {
    const auto t = table({"enterprise_id", "tax", "land_mu"}, {{T("E1"), N(1), N(1)}});
    Inputs in;
    in.enterprises = &t;
    const Method zj = load_method("zhejiang");
    try {
        (void)evaluate(zj, in);
        FAIL("no error");
    } catch (const plan::usage_error& err) {
        CHECK_THAT(err.message(), Catch::Contains("no column 'scale' (method field 'above_scale')"));
        CHECK_THAT(err.hint(), Catch::Contains("--field above_scale=COLUMN") && Catch::Contains("tax, land_mu"));
    }
    // With the scope column, the indicators' columns are missing next.
    const auto t2 = table({"enterprise_id", "tax", "land_mu", "scale"}, {{T("E1"), N(1), N(1), T("规上")}});
    in.enterprises = &t2;
    CHECK_THROWS_WITH(evaluate(zj, in), Catch::Contains("no column 'value_added'"));
    // Column names mapped with overrides
    const auto t3 = table({"企业代码", "实缴税金", "用地面积"}, {{T("E1"), N(30), N(3)}});
    const Method one = parse_method(one_group_method(R"([[group.indicator]]
id = "tax_per_mu"
expr = "tax / land_mu"
weight = 100
)", "{ by = \"threshold\", limits = [3, 2, 1] }"), "m.toml");
    in.enterprises = &t3;
    in.field_overrides = {{"id", "企业代码"}, {"tax", "实缴税金"}, {"land_area", "用地面积"}};
    const auto e = evaluate(one, in);
    CHECK(*by_id(e, "E1").score == Approx(100.0));
}

TEST_CASE("zhejiang end to end: 规上 six indicators, 规下 by tax per mu, missing emission gets the average",
          "[landuse][zhejiang]") {
    const auto t = table(
        {"enterprise_id", "scale", "tax", "value_added", "revenue", "energy_tce", "emissions", "employees", "rd_spending", "land_mu"},
        {{T("Z1"), N(1), N(300), N(2000), N(8000), N(100), N(10), N(100), N(240), N(10)},
         {T("Z2"), N(1), N(100), N(1000), N(5000), N(200), Blank(), N(50), N(50), N(10)},
         {T("Z3"), N(1), N(50), N(400), N(2000), N(100), N(20), N(40), Blank(), N(5)},
         {T("B1"), N(0), N(30), Blank(), Blank(), Blank(), Blank(), Blank(), Blank(), N(3)},
         {T("B2"), N(0), N(10), Blank(), Blank(), Blank(), Blank(), Blank(), Blank(), N(5)}});
    Inputs in;
    in.enterprises = &t;
    const auto e = evaluate(load_method("zhejiang"), in);
    // tax/mu 30, 10, 10 (mean 16.667): 30 x 30/16.667 = 54 capped at 60? no: 54 < 60.
    const auto& z1 = by_id(e, "Z1");
    REQUIRE(z1.status == Status::graded);
    CHECK(*z1.indicators[0].sub_score == Approx(30.0 * 30.0 / (50.0 / 3.0)));
    // emission: Z1 200, Z3 20 -> mean 110; Z1 10 x 200/110, Z3 10 x 20/110; Z2 gets their mean = 10 x 110/110 / ... = 10
    CHECK(*by_id(e, "Z2").indicators[3].sub_score == Approx((10.0 * 200 / 110 + 10.0 * 20 / 110) / 2));
    // R&D blank -> 0 for Z3
    CHECK(*by_id(e, "Z3").indicators[5].sub_score == 0.0);
    // 规下: B1 10/mu, B2 2/mu: mean 6 -> 166.67 capped at 200? no; 33.3
    CHECK(by_id(e, "B1").group == "below_scale");
    CHECK(*by_id(e, "B1").score == Approx(100.0 * 10 / 6));
    CHECK(*by_id(e, "B2").score == Approx(100.0 * 2 / 6));
    CHECK(e.groups[0].graded == 3);
    CHECK(e.groups[1].graded == 2);
    // absent veto/protection columns are reported once each, not fatal
    CHECK(count_issues(e, "absent_column") == 2);
}
