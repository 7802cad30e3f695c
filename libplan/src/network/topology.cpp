// Duplicate merging and pass-through node dissolution on the raw graph, then
// the Network itself.
#include <algorithm>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "network/topology.hpp"
#include "plan/network.hpp"

namespace plan::netdetail {

namespace {

bool same_geometry(const RawGraph& g, const RawEdge& a, const RawEdge& b) {
    const std::uint32_t na = a.last - a.first, nb = b.last - b.first;
    if (na != nb) return false;
    const Point* pa = g.points.data() + a.first;
    const Point* pb = g.points.data() + b.first;
    if (a.from == b.from && a.to == b.to && std::equal(pa, pa + na + 1, pb)) return true;
    if (a.from == b.to && a.to == b.from) {
        for (std::uint32_t i = 0; i <= na; ++i)
            if (!(pa[i] == pb[na - i])) return false;
        return true;
    }
    return false;
}

Oneway flip(Oneway o) {
    return o == Oneway::forward ? Oneway::backward : o == Oneway::backward ? Oneway::forward : Oneway::both;
}

} // namespace

void finish_topology(RawGraph& g, const BuildOptions& opt, BuildReport& rep, Network& net) {
    const std::size_t ne = g.edges.size();
    const std::size_t nn = g.positions.size();
    std::vector<std::uint8_t> dead(ne, 0); // merged into another edge
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> merged_into; // keeper -> merged raw edges

    if (opt.merge_duplicates) {
        std::vector<std::uint32_t> order(ne);
        for (std::uint32_t i = 0; i < ne; ++i) order[i] = i;
        auto lo = [&](std::uint32_t e) { return std::min(g.edges[e].from, g.edges[e].to); };
        auto hi = [&](std::uint32_t e) { return std::max(g.edges[e].from, g.edges[e].to); };
        std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
            if (lo(a) != lo(b)) return lo(a) < lo(b);
            if (hi(a) != hi(b)) return hi(a) < hi(b);
            return a < b;
        });
        for (std::size_t i = 0; i < ne;) {
            std::size_t j = i + 1;
            while (j < ne && lo(order[j]) == lo(order[i]) && hi(order[j]) == hi(order[i])) ++j;
            for (std::size_t a = i; a < j; ++a) {
                if (dead[order[a]]) continue;
                for (std::size_t b = a + 1; b < j; ++b) {
                    if (dead[order[b]]) continue;
                    if (same_geometry(g, g.edges[order[a]], g.edges[order[b]])) {
                        dead[order[b]] = 1;
                        merged_into[order[a]].push_back(order[b]);
                    }
                }
            }
            i = j;
        }
        // Counted by source line part, not by piece: a copied polyline is noded at each of its
        // vertices (all shared with the original) and would otherwise count once per piece.
        std::vector<std::uint32_t> copies;
        for (std::uint32_t e = 0; e < ne; ++e)
            if (dead[e]) copies.push_back(g.edges[e].source);
        std::sort(copies.begin(), copies.end());
        rep.duplicates_merged = std::unique(copies.begin(), copies.end()) - copies.begin();
    }

    // Incidence lists (CSR); a self-loop appears twice.
    std::vector<std::uint32_t> start(nn + 1, 0);
    for (std::uint32_t e = 0; e < ne; ++e) {
        if (dead[e]) continue;
        ++start[g.edges[e].from + 1];
        ++start[g.edges[e].to + 1];
    }
    for (std::size_t i = 1; i <= nn; ++i) start[i] += start[i - 1];
    std::vector<std::uint32_t> inc(start.back());
    {
        std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
        for (std::uint32_t e = 0; e < ne; ++e) {
            if (dead[e]) continue;
            inc[fill[g.edges[e].from]++] = e;
            inc[fill[g.edges[e].to]++] = e;
        }
    }
    auto other = [&](std::uint32_t e, std::uint32_t n) { return g.edges[e].from == n ? g.edges[e].to : g.edges[e].from; };
    // Direction of travel seen when walking edge e away from node n.
    auto walk_oneway = [&](std::uint32_t e, std::uint32_t from_node) {
        const Oneway o = g.attrs[g.edges[e].attr].oneway;
        return g.edges[e].from == from_node ? o : flip(o);
    };

    std::vector<std::uint8_t> pass(nn, 0); // dissolvable pass-through node
    if (opt.dissolve) {
        for (std::uint32_t n = 0; n < nn; ++n) {
            if (start[n + 1] - start[n] != 2) continue;
            const std::uint32_t a = inc[start[n]], b = inc[start[n] + 1];
            if (a == b) continue;                         // a self-loop
            if (other(a, n) == other(b, n)) continue;     // two edges to one neighbour: OSMnx keeps it
            const EdgeAttributes &x = g.attrs[g.edges[a].attr], &y = g.attrs[g.edges[b].attr];
            // Walking in through a then out through b: the direction must continue.
            if (flip(walk_oneway(a, n)) != walk_oneway(b, n)) continue;
            if (g.edges[a].attr != g.edges[b].attr) {
                if (opt.keep_class_change && x.road_class != y.road_class) continue;
                if (opt.keep_name_change && x.name != y.name) continue;
                if (opt.keep_level_change && (x.level != y.level || x.bridge != y.bridge || x.tunnel != y.tunnel)) continue;
            }
            pass[n] = 1;
        }
    }

    std::vector<NodeId> net_node(nn, kNoId);
    auto node_for = [&](std::uint32_t raw) {
        if (net_node[raw] == kNoId) net_node[raw] = net.add_node(g.positions[raw]);
        return net_node[raw];
    };
    std::vector<std::uint8_t> used(ne, 0);
    std::vector<SourceRef> sources;
    std::size_t chains_with_pass = 0, pass_nodes_dissolved = 0;

    auto walk = [&](std::uint32_t a, std::uint32_t e) {
        LineString geom;
        sources.clear();
        std::vector<std::uint32_t> dup_lines; // source line parts merged into this edge as copies
        const std::uint32_t first_edge = e;
        const Oneway ow = walk_oneway(e, a);
        std::uint32_t cur = a;
        std::uint32_t prev = kNoId;
        std::size_t pieces = 0;
        while (true) {
            used[e] = 1;
            ++pieces;
            const RawEdge& r = g.edges[e];
            const bool fwd = r.from == cur;
            if (fwd)
                for (std::uint32_t i = r.first + (geom.empty() ? 0 : 1); i <= r.last; ++i) geom.push_back(g.points[i]);
            else
                for (std::uint32_t i = r.last - (geom.empty() ? 0 : 1) + 1; i-- > r.first;) geom.push_back(g.points[i]);
            sources.push_back(g.line_sources[r.source]);
            if (auto it = merged_into.find(e); it != merged_into.end()) {
                for (auto d : it->second) {
                    sources.push_back(g.line_sources[g.edges[d].source]);
                    dup_lines.push_back(g.edges[d].source);
                }
            }
            cur = other(e, cur);
            prev = e;
            if (!pass[cur]) break;
            const std::uint32_t a2 = inc[start[cur]], b2 = inc[start[cur] + 1];
            const std::uint32_t next = a2 == prev ? b2 : a2;
            if (used[next]) break;
            e = next;
        }
        std::sort(sources.begin(), sources.end());
        sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
        EdgeAttributes attrs = g.attrs[g.edges[first_edge].attr];
        attrs.oneway = ow;
        const NodeId from = node_for(a), to = node_for(cur);
        const EdgeId id = net.add_edge(from, to, std::move(geom), std::move(attrs), sources);
        std::sort(dup_lines.begin(), dup_lines.end());
        const auto dup_count = std::unique(dup_lines.begin(), dup_lines.end()) - dup_lines.begin();
        if (dup_count) net.note_duplicates(id, static_cast<std::uint32_t>(dup_count));
        if (pieces > 1) { ++chains_with_pass; pass_nodes_dissolved += pieces - 1; }
    };

    for (std::uint32_t n = 0; n < nn; ++n) {
        if (pass[n]) continue;
        for (std::uint32_t k = start[n]; k < start[n + 1]; ++k)
            if (!used[inc[k]]) walk(n, inc[k]);
    }
    // Rings made only of pass-through nodes: anchored at their first edge's start.
    for (std::uint32_t e = 0; e < ne; ++e) {
        if (dead[e] || used[e]) continue;
        pass[g.edges[e].from] = 0;
        walk(g.edges[e].from, e);
    }
    rep.dissolved_nodes = static_cast<std::int64_t>(pass_nodes_dissolved);
    for (const auto& ed : net.edges())
        if (ed.self_loop()) {
            ++rep.self_loops;
            rep.self_loop_at.push_back(net.node(ed.from).position);
        }
    if (rep.duplicates_merged) rep.notes.push_back(fmt::format("{} duplicated or overlapping pieces merged", rep.duplicates_merged));
    if (rep.zero_length) rep.notes.push_back(fmt::format("{} line parts of zero length dropped", rep.zero_length));
    if (rep.self_loops) {
        // Per source file: how many, and the first feature, so the loop can be found.
        std::map<std::uint32_t, std::pair<std::size_t, SourceRef>> per_source;
        for (const auto& ed : net.edges()) {
            if (!ed.self_loop() || ed.removed) continue;
            const SourceRef first = ed.sources.empty() ? SourceRef{} : ed.sources.front();
            auto [it, fresh] = per_source.try_emplace(first.source, 0, first);
            ++it->second.first;
            if (first < it->second.second) it->second.second = first;
        }
        for (const auto& [source, info] : per_source) {
            const std::string label = source < net.sources().size() ? net.sources()[source] : std::string("input");
            rep.notes.push_back(fmt::format(
                "{}: {} {} (a line that returns to its own start, e.g. a loop road or roundabout drawn as one closed "
                "line; first: feature {}): kept in the network, a note, not an error",
                label, info.first, info.first == 1 ? "self-loop" : "self-loops", info.second.fid));
        }
    }
}

} // namespace plan::netdetail
