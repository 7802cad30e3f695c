// The summary of `plan network` (text and JSON) and its result layers.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "plan/network_analysis.hpp"

namespace plan {

namespace {
using nlohmann::ordered_json;
// Rounded to 1/scale (scale a power of ten): divide, so the result is the double nearest the decimal.
double round_to(double v, double unit) {
    const double scale = std::round(1.0 / unit);
    return std::round(v * scale) / scale;
}
}

namespace {
std::map<std::string, double> sum_over_sources(const BuildReport& r, std::map<std::string, double> BuildReport::SourceReport::*m,
                                               double* total_m) {
    std::map<std::string, double> out;
    double total = 0;
    for (const auto& s : r.sources)
        for (const auto& [v, len] : s.*m) out[v] += len, total += len;
    if (total_m) *total_m = total;
    return out;
}

// "service 40.1, footway 12.0": longest first, then by value.
std::string km_list(const std::map<std::string, double>& m) {
    std::vector<std::pair<std::string, double>> v(m.begin(), m.end());
    std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string t;
    for (const auto& [k, len] : v) t += fmt::format("{}{} {:.1f}", t.empty() ? "" : ", ", k, len / 1000.0);
    return t;
}

ordered_json km_object(const std::map<std::string, double>& m) {
    ordered_json j = ordered_json::object();
    for (const auto& [k, len] : m) j[k] = round_to(len / 1000.0, 1e-6);
    return j;
}
} // namespace

std::map<std::string, double> excluded_by_value(const BuildReport& r, double* total_m) {
    return sum_over_sources(r, &BuildReport::SourceReport::excluded_m, total_m);
}

std::map<std::string, double> side_road_by_name(const BuildReport& r, double* total_m) {
    return sum_over_sources(r, &BuildReport::SourceReport::side_road_by_name_m, total_m);
}

std::string build_class_text(const BuildReport& r, const std::string& classes) {
    std::string t;
    double ex = 0, side = 0;
    const auto e = excluded_by_value(r, &ex);
    const auto s = side_road_by_name(r, &side);
    if (!e.empty())
        t += fmt::format("left out by the class filter (--classes {}): {:.3f} km of lines in the data read ({} km)\n",
                         classes, ex / 1000.0, km_list(e));
    if (!s.empty())
        t += fmt::format("made side roads (辅路) by a name suffix: {:.3f} km (class values: {} km)\n", side / 1000.0,
                         km_list(s));
    return t;
}

NetworkSummary summarise(const Network& net, const Structure& s, const std::vector<DeadEnd>& dead_ends,
                         const BuildReport& report) {
    NetworkSummary m;
    m.crs = net.crs().known() ? net.crs().label() : std::string("unknown");
    std::string noding;
    for (const auto& src : report.sources) {
        const std::string n = to_string(src.noding);
        if (noding.empty()) noding = n;
        else if (noding != n) noding = "mixed";
    }
    m.noding = noding;
    m.nodes = net.live_node_count();
    m.edges = net.live_edge_count();
    for (NodeId n = 0; n < net.nodes().size(); ++n)
        if (net.street_count(n) >= 3) ++m.intersections;
    m.dead_ends = count_dead_ends(dead_ends);
    m.components = s.components.size();
    const double total = net.total_length();
    m.length_km = total / 1000.0;
    m.largest_component_share = total > 0 && !s.components.empty() ? s.components[0].length_m / total : 0.0;
    m.critical_links_km = s.critical_links_m / 1000.0;
    const std::size_t counted = m.dead_ends.total - m.dead_ends.by_class[static_cast<int>(DeadEndClass::boundary)];
    m.dead_ends_per_100km = m.length_km > 0 ? static_cast<double>(counted) / (m.length_km / 100.0) : 0.0;
    m.cut_vertices = s.cut_vertices.size();
    m.parallel_edges = s.parallel_edges.size();
    m.self_loops = s.self_loops.size();
    for (const auto& e : net.edges())
        if (!e.removed) m.length_km_by_class[static_cast<int>(e.attributes.road_class)] += e.length / 1000.0;
    return m;
}

std::string to_json(const NetworkSummary& m, const BuildReport& r) {
    using nlohmann::ordered_json;
    ordered_json j;
    j["crs"] = m.crs;
    j["noding"] = m.noding;
    j["nodes"] = m.nodes;
    j["edges"] = m.edges;
    j["intersections"] = m.intersections;
    ordered_json de;
    de["total"] = m.dead_ends.total;
    for (int c = 0; c < kDeadEndClassCount; ++c) de[to_string(static_cast<DeadEndClass>(c))] = m.dead_ends.by_class[c];
    j["dead_ends"] = de;
    j["components"] = m.components;
    j["largest_component_share"] = round_to(m.largest_component_share, 1e-6);
    j["length_km"] = round_to(m.length_km, 1e-6);
    j["critical_links_km"] = round_to(m.critical_links_km, 1e-6);
    j["dead_ends_per_100km"] = round_to(m.dead_ends_per_100km, 1e-4);
    j["cut_vertices"] = m.cut_vertices;
    j["parallel_edge_groups"] = m.parallel_edges;
    j["self_loops"] = m.self_loops;
    ordered_json by_class, ends_by_class;
    for (int c = 0; c < kRoadClassCount; ++c) {
        by_class[road_class_key(static_cast<RoadClass>(c))] = round_to(m.length_km_by_class[c], 1e-6);
        ends_by_class[road_class_key(static_cast<RoadClass>(c))] = m.dead_ends.by_road_class[c];
    }
    j["length_km_by_class"] = by_class;
    j["dead_ends_by_class"] = ends_by_class;
    ordered_json b;
    b["segments"] = r.segments;
    b["crossings_noded"] = r.crossings;
    b["grade_separated"] = r.grade_separated;
    b["snapped_to_end"] = r.snapped_to_end;
    b["snapped_to_line"] = r.snapped_to_line;
    b["duplicates_merged"] = r.duplicates_merged;
    b["zero_length"] = r.zero_length;
    b["repeated_vertices"] = r.repeated_vertices;
    b["dissolved_nodes"] = r.dissolved_nodes;
    b["dropped_z"] = r.dropped_z;
    ordered_json sources = ordered_json::array();
    for (const auto& s : r.sources) {
        ordered_json o;
        o["source"] = s.label;
        o["noding"] = to_string(s.noding);
        o["noding_reason"] = s.noding_reason;
        o["class_field"] = s.class_field;
        o["features"] = s.features;
        o["lines"] = s.lines;
        o["filtered_out"] = s.filtered_out;
        o["not_lines"] = s.not_lines;
        o["multipart_split"] = s.multipart_split;
        double ex = 0, side = 0;
        for (const auto& [v, len] : s.excluded_m) ex += len;
        for (const auto& [v, len] : s.side_road_by_name_m) side += len;
        o["excluded_km"] = round_to(ex / 1000.0, 1e-6);
        o["excluded_km_by_class_value"] = km_object(s.excluded_m);
        o["side_road_by_name_km"] = round_to(side / 1000.0, 1e-6);
        o["side_road_by_name_km_by_class_value"] = km_object(s.side_road_by_name_m);
        sources.push_back(o);
    }
    b["sources"] = sources;
    double ex = 0, side = 0;
    const auto exv = excluded_by_value(r, &ex);
    const auto sidev = side_road_by_name(r, &side);
    b["excluded_km"] = round_to(ex / 1000.0, 1e-6);
    b["excluded_km_by_class_value"] = km_object(exv);
    b["side_road_by_name_km"] = round_to(side / 1000.0, 1e-6);
    b["side_road_by_name_km_by_class_value"] = km_object(sidev);
    j["build"] = b;
    // What --snap changed (BuildReport::Snapping): ends joined across a gap, and how far.
    ordered_json sn;
    const auto& s = r.snapping;
    sn["tolerance_m"] = s.tolerance_m;
    sn["ends_moved"] = s.ends_moved;
    static_assert(BuildReport::Snapping::kWarnMoveM == 5.0, "the key below names the threshold");
    sn["ends_moved_over_5m"] = s.ends_over_warn;
    sn["max_move_m"] = round_to(s.max_move_m, 1e-6);
    sn["mean_move_m"] = round_to(s.mean_move_m, 1e-6);
    sn["p95_move_m"] = round_to(s.p95_move_m, 1e-6);
    if (s.ends_moved > 0) {
        sn["max_move_at"] = ordered_json::array({round_to(s.max_at.x, 1e-3), round_to(s.max_at.y, 1e-3)});
        sn["max_move_source"] = s.max_source;
        sn["max_move_fid"] = s.max_feature.fid;
    } else {
        sn["max_move_at"] = nullptr;
        sn["max_move_source"] = nullptr;
        sn["max_move_fid"] = nullptr;
    }
    j["snapping"] = sn;
    return j.dump(2);
}

std::string to_text(const NetworkSummary& m) {
    std::string t;
    t += fmt::format("CRS:                 {}\n", m.crs);
    t += fmt::format("noding:              {}\n", m.noding);
    t += fmt::format("nodes / edges:       {} / {}\n", m.nodes, m.edges);
    t += fmt::format("length:              {:.3f} km\n", m.length_km);
    t += fmt::format("intersections (>=3): {}\n", m.intersections);
    t += fmt::format("dead ends:           {} (boundary {}, near miss {}, stub {}, isolated {}, cul-de-sac {})\n",
                     m.dead_ends.total, m.dead_ends.by_class[0], m.dead_ends.by_class[1], m.dead_ends.by_class[2],
                     m.dead_ends.by_class[3], m.dead_ends.by_class[4]);
    t += fmt::format("dead ends / 100 km:  {:.1f} (boundary excluded)\n", m.dead_ends_per_100km);
    t += fmt::format("components:          {} (largest holds {:.1f} % of the length)\n", m.components,
                     100.0 * m.largest_component_share);
    t += fmt::format("critical links:      {:.3f} km (edges whose removal disconnects the network)\n", m.critical_links_km);
    t += fmt::format("cut vertices:        {}\n", m.cut_vertices);
    t += fmt::format("parallel edge groups / self-loops: {} / {}\n", m.parallel_edges, m.self_loops);
    for (int c = 0; c < kRoadClassCount; ++c)
        if (m.length_km_by_class[c] > 0)
            t += fmt::format("  {:<10} {:<4} {:>10.3f} km\n", road_class_key(static_cast<RoadClass>(c)),
                             road_class_label(static_cast<RoadClass>(c)), m.length_km_by_class[c]);
    return t;
}

std::vector<OutLayer> network_layers(const Network& net, const Structure& s, const std::vector<DeadEnd>& dead_ends) {
    using I = std::int64_t;
    std::vector<std::uint8_t> critical(net.edges().size(), 0);
    for (EdgeId e : s.critical_links) critical[e] = 1;
    auto sources_text = [&](const Edge& e) {
        std::string t;
        // SOURCE/FID: "0:12" would be read back by GDAL's GeoJSON driver as a time of day
        for (const auto& r : e.sources) t += fmt::format("{}{}/{}", t.empty() ? "" : ";", r.source, r.fid);
        return t;
    };
    auto comp = [](std::uint32_t c) -> FieldValue { return c == kNoId ? FieldValue{} : FieldValue{I(c)}; };
    // A missing name or source class is NULL (GeoJSON null), not an empty string.
    auto text = [](const std::string& t) -> FieldValue { return t.empty() ? FieldValue{} : FieldValue{t}; };

    OutLayer edges{"edges", GeometryKind::line, false,
                   {{"edge_id", FieldType::integer}, {"from_node", FieldType::integer}, {"to_node", FieldType::integer},
                    {"class", FieldType::string}, {"road_class", FieldType::string}, {"class_label", FieldType::string},
                    {"source_class", FieldType::string}, {"name", FieldType::string}, {"oneway", FieldType::string},
                    {"bridge", FieldType::integer},
                    {"tunnel", FieldType::integer}, {"level", FieldType::integer}, {"length_m", FieldType::real},
                    {"component", FieldType::integer}, {"critical_link", FieldType::integer},
                    {"duplicates_merged", FieldType::integer}, {"sources", FieldType::string}},
                   {}};
    OutLayer links{"critical_links", GeometryKind::line, false,
                   {{"edge_id", FieldType::integer}, {"class", FieldType::string}, {"road_class", FieldType::string},
                    {"name", FieldType::string}, {"length_m", FieldType::real}, {"component", FieldType::integer}},
                   {}};
    for (EdgeId e = 0; e < net.edges().size(); ++e) {
        const Edge& ed = net.edge(e);
        if (ed.removed) continue;
        const auto& a = ed.attributes;
        OutFeature f;
        f.geometry.kind = GeometryKind::line;
        f.geometry.lines.push_back(ed.geometry);
        f.values = {I(e), I(ed.from), I(ed.to), std::string(road_class_key(a.road_class)),
                    std::string(road_class_key(a.road_class)), std::string(road_class_label(a.road_class)), text(a.source_class), text(a.name), std::string(to_string(a.oneway)),
                    I(a.bridge), I(a.tunnel), I(a.level), ed.length, comp(s.edge_component[e]), I(critical[e]),
                    I(ed.duplicates_merged), sources_text(ed)};
        if (critical[e]) {
            OutFeature l;
            l.geometry = f.geometry;
            l.values = {I(e), std::string(road_class_key(a.road_class)), std::string(road_class_key(a.road_class)),
                        text(a.name), ed.length, comp(s.edge_component[e])};
            links.features.push_back(std::move(l));
        }
        edges.features.push_back(std::move(f));
    }

    std::vector<std::uint8_t> cut(net.nodes().size(), 0);
    for (NodeId n : s.cut_vertices) cut[n] = 1;
    OutLayer nodes{"nodes", GeometryKind::point, false,
                   {{"node_id", FieldType::integer}, {"street_count", FieldType::integer}, {"kind", FieldType::string},
                    {"component", FieldType::integer}, {"cut_vertex", FieldType::integer}},
                   {}};
    for (NodeId n = 0; n < net.nodes().size(); ++n) {
        const int sc = net.street_count(n);
        if (sc == 0) continue;
        OutFeature f;
        f.geometry.kind = GeometryKind::point;
        f.geometry.points.push_back(net.node(n).position);
        f.values = {I(n), I(sc), std::string(sc == 1 ? "dead_end" : sc == 2 ? "pass" : "intersection"),
                    comp(s.node_component[n]), I(cut[n])};
        nodes.features.push_back(std::move(f));
    }

    OutLayer ends{"dead_ends", GeometryKind::point, false,
                  {{"node_id", FieldType::integer}, {"class", FieldType::string}, {"edge_id", FieldType::integer},
                   {"road_class", FieldType::string}, {"name", FieldType::string}, {"component", FieldType::integer},
                   {"dangling_m", FieldType::real}, {"gap_m", FieldType::real}, {"target_edge", FieldType::integer},
                   {"boundary_m", FieldType::real}},
                  {}};
    OutLayer gaps{"gaps", GeometryKind::line, false,
                  {{"node_id", FieldType::integer}, {"class", FieldType::string}, {"gap_m", FieldType::real},
                   {"target_edge", FieldType::integer}, {"target_node", FieldType::integer}},
                  {}};
    for (const auto& d : dead_ends) {
        OutFeature f;
        f.geometry.kind = GeometryKind::point;
        f.geometry.points.push_back(net.node(d.node).position);
        f.values = {I(d.node), std::string(to_string(d.kind)), I(d.edge), std::string(road_class_key(d.road_class)),
                    text(net.edge(d.edge).attributes.name), comp(d.component), d.dangling_m,
                    d.gap_m >= 0 ? FieldValue{d.gap_m} : FieldValue{},
                    d.target_edge != kNoId ? FieldValue{I(d.target_edge)} : FieldValue{}, d.boundary_m};
        ends.features.push_back(std::move(f));
        if (d.kind == DeadEndClass::near_miss) {
            OutFeature g;
            g.geometry.kind = GeometryKind::line;
            g.geometry.lines.push_back({net.node(d.node).position, d.target});
            g.values = {I(d.node), std::string(to_string(d.kind)), d.gap_m, I(d.target_edge),
                        d.target_node != kNoId ? FieldValue{I(d.target_node)} : FieldValue{}};
            gaps.features.push_back(std::move(g));
        }
    }

    OutLayer comps{"components", GeometryKind::line, true,
                   {{"component", FieldType::integer}, {"nodes", FieldType::integer}, {"edges", FieldType::integer},
                    {"length_km", FieldType::real}, {"share", FieldType::real}},
                   {}};
    const double total = net.total_length();
    std::vector<OutFeature> by_comp(s.components.size());
    for (EdgeId e = 0; e < net.edges().size(); ++e)
        if (!net.edge(e).removed) by_comp[s.edge_component[e]].geometry.lines.push_back(net.edge(e).geometry);
    for (const auto& c : s.components) {
        OutFeature& f = by_comp[c.id];
        f.geometry.kind = GeometryKind::line;
        f.values = {I(c.id), I(c.nodes), I(c.edges), c.length_m / 1000.0, total > 0 ? c.length_m / total : 0.0};
        comps.features.push_back(std::move(f));
    }
    return {std::move(edges), std::move(nodes), std::move(ends), std::move(gaps), std::move(comps), std::move(links)};
}

std::string class_filter_text(const ClassFilter& filter) {
    if (filter.all) return "all";
    std::string out;
    for (const RoadClass c : filter.classes) out += (out.empty() ? "" : ",") + std::string(road_class_key(c));
    return out;
}

std::string network_build_json(const BuildReport& report, const ClassFilter& filter) {
    double excluded = 0, side = 0;
    const auto by_value = excluded_by_value(report, &excluded);
    const auto side_by_value = side_road_by_name(report, &side);
    nlohmann::ordered_json b;
    b["classes"] = class_filter_text(filter);
    b["scope"] = "every line read (after --where/--bbox), not clipped to the area";
    b["excluded_km"] = excluded / 1000.0;
    b["excluded_km_by_class_value"] = nlohmann::ordered_json::object();
    for (const auto& [v, m] : by_value) b["excluded_km_by_class_value"][v] = m / 1000.0;
    b["side_road_by_name_km"] = side / 1000.0;
    b["side_road_by_name_km_by_class_value"] = nlohmann::ordered_json::object();
    for (const auto& [v, m] : side_by_value) b["side_road_by_name_km_by_class_value"][v] = m / 1000.0;
    return b.dump();
}

} // namespace plan
