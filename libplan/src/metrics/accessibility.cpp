// Parcel accessibility. A site sits on its snapped edge at `along`; it reaches
// the edge's ends after `along` and `length - along`, then the network. Every
// distance is in whole millimetres on the simple graph of road_graph.hpp (a
// site on a longer parallel edge still uses its own edge to reach the ends).
#include "plan/accessibility.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <queue>

#include <fmt/format.h>

#include "metrics/circuity_stats.hpp"
#include "metrics/report_json.hpp"
#include "metrics/road_graph.hpp"
#include "metrics/seat.hpp"
#include "plan/error.hpp"

namespace plan {
namespace {

using detail::dijkstra;
using detail::kUnreached;
using detail::Seat;
using detail::seat_of;
using detail::to_seat;

/// Length (m) of [0, L] covered by the union of up to three intervals.
double covered(double length, std::array<std::pair<double, double>, 3> iv, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) { iv[i].first = std::max(iv[i].first, 0.0); iv[i].second = std::min(iv[i].second, length); }
    std::sort(iv.begin(), iv.begin() + static_cast<std::ptrdiff_t>(n));
    double total = 0, end = 0;
    bool open = false;
    for (std::size_t i = 0; i < n; ++i) {
        const auto [a, b] = iv[i];
        if (!(b > a)) continue;
        if (!open || a > end) { total += b - a; end = b; open = true; }
        else if (b > end) { total += b - end; end = b; }
    }
    return total;
}

} // namespace

