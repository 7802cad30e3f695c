#include "vis_fixture.hpp"

#include <nlohmann/json.hpp>

#include "plan/centrality.hpp"
#include "plan/landuse.hpp"
#include "plan/metrics.hpp"
#include "plan/network_analysis.hpp"
#include "plan/network_build.hpp"
#include "plan/skeleton.hpp"
#include "plan/source.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace plan::test {
namespace {

fs::path sample(const std::string& file) { return source_dir() / "data" / "sample-city" / file; }

struct Analysed {
    std::vector<OutLayer> layers;
    ordered_json json; ///< network, metrics, skeleton (+ landuse for the base)
    double skeleton_built = 0, skeleton_planned = 0;
    std::size_t dead_ends = 0, components = 0;
    double length_km = 0;
};

/// As `plan network ROADS --study-area landuse.gpkg|layername=study_boundary`,
/// `plan skeleton --spec skeleton.toml --barriers barriers.gpkg` and `plan metrics`
/// (indices, OSMnx stats, sampled circuity; betweenness at 400 m).
Analysed analyse(const std::vector<const Layer*>& roads, const std::vector<Polygon>& study_area,
                 const SkeletonSpec& spec, const SkeletonInputs& skeleton_inputs, bool with_centrality) {
    Analysed a;
    BuildReport report;
    const Network net = build_network(roads, BuildOptions{}, &report);
    DeadEndOptions dopt;
    dopt.study_area = study_area;
    const Structure structure = analyse_structure(net);
    const auto dead_ends = find_dead_ends(net, structure, dopt);
    const NetworkSummary summary = summarise(net, structure, dead_ends, report);
    a.layers = network_layers(net, structure, dead_ends);
    a.json["network"] = ordered_json::parse(to_json(summary, report));
    a.dead_ends = summary.dead_ends.total;
    a.components = summary.components;
    a.length_km = summary.length_km;

    MetricsOptions mopt;
    MetricsReport m;
    m.crs = net.crs().label();
    m.indices = connectivity_indices(net, mopt);
    m.osmnx = osmnx_basic_stats(net);
    CircuityOptions copt;
    copt.all_pairs_max_nodes = 0; // sampled
    copt.sample_pairs = 500;
    m.circuity = od_circuity(net, copt);
    a.json["metrics"] = ordered_json::parse(to_json(m));
    if (with_centrality) {
        CentralityOptions cen;
        cen.global = false;
        cen.radii = {400};
        cen.closeness = false;
        cen.threads = 2;
        const CentralityResult c = centrality(net, cen);
        auto metric_layers = metrics_layers(net, mopt, &c);
        metric_layers.front().name = "centrality"; // the metrics edges, drawn by betweenness
        a.layers.push_back(std::move(metric_layers.front()));
    }

    const SkeletonResult sk = analyse_skeleton(net, spec, skeleton_inputs);
    for (auto& l : skeleton_layers(sk)) a.layers.push_back(std::move(l));
    a.json["skeleton"] = ordered_json::parse(to_json(sk));
    for (const auto& l : sk.lines) a.skeleton_built += l.built_m, a.skeleton_planned += l.planned_m;
    return a;
}

/// An input layer as a result layer (zones and parks are drawn as read).
OutLayer as_result(const Layer& in, const std::string& name) {
    OutLayer out{name, GeometryKind::polygon, true, {}, {}};
    for (const auto& f : in.fields)
        out.fields.push_back({f.name, f.type == FieldType::integer || f.type == FieldType::real ? f.type : FieldType::string});
    for (const auto& f : in.features) {
        OutFeature o;
        o.geometry = f.geometry;
        for (const auto& v : f.values) o.values.push_back(v);
        out.features.push_back(std::move(o));
    }
    return out;
}

} // namespace

