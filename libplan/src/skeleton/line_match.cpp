// One skeleton line: candidate edges by name, alias, source id or planned
// centreline; the second carriageway of a dual carriageway set aside; the rest
// chained along the line's direction, far pieces separated, gaps measured.
#include "line_match.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>

#include "plan/error.hpp"
#include "plan/source.hpp"

namespace plan::skeleton_detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
/// A chain may step back this far against the line's direction (wiggles).
constexpr double kBacktrack = 20.0;
/// Beyond this turn a chain stops: the road turns away from the line.
const double kMaxTurnCos = std::cos(80.0 * M_PI / 180.0);
/// An edge follows a centreline when this share of it lies within the buffer...
constexpr double kCentrelineShare = 0.8;
/// ...and its direction is within 30° of the centreline's.
const double kCentrelineCos = std::cos(30.0 * M_PI / 180.0);

// The line's own coordinate: distance along the centreline, else x (ew) or y (ns).
struct Axis {
    Orientation orientation;
    const Measured* centreline = nullptr;
    double station(const Point& p) const {
        if (centreline) return centreline->station(p);
        return orientation == Orientation::ew ? p.x : p.y;
    }
    Point direction(const Point& p) const {
        if (centreline) return centreline->tangent(centreline->station(p));
        return orientation == Orientation::ew ? Point{1, 0} : Point{0, 1};
    }
};

double dot(const Point& a, const Point& b) { return a.x * b.x + a.y * b.y; }

int class_rank(RoadClass c) {
    switch (c) {
    case RoadClass::expressway: return 0;
    case RoadClass::arterial: return 1;
    case RoadClass::collector: return 2;
    case RoadClass::local: return 3;
    default: return 4;
    }
}

// The edge's geometry as walked from node n.
LineString from_node(const Network& net, EdgeId e, NodeId n) {
    LineString g = net.edge(e).geometry;
    if (net.edge(e).from != n) std::reverse(g.begin(), g.end());
    return g;
}

// Direction leaving the start of g over its first `reach` metres, and arriving at its end.
Point leaving(const LineString& g, double reach = 30.0) {
    Measured m(g);
    return unit(g.front(), m.at(std::min(reach, m.length())));
}
Point arriving(const LineString& g, double reach = 30.0) {
    Measured m(g);
    return unit(m.at(std::max(0.0, m.length() - reach)), g.back());
}

struct Chain {
    std::vector<EdgeId> edges;
    LineString geometry;
    double length = 0.0;
    double s0 = 0.0, s1 = 0.0;
};

void append(LineString& to, const LineString& piece) {
    for (const auto& p : piece)
        if (to.empty() || !(to.back() == p)) to.push_back(p);
}

// Walks the unused edges from the lowest-station end, at each node taking the
// edge that continues most straight, until the road turns away or stops.
Chain walk(const Network& net, const Axis& axis, const std::map<NodeId, std::vector<EdgeId>>& adj,
           std::set<EdgeId>& unused) {
    auto unused_degree = [&](NodeId n) {
        int d = 0;
        for (EdgeId e : adj.at(n)) d += unused.count(e) ? 1 : 0;
        return d;
    };
    NodeId start = kNoId;
    double best_s = kInf;
    bool best_end = false;
    for (const auto& [n, edges] : adj) {
        const int d = unused_degree(n);
        if (d == 0) continue;
        const bool end = d == 1;
        const double s = axis.station(net.node(n).position);
        if ((end && !best_end) || (end == best_end && s < best_s)) {
            start = n;
            best_s = s;
            best_end = end;
        }
    }
    Chain chain;
    NodeId u = start;
    Point dir = axis.direction(net.node(u).position);
    while (true) {
        EdgeId best = kNoId;
        double best_cos = -2.0;
        const double su = axis.station(net.node(u).position);
        for (EdgeId e : adj.at(u)) {
            if (!unused.count(e)) continue;
            const LineString g = from_node(net, e, u);
            if (axis.station(g.back()) < su - kBacktrack) continue;
            const double c = dot(dir, leaving(g));
            if (!chain.edges.empty() && c < kMaxTurnCos) continue;
            if (c > best_cos) {
                best_cos = c;
                best = e;
            }
        }
        if (best == kNoId && chain.edges.empty()) // always consume something
            for (EdgeId e : adj.at(u))
                if (unused.count(e)) { best = e; break; }
        if (best == kNoId) break;
        unused.erase(best);
        const LineString g = from_node(net, best, u);
        chain.edges.push_back(best);
        append(chain.geometry, g);
        chain.length += net.edge(best).length;
        dir = arriving(g);
        u = net.opposite(best, u);
    }
    chain.s0 = axis.station(chain.geometry.front());
    chain.s1 = axis.station(chain.geometry.back());
    if (chain.s1 < chain.s0) {
        std::reverse(chain.edges.begin(), chain.edges.end());
        std::reverse(chain.geometry.begin(), chain.geometry.end());
        std::swap(chain.s0, chain.s1);
    }
    return chain;
}

