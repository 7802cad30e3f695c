#pragma once
// Boost.Graph views of a Network for algorithms (Dijkstra, BFS, centrality).
// Both are compressed_sparse_row_graph snapshots: compact and fast for
// read-mostly use; rebuild one when Network::revision() has changed. Vertex
// descriptors are NodeIds; each arc carries the EdgeId it comes from and its
// length, so results map back to the network's edges.
#include <cstdint>
#include <utility>
#include <vector>

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include "plan/network.hpp"

namespace plan {

struct ArcProperties {
    EdgeId edge = kNoId;
    double length = 0.0;
};

using CsrGraph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, ArcProperties>;

struct GraphView {
    CsrGraph graph;
    std::uint64_t revision = 0; ///< Network::revision() it was built from
};

namespace detail {
inline GraphView make_view(const Network& net, bool directed) {
    std::vector<std::pair<NodeId, NodeId>> arcs;
    std::vector<ArcProperties> props;
    arcs.reserve(net.live_edge_count() * 2);
    props.reserve(net.live_edge_count() * 2);
    const auto& edges = net.edges();
    for (EdgeId e = 0; e < edges.size(); ++e) {
        const Edge& ed = edges[e];
        if (ed.removed) continue;
        const ArcProperties p{e, ed.length};
        const bool fwd = !directed || ed.attributes.oneway != Oneway::backward;
        const bool bwd = !directed || ed.attributes.oneway != Oneway::forward;
        if (fwd) { arcs.emplace_back(ed.from, ed.to); props.push_back(p); }
        // An undirected self-loop is one arc; a directed two-way one is two.
        if (bwd && (directed || ed.from != ed.to)) { arcs.emplace_back(ed.to, ed.from); props.push_back(p); }
    }
    GraphView v{CsrGraph(boost::edges_are_unsorted_multi_pass, arcs.begin(), arcs.end(), props.begin(),
                         net.nodes().size()),
                net.revision()};
    return v;
}
} // namespace detail

/// Structure view: every live edge as two opposite arcs (a self-loop as one).
inline GraphView undirected_view(const Network& net) { return detail::make_view(net, false); }
/// Routing view: arcs only in the allowed directions of travel.
inline GraphView directed_view(const Network& net) { return detail::make_view(net, true); }

} // namespace plan
