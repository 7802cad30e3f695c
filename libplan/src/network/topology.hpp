#pragma once
// The graph between noding and the final Network: edges are point ranges of
// the noded lines. finish_topology() merges duplicates, dissolves pass-through
// nodes and creates the Network.
#include <cstdint>
#include <vector>

#include "plan/network_build.hpp"

namespace plan::netdetail {

struct RawEdge {
    std::uint32_t from = 0, to = 0;   ///< raw node ids
    std::uint32_t first = 0, last = 0; ///< point range [first, last] in RawGraph::points
    std::uint32_t attr = 0;           ///< index into RawGraph::attrs
    std::uint32_t source = 0;         ///< index into RawGraph::line_sources
};

struct RawGraph {
    std::vector<Point> positions;          ///< per raw node
    std::vector<RawEdge> edges;
    std::vector<Point> points;
    std::vector<EdgeAttributes> attrs;
    std::vector<SourceRef> line_sources;   ///< per input line part
};

void finish_topology(RawGraph& raw, const BuildOptions& options, BuildReport& report, Network& out);

} // namespace plan::netdetail
