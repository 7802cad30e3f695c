// Origin-destination circuity (非直线系数): network distance over straight-line
// distance between nodes, over all unordered node pairs of a small network or
// a seeded sample on a large one. Unreachable pairs are counted, never averaged.
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "metrics/circuity_stats.hpp"
#include "metrics/road_graph.hpp"
#include "plan/error.hpp"
#include "plan/metrics.hpp"

namespace plan {
namespace {
std::uint64_t below(std::mt19937_64& rng, std::uint64_t bound) {
    const std::uint64_t top = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t limit = top - top % bound;
    std::uint64_t x;
    do x = rng(); while (x >= limit);
    return x % bound;
}
constexpr std::size_t kTargetsPerOrigin = 100;
} // namespace

void summarise_circuity(std::vector<double> ratios, double sum_net, double sum_straight, CircuityResult& r) {
    static const double edges[] = {1.1, 1.2, 1.3, 1.4, 1.5, 1.75, 2.0, 3.0, std::numeric_limits<double>::infinity()};
    for (double e : edges) r.histogram.emplace_back(e, 0);
    for (double x : ratios) {
        auto it = std::find_if(r.histogram.begin(), r.histogram.end(), [&](const auto& b) { return x < b.first; });
        ++(it == r.histogram.end() ? r.histogram.back() : *it).second;
    }
    if (!ratios.empty()) {
        double s = 0;
        for (double x : ratios) s += x;
        r.mean = s / static_cast<double>(ratios.size());
        std::sort(ratios.begin(), ratios.end());
        auto q = [&](double p) { return ratios[std::min(ratios.size() - 1, static_cast<std::size_t>(p * static_cast<double>(ratios.size() - 1) + 0.5))]; };
        r.median = q(0.5);
        r.p90 = q(0.9);
        r.ratio_of_sums = sum_net / sum_straight;
    }
}

CircuityResult od_circuity(const Network& net, const CircuityOptions& opt) {
    CircuityResult r;
    const RoadGraph g = RoadGraph::simple(net);
    std::vector<NodeId> nodes;
    for (NodeId v = 0; v < net.nodes().size(); ++v)
        if (net.street_count(v) > 0) nodes.push_back(v);
    const std::size_t n = nodes.size();
    if (n < 2) return r;
    std::vector<double> ratios;
    double sum_net = 0, sum_straight = 0;
    std::vector<std::int64_t> dist;
    auto pair = [&](NodeId s, NodeId t) {
        ++r.pairs;
        const double straight = distance(net.node(s).position, net.node(t).position);
        if (straight < opt.min_straight_m) { ++r.too_close; return; }
        if (dist[t] < 0) { ++r.unreachable; return; }
        ++r.reachable;
        const double d = static_cast<double>(dist[t]) / 1000.0;
        ratios.push_back(d / straight);
        sum_net += d;
        sum_straight += straight;
    };
    if (n <= opt.all_pairs_max_nodes) {
        for (std::size_t i = 0; i < n; ++i) {
            g.distances_from(nodes[i], dist);
            for (std::size_t j = i + 1; j < n; ++j) pair(nodes[i], nodes[j]);
        }
    } else {
        r.sampled = true;
        if (opt.sample_pairs == 0) throw usage_error("the circuity sample needs at least one pair");
        std::mt19937_64 rng(opt.seed);
        const std::size_t origins = (opt.sample_pairs + kTargetsPerOrigin - 1) / kTargetsPerOrigin;
        std::size_t left = opt.sample_pairs;
        for (std::size_t o = 0; o < origins; ++o) {
            const std::size_t si = below(rng, n);
            g.distances_from(nodes[si], dist);
            for (std::size_t k = 0; k < std::min(left, kTargetsPerOrigin); ++k) {
                std::size_t ti = below(rng, n - 1);
                if (ti >= si) ++ti; // any node but the origin
                pair(nodes[si], nodes[ti]);
            }
            left -= std::min(left, kTargetsPerOrigin);
        }
    }
    summarise_circuity(ratios, sum_net, sum_straight, r);
    return r;
}

} // namespace plan
