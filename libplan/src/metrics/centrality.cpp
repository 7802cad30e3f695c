// Brandes' betweenness with Dijkstra and harmonic closeness, one shortest-path
// tree per source serving every radius. Path lengths are whole millimetres so
// that ties are exact and independent of summation order. Sources are cut into
// chunks whose count depends only on the network, never on the threads; each
// chunk's sums are added to the total in chunk order, so the result is the
// same bit for bit on one thread or many.
#include "plan/centrality.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <map>
#include <mutex>
#include <queue>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "metrics/road_graph.hpp"
#include "plan/error.hpp"

namespace plan {
namespace {

constexpr std::int64_t kUnreached = -1;

struct Sums {
    // [radius][node] and [radius][edge]
    std::vector<std::vector<double>> node_bc, edge_bc, harmonic;
    void reset(std::size_t radii, std::size_t nodes, std::size_t edges, bool bc, bool hc) {
        node_bc.resize(bc ? radii : 0);
        edge_bc.resize(bc ? radii : 0);
        harmonic.resize(hc ? radii : 0);
        for (auto& v : node_bc) v.assign(nodes, 0.0);
        for (auto& v : edge_bc) v.assign(edges, 0.0);
        for (auto& v : harmonic) v.assign(nodes, 0.0);
    }
    void add(const Sums& o) {
        auto acc = [](std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b) {
            for (std::size_t r = 0; r < a.size(); ++r)
                for (std::size_t i = 0; i < a[r].size(); ++i) a[r][i] += b[r][i];
        };
        acc(node_bc, o.node_bc);
        acc(edge_bc, o.edge_bc);
        acc(harmonic, o.harmonic);
    }
};

/// One thread's scratch space for single-source shortest paths.
struct Workspace {
    std::vector<std::int64_t> dist;
    std::vector<double> sigma, delta;
    std::vector<char> settled;
    std::vector<NodeId> order; ///< settled nodes by non-decreasing distance
    using Item = std::pair<std::int64_t, NodeId>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
    explicit Workspace(std::size_t n) : dist(n, kUnreached), sigma(n, 0.0), delta(n, 0.0), settled(n, 0) {}
};

/// Dijkstra from s up to `limit` mm (< 0: none), counting shortest paths.
/// Weights are positive and nothing beyond the limit enters the heap, so every
/// node reached is settled and `order` lists exactly the nodes touched.
void shortest_paths(const RoadGraph& g, NodeId s, std::int64_t limit, Workspace& w) {
    for (NodeId v : w.order) { w.dist[v] = kUnreached; w.sigma[v] = 0.0; w.settled[v] = 0; }
    w.order.clear();
    w.dist[s] = 0;
    w.sigma[s] = 1.0;
    w.heap.push({0, s});
    while (!w.heap.empty()) {
        const auto [d, v] = w.heap.top();
        w.heap.pop();
        if (w.settled[v] || d != w.dist[v]) continue;
        w.settled[v] = 1;
        w.order.push_back(v);
        for (std::uint32_t a = g.offset[v]; a < g.offset[v + 1]; ++a) {
            const NodeId u = g.target[a];
            const std::int64_t nd = d + g.weight_mm[a];
            if (limit >= 0 && nd > limit) continue;
            if (w.dist[u] == kUnreached || nd < w.dist[u]) {
                w.dist[u] = nd;
                w.sigma[u] = w.sigma[v];
                w.heap.push({nd, u});
            } else if (nd == w.dist[u]) {
                w.sigma[u] += w.sigma[v];
            }
        }
    }
}

/// Adds source s's dependencies for the targets within `limit` mm (< 0: all).
void accumulate(const RoadGraph& g, NodeId s, std::int64_t limit, Workspace& w, std::vector<double>* node_bc,
                std::vector<double>* edge_bc, std::vector<double>* harmonic) {
    // The settled order is by distance, so the targets within the limit are a prefix.
    std::size_t count = w.order.size();
    if (limit >= 0)
        count = static_cast<std::size_t>(
            std::upper_bound(w.order.begin(), w.order.end(), limit,
                             [&](std::int64_t lim, NodeId v) { return lim < w.dist[v]; }) -
            w.order.begin());
    if (harmonic)
        for (std::size_t i = 1; i < count; ++i) {
            const NodeId t = w.order[i];
            (*harmonic)[t] += 1000.0 / static_cast<double>(w.dist[t]);
        }
    if (!node_bc) return;
    for (std::size_t i = 0; i < count; ++i) w.delta[w.order[i]] = 0.0;
    for (std::size_t i = count; i-- > 0;) {
        const NodeId t = w.order[i];
        const double coeff = (1.0 + w.delta[t]) / w.sigma[t];
        for (std::uint32_t a = g.offset[t]; a < g.offset[t + 1]; ++a) {
            const NodeId v = g.target[a];
            if (w.dist[v] == kUnreached || w.dist[v] + g.weight_mm[a] != w.dist[t]) continue;
            const double c = w.sigma[v] * coeff;
            (*edge_bc)[g.edge[a]] += c;
            w.delta[v] += c;
        }
        if (t != s) (*node_bc)[t] += w.delta[t];
    }
}

std::uint64_t below(std::mt19937_64& rng, std::uint64_t bound) { // uniform in [0, bound), portable
    const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % bound;
    std::uint64_t x;
    do x = rng(); while (x >= limit);
    return x % bound;
}

} // namespace

CentralityResult centrality(const Network& net, const CentralityOptions& opt) {
    for (double r : opt.radii)
        if (!(r > 0) || !std::isfinite(r))
            throw usage_error(fmt::format("a centrality radius must be a positive number of metres, not {}", r), {},
                              "give radii such as --radius 400,800,1600");
    if (opt.radii.empty() && !opt.global) throw usage_error("centrality needs a radius or the global measure");
    if (opt.threads == 0) throw usage_error("--threads must be at least 1");
    if (!(opt.confidence > 0 && opt.confidence < 1))
        throw usage_error(fmt::format("confidence must be between 0 and 1, not {}", opt.confidence));

    const RoadGraph g = RoadGraph::simple(net);
    const std::size_t n = net.nodes().size(), m = net.edges().size();
    std::vector<NodeId> population;
    for (NodeId v = 0; v < n; ++v)
        if (g.offset[v + 1] > g.offset[v] || net.street_count(v) > 0) population.push_back(v);
    const std::size_t N = population.size();

    // radii in mm, largest first is not needed: each pass takes a prefix
    std::vector<double> radii;
    if (opt.global) radii.push_back(0.0);
    for (double r : opt.radii) radii.push_back(r);
    std::vector<std::int64_t> limits;
    for (double r : radii) limits.push_back(r > 0 ? static_cast<std::int64_t>(std::floor(r * 1000.0 + 0.5)) : -1);
    const std::int64_t dijkstra_limit =
        opt.global ? -1 : *std::max_element(limits.begin(), limits.end());

    CentralityResult result;
    result.nodes = N;
    std::vector<NodeId> sources = population;
    if (opt.sample_sources > 0 && opt.sample_sources < N) {
        std::mt19937_64 rng(opt.seed);
        for (std::size_t i = 0; i < opt.sample_sources; ++i)
            std::swap(sources[i], sources[i + below(rng, N - i)]);
        sources.resize(opt.sample_sources);
        std::sort(sources.begin(), sources.end());
        result.sampled = true;
    }
    result.sources = sources.size();

    // Chunks depend only on the number of sources.
    const std::size_t chunk = std::max<std::size_t>(1, (sources.size() + 255) / 256);
    const std::size_t chunks = (sources.size() + chunk - 1) / chunk;
    Sums total;
    total.reset(radii.size(), n, m, opt.betweenness, opt.closeness);
    std::mutex mutex;
    std::map<std::size_t, std::unique_ptr<Sums>> pending;
    std::vector<std::unique_ptr<Sums>> pool;
    std::size_t next_to_add = 0;
    std::atomic<std::size_t> next_chunk{0};
    std::exception_ptr failure;

    auto worker = [&]() {
        try {
            Workspace w(n);
            for (;;) {
                const std::size_t c = next_chunk.fetch_add(1);
                if (c >= chunks) break;
                std::unique_ptr<Sums> part;
                {
                    std::lock_guard lock(mutex);
                    if (!pool.empty()) { part = std::move(pool.back()); pool.pop_back(); }
                }
                if (!part) part = std::make_unique<Sums>();
                part->reset(radii.size(), n, m, opt.betweenness, opt.closeness);
                const std::size_t end = std::min(sources.size(), (c + 1) * chunk);
                for (std::size_t i = c * chunk; i < end; ++i) {
                    const NodeId s = sources[i];
                    shortest_paths(g, s, dijkstra_limit, w);
                    for (std::size_t r = 0; r < radii.size(); ++r)
                        accumulate(g, s, limits[r], w, opt.betweenness ? &part->node_bc[r] : nullptr,
                                   opt.betweenness ? &part->edge_bc[r] : nullptr,
                                   opt.closeness ? &part->harmonic[r] : nullptr);
                }
                std::lock_guard lock(mutex);
                pending.emplace(c, std::move(part));
                while (!pending.empty() && pending.begin()->first == next_to_add) {
                    total.add(*pending.begin()->second);
                    pool.push_back(std::move(pending.begin()->second));
                    pending.erase(pending.begin());
                    ++next_to_add;
                }
            }
        } catch (...) {
            std::lock_guard lock(mutex);
            if (!failure) failure = std::current_exception();
            next_chunk = chunks; // stop the others
        }
    };
    const unsigned threads = static_cast<unsigned>(std::min<std::size_t>(opt.threads, std::max<std::size_t>(1, chunks)));
    std::vector<std::thread> pool_threads;
    for (unsigned t = 1; t < threads; ++t) pool_threads.emplace_back(worker);
    worker();
    for (auto& t : pool_threads) t.join();
    if (failure) std::rethrow_exception(failure);

    // Each unordered pair was seen from both ends; a sample stands for N sources.
    const double scale = (result.sampled ? static_cast<double>(N) / static_cast<double>(sources.size()) : 1.0);
    const double delta = 1.0 - opt.confidence;
    const double k = static_cast<double>(sources.size());
    const double hoeffding =
        result.sampled ? std::sqrt(std::log(2.0 * static_cast<double>(N) / delta) / (2.0 * k)) : 0.0;
    for (std::size_t r = 0; r < radii.size(); ++r) {
        CentralityAtRadius out;
        out.radius = radii[r];
        if (opt.betweenness) {
            out.node_betweenness = std::move(total.node_bc[r]);
            out.edge_betweenness = std::move(total.edge_bc[r]);
            for (auto& x : out.node_betweenness) x *= 0.5 * scale;
            for (auto& x : out.edge_betweenness) x *= 0.5 * scale;
            out.betweenness_error_bound =
                0.5 * static_cast<double>(N) * static_cast<double>(N > 2 ? N - 2 : 0) * hoeffding;
        }
        if (opt.closeness) {
            out.harmonic = std::move(total.harmonic[r]);
            for (auto& x : out.harmonic) x *= scale;
            out.harmonic_error_bound = static_cast<double>(N) * hoeffding * 1000.0 / static_cast<double>(g.min_weight_mm());
        }
        result.radii.push_back(std::move(out));
    }
    return result;
}

} // namespace plan
