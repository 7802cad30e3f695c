// Origin-destination circuity (非直线系数): network distance over straight-line
// distance between nodes, over all unordered node pairs of a small network or
// a seeded sample on a large one. Unreachable pairs are counted, never averaged.
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <thread>
#include <atomic>

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
    // The origins in order, each with its targets; the trees are grown in parallel a
    // block at a time and the pairs then taken in this same order, so that sums and
    // ratios do not depend on the thread count.
    std::vector<std::size_t> origin_index;
    std::vector<std::vector<std::size_t>> targets_of;
    if (n <= opt.all_pairs_max_nodes) {
        for (std::size_t i = 0; i + 1 < n; ++i) {
            origin_index.push_back(i);
            std::vector<std::size_t> t;
            for (std::size_t j = i + 1; j < n; ++j) t.push_back(j);
            targets_of.push_back(std::move(t));
        }
    } else {
        r.sampled = true;
        if (opt.sample_pairs == 0) throw usage_error("the circuity sample needs at least one pair");
        std::mt19937_64 rng(opt.seed);
        const std::size_t origins = (opt.sample_pairs + kTargetsPerOrigin - 1) / kTargetsPerOrigin;
        std::size_t left = opt.sample_pairs;
        for (std::size_t o = 0; o < origins; ++o) {
            const std::size_t si = below(rng, n);
            std::vector<std::size_t> t;
            for (std::size_t k = 0; k < std::min(left, kTargetsPerOrigin); ++k) {
                std::size_t ti = below(rng, n - 1);
                if (ti >= si) ++ti; // any node but the origin
                t.push_back(ti);
            }
            left -= std::min(left, kTargetsPerOrigin);
            origin_index.push_back(si);
            targets_of.push_back(std::move(t));
        }
    }
    const unsigned threads = std::max(1u, opt.threads);
    const std::size_t block = threads == 1 ? 1 : 8 * static_cast<std::size_t>(threads);
    std::vector<std::vector<std::int64_t>> trees(block);
    for (std::size_t b0 = 0; b0 < origin_index.size(); b0 += block) {
        const std::size_t b1 = std::min(origin_index.size(), b0 + block);
        if (threads == 1) g.distances_from(nodes[origin_index[b0]], trees[0]);
        else {
            std::atomic<std::size_t> next{b0};
            auto grow = [&] {
                for (std::size_t k = next++; k < b1; k = next++) g.distances_from(nodes[origin_index[k]], trees[k - b0]);
            };
            std::vector<std::thread> pool;
            for (unsigned t = 1; t < threads; ++t) pool.emplace_back(grow);
            grow();
            for (auto& t : pool) t.join();
        }
        for (std::size_t k = b0; k < b1; ++k) {
            dist.swap(trees[k - b0]);
            for (const std::size_t ti : targets_of[k]) pair(nodes[origin_index[k]], nodes[ti]);
            dist.swap(trees[k - b0]);
        }
    }
    summarise_circuity(ratios, sum_net, sum_straight, r);
    return r;
}

} // namespace plan