std::vector<EdgeId> skeleton_edge_ids(const SkeletonResult& result) {
    std::vector<EdgeId> out;
    for (const auto& l : result.lines) {
        out.insert(out.end(), l.edges.begin(), l.edges.end());
        out.insert(out.end(), l.other_edges.begin(), l.other_edges.end());
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::optional<Point> site_position(const Geometry& g) {
    if (!g.points.empty()) return g.points.front();
    // relative to the first vertex: projected coordinates in the millions would
    // lose centimetres to cancellation in the cross products
    Point o{0, 0};
    for (const auto& poly : g.polygons)
        if (!poly.rings.empty() && !poly.rings.front().empty()) { o = poly.rings.front().front(); break; }
    double a = 0, cx = 0, cy = 0;
    for (const auto& poly : g.polygons)
        for (const auto& ring : poly.rings) // holes run the other way in sign once oriented below
            for (std::size_t i = 1; i < ring.size(); ++i) {
                const bool exterior = &ring == &poly.rings.front();
                const double orient = (signed_area(ring) >= 0) == exterior ? 1.0 : -1.0;
                const Point p{ring[i - 1].x - o.x, ring[i - 1].y - o.y};
                const Point q{ring[i].x - o.x, ring[i].y - o.y};
                const double cross = orient * (p.x * q.y - q.x * p.y);
                a += cross;
                cx += (p.x + q.x) * cross;
                cy += (p.y + q.y) * cross;
            }
    if (!(std::abs(a) > 0)) return std::nullopt;
    return Point{o.x + cx / (3 * a), o.y + cy / (3 * a)};
}

NetworkSnap snap_to_network(const Network& net, const Point& p) {
    NetworkSnap best;
    if (net.live_edge_count() == 0) return best;
    const Envelope ext = net.search_bounds();
    double reach = 50;
    const double span = std::max({ext.width(), ext.height(), 1.0}) +
                        std::max({std::abs(p.x - ext.minx), std::abs(p.x - ext.maxx), std::abs(p.y - ext.miny),
                                  std::abs(p.y - ext.maxy)});
    double best_d = std::numeric_limits<double>::infinity();
    for (;;) {
        const Envelope box{p.x - reach, p.y - reach, p.x + reach, p.y + reach};
        std::vector<EdgeId> cand = net.edges_in(box);
        std::sort(cand.begin(), cand.end());
        for (const EdgeId e : cand) {
            const LineString& g = net.edge(e).geometry;
            double walked = 0;
            for (std::size_t i = 1; i < g.size(); ++i) {
                double t = 0;
                const double d = point_segment_distance(p, g[i - 1], g[i], &t);
                const double seg = distance(g[i - 1], g[i]);
                if (d < best_d) {
                    best_d = d;
                    best.edge = e;
                    best.distance_m = d;
                    best.along_m = walked + t * seg;
                    best.foot = {g[i - 1].x + t * (g[i].x - g[i - 1].x), g[i - 1].y + t * (g[i].y - g[i - 1].y)};
                }
                walked += seg;
            }
        }
        // a hit within the box's inner radius cannot be beaten by an edge outside it
        if (best.edge != kNoId && best_d <= reach) return best;
        if (reach > 2 * span) return best;
        reach *= 2;
    }
}

AccessReport accessibility(const Network& net, const std::vector<AccessSite>& sites,
                           const std::vector<AccessTargets>& targets, const AccessOptions& options) {
    for (const double r : options.radii)
        if (!(r > 0) || !std::isfinite(r))
            throw usage_error(fmt::format("accessibility radius must be positive, not {}", r));
    AccessReport rep;
    rep.options = options;
    const RoadGraph g = RoadGraph::simple(net);
    std::vector<Seat> seats;
    for (const auto& s : sites) {
        SiteAccess a;
        a.snap = snap_to_network(net, s.position);
        a.far = a.snap.edge == kNoId || a.snap.distance_m > options.far_m;
        if (a.far) ++rep.far;
        seats.push_back(seat_of(net, a.snap));
        rep.sites.push_back(std::move(a));
    }
    auto metres = [](std::int64_t mm) { return static_cast<double>(mm) / 1000.0; };

    // nearest road of the classes: every node on such a road is a source
    std::vector<char> wanted(net.edges().size(), 0);
    std::vector<std::pair<NodeId, std::int64_t>> seeds;
    for (EdgeId e = 0; e < net.edges().size(); ++e) {
        const Edge& ed = net.edge(e);
        if (ed.removed ||
            std::find(options.road_classes.begin(), options.road_classes.end(), ed.attributes.road_class) ==
                options.road_classes.end())
            continue;
        wanted[e] = 1;
        ++rep.class_edges;
        seeds.push_back({ed.from, 0});
        seeds.push_back({ed.to, 0});
    }
    std::vector<std::int64_t> dist;
    dijkstra(g, seeds, -1, dist);
    for (std::size_t i = 0; i < sites.size(); ++i) {
        if (seats[i].edge == kNoId) { ++rep.unreachable_class; continue; }
        const std::int64_t d = wanted[seats[i].edge] ? 0 : to_seat(dist, seats[i]);
        if (d == kUnreached) ++rep.unreachable_class;
        else rep.sites[i].to_road_class_m = metres(d);
    }

    // the skeleton: every node of an edge matched to a skeleton line is a source
    if (options.skeleton_edges) {
        std::fill(wanted.begin(), wanted.end(), 0);
        seeds.clear();
        for (const EdgeId e : *options.skeleton_edges) {
            if (e >= net.edges().size() || net.edge(e).removed) continue;
            wanted[e] = 1;
            seeds.push_back({net.edge(e).from, 0});
            seeds.push_back({net.edge(e).to, 0});
        }
        dijkstra(g, seeds, -1, dist);
        for (std::size_t i = 0; i < sites.size(); ++i) {
            if (seats[i].edge == kNoId) { ++rep.unreachable_skeleton; continue; }
            const std::int64_t d = wanted[seats[i].edge] ? 0 : to_seat(dist, seats[i]);
            if (d == kUnreached) ++rep.unreachable_skeleton;
            else rep.sites[i].to_skeleton_m = metres(d);
        }
    }

    // each target layer: its points snapped, sources at their seats
    for (const auto& t : targets) {
        rep.target_names.push_back(t.name);
        seeds.clear();
        std::vector<Seat> tseats;
        for (const Point& p : t.points) {
            const Seat s = seat_of(net, snap_to_network(net, p));
            if (s.edge == kNoId) continue;
            tseats.push_back(s);
            seeds.push_back({s.from, s.along});
            seeds.push_back({s.to, s.length - s.along});
        }
        dijkstra(g, seeds, -1, dist);
        for (std::size_t i = 0; i < sites.size(); ++i) {
            std::int64_t d = seats[i].edge == kNoId ? kUnreached : to_seat(dist, seats[i]);
            for (const Seat& s : tseats) // on the same edge: straight along it
                if (s.edge == seats[i].edge) {
                    const std::int64_t direct = std::abs(s.along - seats[i].along);
                    if (d == kUnreached || direct < d) d = direct;
                }
            rep.sites[i].to_target_m.push_back(d == kUnreached ? std::nullopt : std::optional<double>(metres(d)));
        }
    }

    // within radii: one Dijkstra per site up to the largest radius
    std::vector<std::int64_t> radii_mm;
    for (const double r : options.radii) radii_mm.push_back(std::llround(r * 1000.0));
    const std::int64_t max_r = radii_mm.empty() ? 0 : *std::max_element(radii_mm.begin(), radii_mm.end());
    for (std::size_t i = 0; i < sites.size(); ++i) {
        SiteAccess& a = rep.sites[i];
        a.road_m_within.assign(radii_mm.size(), 0.0);
        a.sites_within.assign(radii_mm.size(), 0);
        const Seat& s = seats[i];
        if (s.edge == kNoId || radii_mm.empty()) continue;
        dijkstra(g, {{s.from, s.along}, {s.to, s.length - s.along}}, max_r, dist);
        for (std::size_t k = 0; k < radii_mm.size(); ++k) {
            const double r = metres(radii_mm[k]);
            double road = 0;
            for (EdgeId e = 0; e < net.edges().size(); ++e) {
                const Edge& ed = net.edge(e);
                if (ed.removed) continue;
                std::array<std::pair<double, double>, 3> iv;
                std::size_t n = 0;
                const bool from_in = dist[ed.from] != kUnreached && dist[ed.from] <= radii_mm[k];
                const bool to_in = dist[ed.to] != kUnreached && dist[ed.to] <= radii_mm[k];
                if (!from_in && !to_in && e != s.edge) continue;
                const double len = metres(length_mm(ed.length));
                if (from_in) iv[n++] = {0, r - metres(dist[ed.from])};
                if (to_in) iv[n++] = {len - (r - metres(dist[ed.to])), len};
                if (e == s.edge) iv[n++] = {metres(s.along) - r, metres(s.along) + r};
                road += covered(len, iv, n);
            }
            a.road_m_within[k] = road;
            for (std::size_t j = 0; j < sites.size(); ++j) {
                if (j == i || seats[j].edge == kNoId) continue;
                std::int64_t d = to_seat(dist, seats[j]);
                if (seats[j].edge == s.edge) {
                    const std::int64_t direct = std::abs(seats[j].along - s.along);
                    if (d == kUnreached || direct < d) d = direct;
                }
                if (d != kUnreached && d <= radii_mm[k]) ++a.sites_within[k];
            }
        }
    }
    return rep;
}

OutLayer skeleton_edges_layer(const Network& net, const SkeletonResult& result) {
    OutLayer layer{"skeleton_edges", GeometryKind::line, false, {}, {}};
    layer.fields = {{"edge_id", FieldType::integer}, {"line_id", FieldType::string}, {"measured", FieldType::integer}};
    for (const auto& l : result.lines)
        for (const auto* list : {&l.edges, &l.other_edges})
            for (const EdgeId e : *list) {
                OutFeature f;
                f.geometry.kind = GeometryKind::line;
                f.geometry.lines.push_back(net.edge(e).geometry);
                f.values = {FieldValue{std::int64_t{e}}, FieldValue{l.id}, FieldValue{std::int64_t{list == &l.edges}}};
                layer.features.push_back(std::move(f));
            }
    return layer;
}

OutLayer access_layer(const std::vector<AccessSite>& sites, const AccessReport& r) {
    OutLayer layer{"access", GeometryKind::point, false, {}, {}};
    layer.fields = {{"site_id", FieldType::string},      {"snap_edge", FieldType::integer},
                    {"snap_along_m", FieldType::real},   {"snap_distance_m", FieldType::real},
                    {"far_from_road", FieldType::integer}, {"to_road_class_m", FieldType::real}};
    if (r.options.skeleton_edges) layer.fields.push_back({"to_skeleton_m", FieldType::real});
    for (const auto& n : r.target_names) layer.fields.push_back({"to_" + n + "_m", FieldType::real});
    for (const double rad : r.options.radii) {
        layer.fields.push_back({fmt::format("road_m_r{:.0f}", rad), FieldType::real});
        layer.fields.push_back({fmt::format("sites_r{:.0f}", rad), FieldType::integer});
    }
    auto real = [](const std::optional<double>& v) { return v ? FieldValue{*v} : FieldValue{}; };
    for (std::size_t i = 0; i < sites.size(); ++i) {
        const SiteAccess& a = r.sites[i];
        OutFeature f;
        f.geometry.kind = GeometryKind::point;
        f.geometry.points.push_back(sites[i].position);
        const bool on = a.snap.edge != kNoId;
        f.values = {FieldValue{sites[i].id},
                    on ? FieldValue{std::int64_t{a.snap.edge}} : FieldValue{},
                    on ? FieldValue{a.snap.along_m} : FieldValue{},
                    on ? FieldValue{a.snap.distance_m} : FieldValue{},
                    FieldValue{std::int64_t{a.far}},
                    real(a.to_road_class_m)};
        if (r.options.skeleton_edges) f.values.push_back(real(a.to_skeleton_m));
        for (const auto& t : a.to_target_m) f.values.push_back(real(t));
        for (std::size_t k = 0; k < r.options.radii.size(); ++k) {
            f.values.emplace_back(a.road_m_within[k]);
            f.values.emplace_back(static_cast<std::int64_t>(a.sites_within[k]));
        }
        layer.features.push_back(std::move(f));
    }
    return layer;
}

OdLayerCircuity od_circuity_layer(const Network& net, const std::vector<AccessSite>& origins,
                                  const std::vector<AccessSite>& destinations, double far_m, double min_straight_m) {
    OdLayerCircuity out;
    const RoadGraph g = RoadGraph::simple(net);
    std::vector<Seat> oseats, dseats;
    for (const auto& o : origins) {
        out.origin_snaps.push_back(snap_to_network(net, o.position));
        if (out.origin_snaps.back().edge == kNoId || out.origin_snaps.back().distance_m > far_m) ++out.far;
        oseats.push_back(seat_of(net, out.origin_snaps.back()));
    }
    for (const auto& d : destinations) {
        out.destination_snaps.push_back(snap_to_network(net, d.position));
        if (out.destination_snaps.back().edge == kNoId || out.destination_snaps.back().distance_m > far_m) ++out.far;
        dseats.push_back(seat_of(net, out.destination_snaps.back()));
    }
    out.pairs.resize(origins.size() * destinations.size());
    std::vector<std::int64_t> dist;
    for (std::size_t j = 0; j < destinations.size(); ++j) {
        const Seat& t = dseats[j];
        if (t.edge != kNoId) dijkstra(g, {{t.from, t.along}, {t.to, t.length - t.along}}, -1, dist);
        for (std::size_t i = 0; i < origins.size(); ++i) {
            OdPair& p = out.pairs[i * destinations.size() + j];
            p.origin = i;
            p.destination = j;
            p.straight_m = distance(origins[i].position, destinations[j].position);
            const Seat& s = oseats[i];
            if (t.edge == kNoId || s.edge == kNoId) continue;
            std::int64_t d = to_seat(dist, s);
            if (s.edge == t.edge) {
                const std::int64_t direct = std::abs(s.along - t.along);
                if (d == kUnreached || direct < d) d = direct;
            }
            if (d == kUnreached) continue;
            p.network_m = static_cast<double>(d) / 1000.0 + out.origin_snaps[i].distance_m +
                          out.destination_snaps[j].distance_m;
        }
    }
    CircuityResult& r = out.summary;
    std::vector<double> ratios;
    double sum_net = 0, sum_straight = 0;
    for (auto& p : out.pairs) {
        ++r.pairs;
        if (p.straight_m < min_straight_m) { ++r.too_close; continue; }
        if (!p.network_m) { ++r.unreachable; continue; }
        ++r.reachable;
        p.circuity = *p.network_m / p.straight_m;
        ratios.push_back(*p.circuity);
        sum_net += *p.network_m;
        sum_straight += p.straight_m;
    }
    summarise_circuity(std::move(ratios), sum_net, sum_straight, r);
    return out;
}

std::string to_json(const OdLayerCircuity& r) {
    nlohmann::ordered_json j;
    j["origins"] = r.origin_snaps.size();
    j["destinations"] = r.destination_snaps.size();
    j["far_from_road"] = r.far;
    const nlohmann::ordered_json summary = circuity_json(r.summary); // items() of a temporary would dangle
    for (const auto& [k, v] : summary.items()) j[k] = v;
    return j.dump(2);
}

OutLayer od_pairs_layer(const std::vector<AccessSite>& origins, const std::vector<AccessSite>& destinations,
                        const OdLayerCircuity& r) {
    OutLayer layer{"od_pairs", GeometryKind::line, false, {}, {}};
    layer.fields = {{"origin", FieldType::string},          {"destination", FieldType::string},
                    {"straight_m", FieldType::real},        {"network_m", FieldType::real},
                    {"circuity", FieldType::real},          {"origin_snap_m", FieldType::real},
                    {"destination_snap_m", FieldType::real}};
    auto real = [](const std::optional<double>& v) { return v ? FieldValue{*v} : FieldValue{}; };
    for (const auto& p : r.pairs) {
        OutFeature f;
        f.geometry.kind = GeometryKind::line;
        f.geometry.lines.push_back({origins[p.origin].position, destinations[p.destination].position});
        f.values = {FieldValue{origins[p.origin].id}, FieldValue{destinations[p.destination].id},
                    FieldValue{p.straight_m}, real(p.network_m), real(p.circuity),
                    FieldValue{r.origin_snaps[p.origin].distance_m},
                    FieldValue{r.destination_snaps[p.destination].distance_m}};
        layer.features.push_back(std::move(f));
    }
    return layer;
}

} // namespace plan