void check_barriers(SkeletonGap& gap, const std::vector<BarrierLayer>& barriers) {
    for (const auto& b : barriers) {
        for (std::size_t i = 0; i < b.polygons.size(); ++i)
            if (line_meets_polygon(gap.geometry, b.polygons[i])) {
                gap.needs_bridge = true;
                const std::string& nm = b.polygon_names[i];
                gap.barriers.push_back(b.label + ": " + (nm.empty() ? fmt::format("polygon {}", i + 1) : nm));
            }
        for (std::size_t i = 0; i < b.lines.size(); ++i)
            if (lines_cross(gap.geometry, b.lines[i])) {
                gap.needs_underpass = true;
                const std::string& nm = b.line_names[i];
                gap.barriers.push_back(b.label + ": " + (nm.empty() ? fmt::format("line {}", i + 1) : nm));
            }
    }
    std::sort(gap.barriers.begin(), gap.barriers.end());
    gap.barriers.erase(std::unique(gap.barriers.begin(), gap.barriers.end()), gap.barriers.end());
}

// Edges that run along the centreline: most of their length within the buffer
// and roughly parallel to it.
bool follows(const Edge& edge, const Measured& centreline, double buffer) {
    const Point a = edge.geometry.front(), b = edge.geometry.back();
    if (distance(a, b) < 1.0) return false;
    const auto pts = sample(edge.geometry, 10.0);
    std::size_t inside = 0;
    for (const auto& p : pts) {
        double off = 0.0;
        (void)centreline.station(p, &off);
        inside += off <= buffer ? 1 : 0;
    }
    if (static_cast<double>(inside) < kCentrelineShare * static_cast<double>(pts.size())) return false;
    const Point mid = Measured(edge.geometry).at(edge.length / 2);
    return std::abs(dot(unit(a, b), centreline.tangent(centreline.station(mid)))) >= kCentrelineCos;
}

} // namespace

LineString read_centreline(const CentrelineRef& ref, const SkeletonLineSpec& line, const CrsRef& crs) {
    ReadOptions r;
    r.target_crs = crs.known() ? crs.wkt : "source";
    r.want = GeometryKind::line;
    const Layer layer = read_layer(ref.file, ref.layer, r);
    int field = -1;
    if (!ref.field.empty()) {
        field = layer.field_index(ref.field);
        if (field < 0)
            throw input_error(fmt::format("centreline of line {}: the layer has no field '{}'", line.id, ref.field),
                              {ref.file, layer.name, {}, {}, ref.field});
    }
    for (const auto& f : layer.features) {
        const bool hit = field >= 0 ? to_text(f.values[static_cast<std::size_t>(field)]) == ref.value
                                    : std::to_string(f.fid) == ref.value;
        if (!hit || f.geometry.lines.empty()) continue;
        // A multi-part centreline: its parts joined in the order of the line's direction.
        std::vector<LineString> parts = f.geometry.lines;
        const bool ew = line.orientation == Orientation::ew;
        auto key = [ew](const Point& p) { return ew ? p.x : p.y; };
        LineString out;
        for (auto& part : parts)
            if (key(part.back()) < key(part.front())) std::reverse(part.begin(), part.end());
        std::sort(parts.begin(), parts.end(), [&](const LineString& a, const LineString& b) { return key(a.front()) < key(b.front()); });
        for (const auto& part : parts) append(out, part);
        if (out.size() < 2) break;
        return out;
    }
    throw input_error(fmt::format("centreline of line {}: no line feature with {} = {}", line.id,
                                  ref.field.empty() ? "fid" : ref.field, ref.value),
                      {ref.file, layer.name, {}, {}, ref.field});
}

