// Components, critical links (graph bridges), cut vertices, parallel edges and
// self-loops, on the undirected network.
#include <algorithm>
#include <numeric>

#include "plan/network_analysis.hpp"

namespace plan {

namespace {

void find_components(const Network& net, Structure& s) {
    const auto& nodes = net.nodes();
    const auto& edges = net.edges();
    s.node_component.assign(nodes.size(), kNoId);
    s.edge_component.assign(edges.size(), kNoId);
    std::vector<Component> found;
    std::vector<NodeId> first_node;
    std::vector<NodeId> stack;
    for (NodeId start = 0; start < nodes.size(); ++start) {
        if (s.node_component[start] != kNoId || net.incident(start).empty()) continue;
        const auto id = static_cast<std::uint32_t>(found.size());
        Component c;
        c.id = id;
        stack.assign(1, start);
        s.node_component[start] = id;
        while (!stack.empty()) {
            const NodeId n = stack.back();
            stack.pop_back();
            ++c.nodes;
            for (EdgeId e : net.incident(n)) {
                if (s.edge_component[e] == kNoId) {
                    s.edge_component[e] = id;
                    ++c.edges;
                    c.length_m += edges[e].length;
                }
                const NodeId m = net.opposite(e, n);
                if (s.node_component[m] == kNoId) {
                    s.node_component[m] = id;
                    stack.push_back(m);
                }
            }
        }
        found.push_back(c);
        first_node.push_back(start);
    }
    // Longest first; ties by the lowest node, which is the discovery order.
    std::vector<std::uint32_t> order(found.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return found[a].length_m > found[b].length_m;
    });
    std::vector<std::uint32_t> rank(found.size());
    for (std::uint32_t r = 0; r < order.size(); ++r) rank[order[r]] = r;
    s.components.clear();
    for (std::uint32_t r = 0; r < order.size(); ++r) {
        Component c = found[order[r]];
        c.id = r;
        s.components.push_back(c);
    }
    for (auto& c : s.node_component)
        if (c != kNoId) c = rank[c];
    for (auto& c : s.edge_component)
        if (c != kNoId) c = rank[c];
}

// Iterative Tarjan: low-link over DFS; the tree edge is skipped by id, so a
// parallel edge counts as a back edge and parallel edges are never critical.
void find_critical(const Network& net, Structure& s) {
    const std::size_t n = net.nodes().size();
    std::vector<std::uint32_t> disc(n, kNoId), low(n, 0);
    std::vector<std::uint8_t> is_cut(n, 0);
    struct Frame { NodeId node; EdgeId via; std::uint32_t next; std::uint32_t children; };
    std::vector<Frame> stack;
    std::uint32_t time = 0;
    for (NodeId root = 0; root < n; ++root) {
        if (disc[root] != kNoId || net.incident(root).empty()) continue;
        disc[root] = low[root] = time++;
        stack.push_back({root, kNoId, 0, 0});
        while (!stack.empty()) {
            Frame& f = stack.back();
            const auto inc = net.incident(f.node);
            if (f.next < inc.size()) {
                const EdgeId e = inc[f.next++];
                if (e == f.via) continue;
                const NodeId m = net.opposite(e, f.node);
                if (m == f.node) continue; // self-loop
                if (disc[m] == kNoId) {
                    disc[m] = low[m] = time++;
                    ++f.children;
                    stack.push_back({m, e, 0, 0});
                } else {
                    low[f.node] = std::min(low[f.node], disc[m]);
                }
                continue;
            }
            const Frame done = f;
            stack.pop_back();
            if (stack.empty()) {
                if (done.children >= 2) is_cut[done.node] = 1;
                continue;
            }
            Frame& parent = stack.back();
            low[parent.node] = std::min(low[parent.node], low[done.node]);
            if (low[done.node] > disc[parent.node]) s.critical_links.push_back(done.via);
            if (parent.via != kNoId && low[done.node] >= disc[parent.node]) is_cut[parent.node] = 1;
        }
    }
    std::sort(s.critical_links.begin(), s.critical_links.end());
    for (EdgeId e : s.critical_links) s.critical_links_m += net.edge(e).length;
    for (NodeId v = 0; v < n; ++v)
        if (is_cut[v]) s.cut_vertices.push_back(v);
}

void find_parallels(const Network& net, Structure& s) {
    std::vector<std::pair<std::uint64_t, EdgeId>> keyed;
    const auto& edges = net.edges();
    for (EdgeId e = 0; e < edges.size(); ++e) {
        const Edge& ed = edges[e];
        if (ed.removed) continue;
        if (ed.self_loop()) {
            s.self_loops.push_back(e);
            continue;
        }
        const std::uint64_t lo = std::min(ed.from, ed.to), hi = std::max(ed.from, ed.to);
        keyed.emplace_back(lo << 32 | hi, e);
    }
    std::sort(keyed.begin(), keyed.end());
    for (std::size_t i = 0; i < keyed.size();) {
        std::size_t j = i + 1;
        while (j < keyed.size() && keyed[j].first == keyed[i].first) ++j;
        if (j - i > 1) {
            std::vector<EdgeId> group;
            for (std::size_t k = i; k < j; ++k) group.push_back(keyed[k].second);
            s.parallel_edges.push_back(std::move(group));
        }
        i = j;
    }
}

} // namespace

Structure analyse_structure(const Network& network) {
    Structure s;
    find_components(network, s);
    find_critical(network, s);
    find_parallels(network, s);
    return s;
}

} // namespace plan
