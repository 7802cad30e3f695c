// What `plan skeleton` writes: the layers, the JSON summary (stable key
// order) and the text summary.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "plan/skeleton.hpp"
#include "text_width.hpp"

namespace plan {
namespace {

using json = nlohmann::ordered_json;

// Rounded by dividing by a power of ten, so that JSON shows 6840.7, not 6840.700000000001.
double round_to(double v, int decimals) {
    const double scale = std::pow(10.0, decimals);
    return std::round(v * scale) / scale;
}
double m1(double v) { return round_to(v, 1); }   // lengths: decimetres
// Percent with 2 decimals, never rounded up to 100 unless complete (99.996 % is 99.99).
double pct(double share) { return share >= 1.0 ? 100.0 : std::min(round_to(100.0 * share, 2), 99.99); }

json point_json(const Point& p) { return json::array({round_to(p.x, 2), round_to(p.y, 2)}); }

json gap_json(const SkeletonGap& g) {
    return json{{"line", g.line_id},
                {"number", g.number},
                {"length_m", m1(g.length_m)},
                {"station_m", m1(g.station_m)},
                {"from", point_json(g.from)},
                {"to", point_json(g.to)},
                {"crosses_barrier", !g.barriers.empty()},
                {"barriers", g.barriers},
                {"needs", g.needs_bridge ? "bridge" : g.needs_underpass ? "bridge_or_underpass" : ""}};
}

std::string needs_text(const SkeletonGap& g) {
    if (g.needs_bridge) return "needs a bridge";
    if (g.needs_underpass) return "needs a bridge or underpass";
    return "";
}

} // namespace

std::vector<OutLayer> skeleton_layers(const SkeletonResult& result) {
    OutLayer lines{"skeleton_lines", GeometryKind::line, true,
                   {{"line_id", FieldType::string},
                    {"name", FieldType::string},
                    {"orientation", FieldType::string},
                    {"target_class", FieldType::string},
                    {"built_m", FieldType::real},
                    {"planned_m", FieldType::real},
                    {"completion_pct", FieldType::real},
                    {"gaps", FieldType::integer},
                    {"gap_m", FieldType::real},
                    {"below_class_m", FieldType::real},
                    {"dead_ends", FieldType::integer},
                    {"local_per_km", FieldType::real},
                    {"far_pieces", FieldType::integer}},
                   {}};
    OutLayer gaps{"skeleton_gaps", GeometryKind::line, false,
                  {{"line_id", FieldType::string},
                   {"gap_no", FieldType::integer},
                   {"length_m", FieldType::real},
                   {"station_m", FieldType::real},
                   {"crosses_barrier", FieldType::integer},
                   {"barriers", FieldType::string},
                   {"needs", FieldType::string}},
                  {}};
    OutLayer crossings{"skeleton_crossings", GeometryKind::point, false,
                       {{"h_line", FieldType::string}, {"v_line", FieldType::string}, {"exists", FieldType::integer},
                        {"nodes", FieldType::integer}},
                       {}};
    for (const auto& l : result.lines) {
        // The built chain in order along the line; gaps are their own layer.
        OutFeature f;
        f.geometry.kind = GeometryKind::line;
        f.geometry.lines = l.built;
        double gap_m = 0.0;
        for (const auto& g : l.gaps) gap_m += g.length_m;
        f.values = {l.id, l.display_name, std::string(to_string(l.orientation)), std::string(road_class_key(l.target_class)),
                    m1(l.built_m), m1(l.planned_m), pct(l.completion), static_cast<std::int64_t>(l.gaps.size()), m1(gap_m),
                    m1(l.below_class_m), static_cast<std::int64_t>(l.dead_ends.size()), round_to(l.local_per_km, 2),
                    static_cast<std::int64_t>(l.far_pieces.size())};
        lines.features.push_back(std::move(f));
        for (const auto& g : l.gaps) {
            std::string barriers;
            for (const auto& b : g.barriers) barriers += (barriers.empty() ? "" : "; ") + b;
            OutFeature gf;
            gf.geometry.kind = GeometryKind::line;
            gf.geometry.lines.push_back(g.geometry);
            gf.values = {g.line_id, static_cast<std::int64_t>(g.number), m1(g.length_m), m1(g.station_m),
                         static_cast<std::int64_t>(g.barriers.empty() ? 0 : 1), barriers,
                         std::string(g.needs_bridge ? "bridge" : g.needs_underpass ? "bridge_or_underpass" : "")};
            gaps.features.push_back(std::move(gf));
        }
    }
    for (const auto& c : result.crossings) {
        OutFeature f;
        f.geometry.kind = GeometryKind::point;
        f.geometry.points.push_back(c.at);
        f.values = {c.h, c.v, static_cast<std::int64_t>(c.exists ? 1 : 0), static_cast<std::int64_t>(c.nodes)};
        crossings.features.push_back(std::move(f));
    }
    return {std::move(lines), std::move(gaps), std::move(crossings)};
}

std::string to_json(const SkeletonResult& result) {
    json lines = json::array();
    json all_gaps = json::array();
    for (const auto& l : result.lines) {
        json gaps = json::array();
        for (const auto& g : l.gaps) {
            gaps.push_back(gap_json(g));
            all_gaps.push_back(gap_json(g));
        }
        json below = json::array();
        for (const auto& s : l.below_class)
            below.push_back(json{{"class", road_class_key(s.road_class)}, {"length_m", m1(s.length_m)},
                                 {"from", point_json(s.from)}, {"to", point_json(s.to)}});
        json dead = json::array();
        for (const auto& p : l.dead_ends) dead.push_back(point_json(p));
        json far = json::array();
        for (const auto& p : l.far_pieces)
            far.push_back(json{{"length_m", m1(p.length_m)}, {"distance_m", m1(p.distance_m)},
                               {"from", point_json(p.from)}, {"to", point_json(p.to)}});
        lines.push_back(json{{"id", l.id},
                             {"name", l.display_name},
                             {"orientation", to_string(l.orientation)},
                             {"target_class", road_class_key(l.target_class)},
                             {"built_m", m1(l.built_m)},
                             {"planned_m", m1(l.planned_m)},
                             {"planned_from", l.has_centreline ? "centreline" : "matched span"},
                             {"completion_pct", pct(l.completion)},
                             {"gaps", gaps},
                             {"below_class_m", m1(l.below_class_m)},
                             {"below_class", below},
                             {"dead_ends", dead},
                             {"local_connections", l.local_connections},
                             {"local_per_km", round_to(l.local_per_km, 2)},
                             {"edges", l.edges.size()},
                             {"paired_edges", l.paired_edges},
                             {"unmatched_roads", l.unmatched_roads},
                             {"far_pieces", far}});
    }
    json spacing = json::array();
    for (const auto& s : result.spacing)
        spacing.push_back(json{{"lines", json::array({s.a, s.b})}, {"orientation", to_string(s.orientation)},
                               {"min_m", m1(s.min_m)}, {"mean_m", m1(s.mean_m)}, {"max_m", m1(s.max_m)},
                               {"within_target", s.within_target}});
    json missing = json::array();
    json existing = json::array();
    for (const auto& c : result.crossings)
        (c.exists ? existing : missing).push_back(json{{"lines", json::array({c.h, c.v})}, {"at", point_json(c.at)}, {"nodes", c.nodes}});
    json out{{"lines", lines},
             {"gaps", all_gaps},
             {"grid", json{{"spacing", spacing},
                           {"crossings", json{{"expected", result.crossings_expected},
                                              {"existing", result.crossings_existing},
                                              {"missing", missing},
                                              {"present", existing}}}}},
             {"coverage", nullptr},
             {"warnings", result.warnings},
             {"crs", result.crs}};
    if (result.coverage.computed) {
        const auto& c = result.coverage;
        auto share = [](double a, double b) { return b > 0 ? pct(a / b) : 0.0; };
        out["coverage"] = json{{"distance_m", c.distance_m},
                               {"parcels", c.parcels},
                               {"area_m2", m1(c.area_m2)},
                               {"straight", json{{"parcels", c.parcels_straight},
                                                 {"parcels_pct", share(static_cast<double>(c.parcels_straight), static_cast<double>(c.parcels))},
                                                 {"area_pct", share(c.area_straight_m2, c.area_m2)}}},
                               {"network", json{{"parcels", c.parcels_network},
                                                {"parcels_pct", share(static_cast<double>(c.parcels_network), static_cast<double>(c.parcels))},
                                                {"area_pct", share(c.area_network_m2, c.area_m2)}}}};
    }
    return out.dump(2);
}

std::string to_text(const SkeletonResult& result) {
    using detail::pad_right;
    auto pct_text = [](double share) { return fmt::format("{:.2f}", pct(share)); };
    std::string t = "Skeleton lines:\n";
    t += fmt::format("  {} {} {:>3} {:>10} {:>10} {:>8} {:>5} {:>10} {:>9} {:>7}\n", pad_right("id", 6), pad_right("name", 16),
                     "dir", "built m", "planned m", "done %", "gaps", "below cls", "dead ends", "local/km");
    std::vector<const SkeletonLineResult*> off_centreline;
    for (const auto& l : result.lines) {
        t += fmt::format("  {} {} {:>3} {:>10.1f} {:>10.1f} {:>8} {:>5} {:>10.1f} {:>9} {:>7.2f}\n", pad_right(l.id, 6),
                         pad_right(l.display_name, 16), to_string(l.orientation), l.built_m, l.planned_m,
                         pct_text(l.completion), l.gaps.size(), l.below_class_m, l.dead_ends.size(), l.local_per_km);
        double gap_m = 0;
        for (const auto& g : l.gaps) gap_m += g.length_m;
        if (std::abs(l.planned_m - gap_m - l.built_m) >= 0.5) off_centreline.push_back(&l);
    }
    t += "  done % = (planned - gaps) / planned; built m is measured along the road itself";
    t += " (one carriageway of a dual carriageway).\n";
    for (const auto* l : off_centreline) {
        double gap_m = 0;
        for (const auto& g : l->gaps) gap_m += g.length_m;
        t += fmt::format("  {} {}: built {:.1f} m + gaps {:.1f} m differ from the planned {:.1f} m by {:.1f} m: the road "
                         "runs beside the planned centreline or its ends stop short by less than the {:g} m that makes a gap\n",
                         l->id, l->display_name, l->built_m, gap_m, l->planned_m, l->built_m + gap_m - l->planned_m,
                         result.min_gap_m);
    }
    std::size_t n = 0;
    for (const auto& l : result.lines) n += l.gaps.size();
    t += fmt::format("\nGaps ({}), coordinates in {}:\n", n, result.crs.empty() ? "the network's CRS" : result.crs);
    for (const auto& l : result.lines)
        for (const auto& g : l.gaps) {
            std::string barriers;
            for (const auto& b : g.barriers) barriers += (barriers.empty() ? "" : ", ") + b;
            t += fmt::format("  {} #{}: {:.1f} m from ({:.1f}, {:.1f}) to ({:.1f}, {:.1f}){}\n", g.line_id, g.number,
                             g.length_m, g.from.x, g.from.y, g.to.x, g.to.y,
                             barriers.empty() ? "" : " crosses " + barriers + ": " + needs_text(g));
        }
    if (!result.spacing.empty()) {
        t += "\nSpacing of neighbouring parallel lines:\n";
        for (const auto& s : result.spacing)
            t += fmt::format("  {}-{}: min {:.0f} m, mean {:.0f} m, max {:.0f} m{}\n", s.a, s.b, s.min_m, s.mean_m, s.max_m,
                             s.within_target ? "" : "  (outside the target)");
    }
    t += fmt::format("\nCrossings: {} of {} expected exist\n", result.crossings_existing, result.crossings_expected);
    for (const auto& c : result.crossings)
        if (!c.exists)
            t += fmt::format("  missing {} x {} near ({:.1f}, {:.1f}) in {}\n", c.h, c.v, c.at.x, c.at.y,
                             result.crs.empty() ? "the network's CRS" : result.crs);
    if (result.coverage.computed) {
        const auto& c = result.coverage;
        auto share = [](double a, double b) { return b > 0 ? 100.0 * a / b : 0.0; };
        t += fmt::format("\nCoverage within {:.0f} m of a skeleton line: {} parcels\n", c.distance_m, c.parcels);
        t += fmt::format("  straight line: {:.1f} % of parcels, {:.1f} % of land area\n",
                         share(static_cast<double>(c.parcels_straight), static_cast<double>(c.parcels)),
                         share(c.area_straight_m2, c.area_m2));
        t += fmt::format("  network:       {:.1f} % of parcels, {:.1f} % of land area\n",
                         share(static_cast<double>(c.parcels_network), static_cast<double>(c.parcels)),
                         share(c.area_network_m2, c.area_m2));
    }
    return t;
}

} // namespace plan