SkeletonLineResult match_line(const Network& net, const SkeletonSpec& spec, const SkeletonLineSpec& line,
                              const std::optional<LineString>& centreline_geometry,
                              const std::vector<BarrierLayer>& barriers) {
    SkeletonLineResult r;
    r.id = line.id;
    r.display_name = line.display_name;
    r.orientation = line.orientation;
    r.target_class = line.target_class;
    std::optional<Measured> centreline;
    if (centreline_geometry) centreline.emplace(*centreline_geometry);
    r.has_centreline = centreline.has_value();
    const Axis axis{line.orientation, centreline ? &*centreline : nullptr};

    // 1. Candidates.
    std::map<std::string, bool> wanted; // normalised name -> matched
    for (const auto& n : line.roads) wanted.emplace(normalise_road_name(n), false);
    const std::set<std::int64_t> fids(line.source_fids.begin(), line.source_fids.end());
    std::set<EdgeId> candidates;
    const auto& edges = net.edges();
    auto excluded = [](const Edge& e) {
        return e.removed || e.self_loop() || e.attributes.road_class == RoadClass::side_road ||
               e.attributes.road_class == RoadClass::ramp || is_side_road_or_ramp_name(e.attributes.name);
    };
    for (EdgeId e = 0; e < edges.size(); ++e) {
        const Edge& ed = edges[e];
        if (excluded(ed)) continue;
        if (!ed.attributes.name.empty() && !wanted.empty()) {
            auto it = wanted.find(normalise_road_name(ed.attributes.name));
            if (it != wanted.end()) {
                it->second = true;
                candidates.insert(e);
                continue;
            }
        }
        if (!fids.empty())
            for (const auto& s : ed.sources)
                if (fids.count(s.fid)) {
                    candidates.insert(e);
                    break;
                }
    }
    if (centreline) {
        Envelope box = envelope(centreline->line());
        box.minx -= spec.centreline_buffer_m; box.miny -= spec.centreline_buffer_m;
        box.maxx += spec.centreline_buffer_m; box.maxy += spec.centreline_buffer_m;
        for (EdgeId e : net.edges_in(box))
            if (!candidates.count(e) && !excluded(edges[e]) && follows(edges[e], *centreline, spec.centreline_buffer_m))
                candidates.insert(e);
    }
    for (const auto& n : line.roads)
        if (!wanted.at(normalise_road_name(n))) r.unmatched_roads.push_back(n);

    // 2. The second carriageway: one-way edges running against the line's
    // direction, beside a matched edge running with it.
    std::set<EdgeId> measured, paired;
    auto against = [&](EdgeId e) {
        const Edge& ed = edges[e];
        if (ed.attributes.oneway == Oneway::both) return false;
        Point a = ed.geometry.front(), b = ed.geometry.back();
        if (ed.attributes.oneway == Oneway::backward) std::swap(a, b);
        return axis.station(b) < axis.station(a);
    };
    for (EdgeId e : candidates) {
        if (!against(e)) continue;
        const auto pts = sample(edges[e].geometry, std::max(10.0, edges[e].length / 4));
        std::size_t near = 0;
        for (const auto& p : pts) {
            const Envelope box{p.x - spec.carriageway_pair_m, p.y - spec.carriageway_pair_m,
                               p.x + spec.carriageway_pair_m, p.y + spec.carriageway_pair_m};
            for (EdgeId o : net.edges_in(box))
                if (o != e && candidates.count(o) && !against(o) &&
                    distance_to(p, edges[o].geometry) <= spec.carriageway_pair_m) {
                    ++near;
                    break;
                }
        }
        if (2 * near >= pts.size()) paired.insert(e);
    }
    for (EdgeId e : candidates)
        if (!paired.count(e)) measured.insert(e);
    r.paired_edges = paired.size();

    // 3. Chains along the line's direction.
    std::map<NodeId, std::vector<EdgeId>> adj;
    for (EdgeId e : measured) {
        adj[edges[e].from].push_back(e);
        adj[edges[e].to].push_back(e);
    }
    std::vector<Chain> chains;
    std::set<EdgeId> unused = measured;
    while (!unused.empty()) chains.push_back(walk(net, axis, adj, unused));

    // 4. Far pieces: chains grouped by distance; the longest group is the line.
    std::vector<std::size_t> group(chains.size());
    for (std::size_t i = 0; i < chains.size(); ++i) group[i] = i;
    auto root = [&](std::size_t i) { while (group[i] != i) i = group[i] = group[group[i]]; return i; };
    for (std::size_t i = 0; i < chains.size(); ++i)
        for (std::size_t j = i + 1; j < chains.size(); ++j)
            if (root(i) != root(j) && distance_between(chains[i].geometry, chains[j].geometry) <= spec.far_piece_m)
                group[root(j)] = root(i);
    std::map<std::size_t, double> group_length;
    for (std::size_t i = 0; i < chains.size(); ++i) group_length[root(i)] += chains[i].length;
    std::size_t main_group = 0;
    double main_length = -1.0;
    for (const auto& [g, len] : group_length)
        if (len > main_length + 1e-9) {
            main_group = g;
            main_length = len;
        }
    std::vector<const Chain*> main;
    for (std::size_t i = 0; i < chains.size(); ++i)
        if (root(i) == main_group) main.push_back(&chains[i]);
    for (std::size_t i = 0; i < chains.size(); ++i) {
        if (root(i) == main_group) continue;
        FarPiece fp{chains[i].geometry.front(), chains[i].geometry.back(), chains[i].length, kInf};
        for (const Chain* c : main) fp.distance_m = std::min(fp.distance_m, distance_between(chains[i].geometry, c->geometry));
        r.far_pieces.push_back(fp);
    }
    std::sort(main.begin(), main.end(), [](const Chain* a, const Chain* b) {
        return a->s0 != b->s0 ? a->s0 < b->s0 : a->edges.front() < b->edges.front();
    });

    // 5. Along the line: built chains and the gaps between them.
    auto add_gap = [&](Point from, Point to, double s_from, double s_to) {
        SkeletonGap g;
        g.line_id = line.id;
        g.number = static_cast<int>(r.gaps.size()) + 1;
        g.from = from;
        g.to = to;
        g.station_m = s_from;
        if (centreline) {
            g.geometry = centreline->between(s_from, s_to);
            g.geometry.front() = from;
            g.geometry.back() = to;
        } else {
            g.geometry = {from, to};
        }
        g.length_m = length(g.geometry);
        check_barriers(g, barriers);
        r.gaps.push_back(std::move(g));
    };
    bool started = false;
    double cur = 0.0;
    Point cur_pt;
    if (centreline && !main.empty() && main.front()->s0 > spec.min_gap_m)
        add_gap(centreline->line().front(), main.front()->geometry.front(), 0.0, main.front()->s0);
    for (const Chain* c : main) {
        if (started && c->s1 <= cur + spec.min_gap_m) { // within what is built already: a parallel piece
            r.other_edges.insert(r.other_edges.end(), c->edges.begin(), c->edges.end());
            continue;
        }
        if (started && c->s0 > cur + spec.min_gap_m) add_gap(cur_pt, c->geometry.front(), cur, c->s0);
        r.edges.insert(r.edges.end(), c->edges.begin(), c->edges.end());
        // With a centreline, only what lies within the planned span is built of it.
        r.built_m += centreline ? centreline->length_within(c->geometry) : c->length;
        r.built.push_back(c->geometry);
        if (!centreline) append(r.planned, c->geometry);
        // Stretches below the target class, within this chain, in its direction.
        bool open = false;
        Point cursor = c->geometry.front();
        for (EdgeId e : c->edges) {
            const Edge& ed = edges[e];
            const bool forward = distance(ed.geometry.front(), cursor) <= distance(ed.geometry.back(), cursor);
            const Point a = forward ? ed.geometry.front() : ed.geometry.back();
            const Point b = forward ? ed.geometry.back() : ed.geometry.front();
            cursor = b;
            const bool below = class_rank(ed.attributes.road_class) > class_rank(line.target_class);
            if (below && open && r.below_class.back().road_class == ed.attributes.road_class) {
                r.below_class.back().length_m += ed.length;
                r.below_class.back().to = b;
            } else if (below) {
                r.below_class.push_back({a, b, ed.length, ed.attributes.road_class});
            }
            open = below;
            if (below) r.below_class_m += ed.length;
        }
        cur = c->s1;
        cur_pt = c->geometry.back();
        started = true;
    }
    if (centreline && started && centreline->length() - cur > spec.min_gap_m)
        add_gap(cur_pt, centreline->line().back(), cur, centreline->length());
    if (centreline) r.planned = centreline->line();
    r.other_edges.insert(r.other_edges.end(), paired.begin(), paired.end());
    std::sort(r.other_edges.begin(), r.other_edges.end());

    double gap_total = 0.0;
    for (const auto& g : r.gaps) gap_total += g.length_m;
    r.planned_m = centreline ? centreline->length() : r.built_m + gap_total;
    if (centreline && r.edges.empty()) gap_total = r.planned_m;
    r.completion = r.planned_m > 0 ? std::clamp((r.planned_m - gap_total) / r.planned_m, 0.0, 1.0) : 0.0;

    // 6. Dead ends and local-street connections at the line's nodes.
    std::set<EdgeId> own(r.edges.begin(), r.edges.end());
    own.insert(r.other_edges.begin(), r.other_edges.end());
    std::set<NodeId> nodes;
    for (EdgeId e : own) {
        nodes.insert(edges[e].from);
        nodes.insert(edges[e].to);
    }
    for (NodeId n : nodes) {
        if (centreline) { // only what lies within the planned span is on the line
            const double st = centreline->extended_station(net.node(n).position);
            if (st < -spec.min_gap_m || st > centreline->length() + spec.min_gap_m) continue;
        }
        if (net.street_count(n) == 1) r.dead_ends.push_back(net.node(n).position);
        for (EdgeId e : net.incident(n))
            if (!own.count(e) && edges[e].attributes.road_class == RoadClass::local) ++r.local_connections;
    }
    r.local_per_km = r.built_m > 0 ? static_cast<double>(r.local_connections) / (r.built_m / 1000.0) : 0.0;
    return r;
}

} // namespace plan::skeleton_detail
