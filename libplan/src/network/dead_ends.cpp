// Dead ends (street count 1), each in exactly one class by precedence:
// boundary -> near_miss -> stub -> isolated -> cul_de_sac.
#include <algorithm>
#include <cmath>
#include <queue>
#include <unordered_map>

#include <fmt/format.h>

#include "network/grid_index.hpp"
#include "plan/error.hpp"
#include "plan/network_analysis.hpp"

namespace plan {

const char* to_string(DeadEndClass c) {
    switch (c) {
    case DeadEndClass::boundary: return "boundary";
    case DeadEndClass::near_miss: return "near_miss";
    case DeadEndClass::stub: return "stub";
    case DeadEndClass::isolated: return "isolated";
    default: return "cul_de_sac";
    }
}

void check_tolerances(const DeadEndOptions& o, const Envelope& extent) {
    const double diag = std::hypot(extent.width(), extent.height());
    const std::pair<const char*, double> values[] = {
        {"--boundary", o.boundary}, {"--gap", o.gap}, {"--stub", o.stub}, {"--isolated", o.isolated_length}};
    for (const auto& [name, v] : values) {
        if (!std::isfinite(v) || v < 0)
            throw usage_error(fmt::format("{} must be zero or a positive distance in metres, not {}", name, v));
        if (v > 0 && diag > 0 && v > diag && std::string(name) != "--isolated")
            throw usage_error(fmt::format("{} {} m is larger than the data extent ({:.1f} m across)", name, v, diag), {},
                              "tolerances are in metres of the metric CRS; check the value and the data's CRS");
    }
}

namespace {

struct SegmentIndex {
    std::vector<std::pair<EdgeId, std::uint32_t>> items; // (edge, segment)
    netdetail::Grid grid;
    explicit SegmentIndex(const Network& net) {
        std::vector<Envelope> boxes;
        const auto& edges = net.edges();
        for (EdgeId e = 0; e < edges.size(); ++e) {
            if (edges[e].removed) continue;
            const auto& g = edges[e].geometry;
            for (std::uint32_t i = 0; i + 1 < g.size(); ++i) {
                Envelope b;
                b.expand(g[i]);
                b.expand(g[i + 1]);
                boxes.push_back(b);
                items.emplace_back(e, i);
            }
        }
        grid.build(boxes);
    }
};

double boundary_distance(const Point& p, const DeadEndOptions& o, const Envelope& extent) {
    if (o.study_area.empty())
        return std::max(0.0, std::min({p.x - extent.minx, extent.maxx - p.x, p.y - extent.miny, extent.maxy - p.y}));
    double best = std::numeric_limits<double>::infinity();
    for (const auto& poly : o.study_area)
        for (const auto& ring : poly.rings)
            for (std::size_t i = 0; i + 1 < ring.size(); ++i) best = std::min(best, point_segment_distance(p, ring[i], ring[i + 1]));
    return best;
}

} // namespace

std::vector<DeadEnd> find_dead_ends(const Network& net, const Structure& s, const DeadEndOptions& o) {
    std::vector<DeadEnd> out;
    const auto& nodes = net.nodes();
    const Envelope extent = net.extent();
    std::vector<NodeId> ends;
    for (NodeId n = 0; n < nodes.size(); ++n)
        if (net.street_count(n) == 1) ends.push_back(n);
    if (ends.empty()) return out;
    SegmentIndex index(net);
    std::vector<std::uint32_t> stamp(index.items.size(), kNoId);
    std::unordered_map<NodeId, double> dist;
    std::vector<std::uint8_t> own(net.edges().size(), 0);
    std::vector<EdgeId> own_list;

    for (std::uint32_t k = 0; k < ends.size(); ++k) {
        const NodeId n = ends[k];
        DeadEnd d;
        d.node = n;
        d.edge = net.incident(n)[0];
        const Edge& edge = net.edge(d.edge);
        d.road_class = edge.attributes.road_class;
        d.component = s.node_component[n];
        const Point p = nodes[n].position;

        // Dangling piece: follow pass-through nodes to the first junction or end.
        {
            NodeId cur = n;
            EdgeId via = d.edge;
            double len = 0;
            for (std::size_t steps = 0; steps < nodes.size(); ++steps) {
                len += net.edge(via).length;
                cur = net.opposite(via, cur);
                const auto inc = net.incident(cur);
                if (inc.size() != 2 || inc[0] == inc[1] || cur == n) break;
                via = inc[0] == via ? inc[1] : inc[0];
            }
            d.dangling_m = len;
            const bool junction = net.street_count(cur) >= 3;
            if (!junction) d.dangling_m = -len; // marks "no junction reached"
        }

        d.boundary_m = boundary_distance(p, o, extent);

        // Near miss: edges within 2 x gap of network distance are its own junction.
        if (o.gap > 0) {
            dist.clear();
            for (EdgeId e : own_list) own[e] = 0;
            own_list.clear();
            using QE = std::pair<double, NodeId>;
            std::priority_queue<QE, std::vector<QE>, std::greater<>> q;
            dist[n] = 0;
            q.push({0, n});
            const double limit = 2 * o.gap;
            while (!q.empty()) {
                auto [dv, v] = q.top();
                q.pop();
                if (dv > dist[v]) continue;
                for (EdgeId e : net.incident(v)) {
                    if (!own[e]) { own[e] = 1; own_list.push_back(e); }
                    const NodeId w = net.opposite(e, v);
                    const double nd = dv + net.edge(e).length;
                    if (nd < limit) {
                        auto it = dist.find(w);
                        if (it == dist.end() || nd < it->second) { dist[w] = nd; q.push({nd, w}); }
                    }
                }
            }
            Envelope box;
            box.expand(Point{p.x - o.gap, p.y - o.gap});
            box.expand(Point{p.x + o.gap, p.y + o.gap});
            double best = std::numeric_limits<double>::infinity();
            index.grid.query(box, [&](std::uint32_t item) {
                if (stamp[item] == k) return;
                stamp[item] = k;
                const auto [e, i] = index.items[item];
                if (own[e]) return;
                const Edge& t = net.edge(e);
                if (t.attributes.level != edge.attributes.level) return; // passes above or below
                double tt = 0;
                const double dd = point_segment_distance(p, t.geometry[i], t.geometry[i + 1], &tt);
                if (dd < best || (dd == best && e < d.target_edge)) {
                    best = dd;
                    d.target_edge = e;
                    d.target = Point{t.geometry[i].x + tt * (t.geometry[i + 1].x - t.geometry[i].x),
                                     t.geometry[i].y + tt * (t.geometry[i + 1].y - t.geometry[i].y)};
                    d.target_node = kNoId;
                    if (d.target == net.node(t.from).position) d.target_node = t.from;
                    else if (d.target == net.node(t.to).position) d.target_node = t.to;
                }
            });
            if (best <= o.gap) d.gap_m = best;
            else d.target_edge = kNoId;
        }

        const Component* comp = d.component != kNoId ? &s.components[d.component] : nullptr;
        if (d.boundary_m <= o.boundary) d.kind = DeadEndClass::boundary;
        else if (d.gap_m >= 0) d.kind = DeadEndClass::near_miss;
        else if (d.dangling_m >= 0 && d.dangling_m < o.stub) d.kind = DeadEndClass::stub;
        else if (comp && comp->id != 0 && comp->length_m < o.isolated_length) d.kind = DeadEndClass::isolated;
        else d.kind = DeadEndClass::cul_de_sac;
        d.dangling_m = std::abs(d.dangling_m);
        out.push_back(d);
    }
    return out;
}

DeadEndCounts count_dead_ends(const std::vector<DeadEnd>& dead_ends) {
    DeadEndCounts c;
    c.total = dead_ends.size();
    for (const auto& d : dead_ends) {
        ++c.by_class[static_cast<int>(d.kind)];
        ++c.by_road_class[static_cast<int>(d.road_class)];
    }
    return c;
}

} // namespace plan
