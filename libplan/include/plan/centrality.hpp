#pragma once
// Length-weighted centrality on the undirected road network: node and edge
// betweenness (Brandes, with Dijkstra) and harmonic closeness, globally or
// within network radii, exact or from a seeded sample of sources, on several
// threads with a result that does not depend on the thread count.
//
// Conventions (docs/metrics.md):
// - path lengths are compared in whole millimetres (each edge length rounded to
//   the millimetre, sums exact in integers): paths within that resolution are
//   equal shortest paths and share the pair's weight, as in Brandes' algorithm;
// - the graph is simple: self-loops are left out and of parallel edges only the
//   shortest carries paths (ties: lowest edge id); the others get 0;
// - values are not normalised; each unordered pair counts once;
// - harmonic closeness of v = Σ_{u≠v, d(u,v) <= radius} 1 / d(u,v) (d in metres).
#include <cstdint>
#include <optional>
#include <vector>

#include "plan/network.hpp"

namespace plan {

struct CentralityOptions {
    /// Compute without a radius limit.
    bool global = true;
    /// Network radii in metres, each > 0 (paths of length <= radius count).
    std::vector<double> radii;
    unsigned threads = 1;
    /// Sources to sample (0 = exact, every node a source).
    std::size_t sample_sources = 0;
    std::uint64_t seed = 1;
    /// Confidence of the stated error bound of sampled results.
    double confidence = 0.99;
    bool betweenness = true;
    bool closeness = true;
};

struct CentralityAtRadius {
    double radius = 0.0;                   ///< metres, 0 = global
    std::vector<double> node_betweenness;  ///< per NodeId
    std::vector<double> edge_betweenness;  ///< per EdgeId (removed, loops, longer parallels: 0)
    std::vector<double> harmonic;          ///< per NodeId
    /// Sampled: with probability >= confidence every node's betweenness is within
    /// this of the exact value (Hoeffding bound with a union bound over nodes);
    /// 0 when exact.
    double betweenness_error_bound = 0.0;
    double harmonic_error_bound = 0.0;
};

struct CentralityResult {
    bool sampled = false;
    std::size_t sources = 0;       ///< sources used
    std::size_t nodes = 0;         ///< nodes with an edge (the population sampled from)
    std::vector<CentralityAtRadius> radii;
};

/// Throws usage_error for a radius <= 0 or not finite, no radius and no global, zero threads, a
/// confidence outside (0,1).
CentralityResult centrality(const Network& network, const CentralityOptions& options);

} // namespace plan