VisRun build_vis_run(const std::string& name, bool centrality) {
    VisRun run;
    run.dir = scratch_dir(name);
    run.gpkg = run.dir / "results.gpkg";

    ReadOptions lines;
    lines.want = GeometryKind::line;
    const Layer roads = read_layer(sample("roads.gpkg").string(), {}, lines);
    run.crs = roads.crs;
    ReadOptions same;
    same.target_crs = roads.crs.wkt;
    Layer links = read_layer(sample("scenarios.gpkg").string(), "phase1_links", same);
    // The new links are local roads (the layer has no class field).
    links.fields.push_back({"等级", FieldType::string, "String"});
    for (auto& f : links.features) f.values.emplace_back(std::string("支路"));

    std::vector<Polygon> area;
    for (auto& f : read_layer(sample("landuse.gpkg").string(), "study_boundary", same).features)
        for (auto& p : f.geometry.polygons) area.push_back(p);
    const SkeletonSpec spec = SkeletonSpec::from_file(sample("skeleton.toml").string());
    SkeletonInputs sin;
    {
        VectorSource barriers(sample("barriers.gpkg").string());
        for (int i = 0; i < static_cast<int>(barriers.layer_names().size()); ++i)
            sin.barriers.push_back(barrier_from_layer(barriers.read(i, same)));
    }

    Analysed base = analyse({&roads}, area, spec, sin, centrality);
    Analysed phase1 = analyse({&roads, &links}, area, spec, sin, false);

    // Land efficiency, as `plan landuse landuse.gpkg --parcels-layer parcels --enterprises enterprises.csv`.
    const Layer parcels = read_layer(sample("landuse.gpkg").string(), "parcels", same);
    const Layer table = read_layer(sample("enterprises.csv").string(), {}, same);
    landuse::Inputs in;
    in.enterprises = &table;
    in.parcels = &parcels;
    const landuse::Evaluation e = landuse::evaluate(landuse::load_method("zhejiang"), in);
    for (auto& l : landuse::result_layers(e, &parcels, &table)) base.layers.push_back(std::move(l));
    base.json["landuse"] = ordered_json::parse(landuse::summary_json(e));
    base.layers.push_back(as_result(read_layer(sample("landuse.gpkg").string(), "zones", same), "zones"));
    base.layers.push_back(as_result(read_layer(sample("landuse.gpkg").string(), "industrial_parks", same), "parks"));

    // The scenario's changes: the added links.
    OutLayer changes{"changes", GeometryKind::line, false,
                     {{"change", FieldType::string}, {"link_id", FieldType::string}, {"name", FieldType::string}}, {}};
    double new_km = 0;
    const int id = links.field_index("link_id"), nm = links.field_index("name");
    for (const auto& f : links.features) {
        OutFeature o;
        o.geometry = f.geometry;
        o.values = {std::string("add"), f.values[id], f.values[nm]};
        for (const auto& l : f.geometry.lines) new_km += length(l) / 1000;
        changes.features.push_back(std::move(o));
    }
    phase1.layers.push_back(std::move(changes));

    ordered_json summary;
    summary["study"] = {{"name", "sample-city"}, {"title", "样例城市 路网与用地分析"}, {"crs", run.crs.label()}};
    summary["base"] = base.json;
    ordered_json scn = phase1.json;
    scn["changes"] = {{"added_roads", links.features.size()}, {"new_road_km", new_km}};
    summary["scenarios"]["phase1"] = scn;
    ordered_json row;
    row["scenario"] = "phase1";
    row["new_road_km"] = new_km;
    row["length_km_delta"] = phase1.length_km - base.length_km;
    row["dead_ends_removed"] = static_cast<long long>(base.dead_ends) - static_cast<long long>(phase1.dead_ends);
    row["components_joined"] = static_cast<long long>(base.components) - static_cast<long long>(phase1.components);
    row["skeleton_completion_pct_change"] =
        100 * (phase1.skeleton_built / phase1.skeleton_planned - base.skeleton_built / base.skeleton_planned);
    summary["comparison"] = ordered_json::array({row});
    run.summary_json = summary.dump(2);

    std::vector<OutLayer> all;
    for (auto* g : {&base, &phase1}) {
        const std::string group = g == &base ? "base" : "phase1";
        for (const auto& l : g->layers) {
            OutLayer copy = l;
            copy.name = group + "__" + l.name;
            run.styled.push_back(styled_layer(l, copy.name, group));
            all.push_back(std::move(copy));
            if (l.name == "edges" && group == "base")
                for (const auto& f : l.features) run.extent.expand(f.geometry.envelope());
        }
        run.groups.push_back({group, std::move(g->layers)});
    }
    write_layers(run.gpkg.string(), OutputFormat::gpkg, run.crs, all, WriteOptions{true});
    return run;
}

std::string expected_project_json(const VisRun& run) {
    ordered_json j;
    j["crs"] = run.crs.epsg ? "EPSG:" + std::to_string(run.crs.epsg) : run.crs.wkt;
    j["extent"] = {run.extent.minx, run.extent.miny, run.extent.maxx, run.extent.maxy};
    j["groups"] = {"base", "phase1"};
    j["gpkg"] = run.gpkg.string();
    for (const auto& l : run.styled) {
        const StyleChoice c = style_choice(l);
        j["layers"][l.table] = {{"group", l.group}, {"features", l.features}, {"renderer", c.renderer}, {"field", c.field}};
    }
    return j.dump(2);
}

} // namespace plan::test
