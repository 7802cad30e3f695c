// Centrality against hand-worked values and against the definition evaluated
// by brute force (all-pairs distances and path counts), with many exact ties;
// the same result on any thread count; sampled results within their bound.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "plan/centrality.hpp"
#include "plan/error.hpp"
#include "plan/network.hpp"

using namespace plan;

namespace {
EdgeId road(Network& net, NodeId a, NodeId b, double bend = 0) {
    const Point pa = net.node(a).position, pb = net.node(b).position;
    LineString g{pa};
    if (bend != 0) g.push_back({(pa.x + pb.x) / 2 - bend * (pb.y - pa.y) / 100, (pa.y + pb.y) / 2 + bend * (pb.x - pa.x) / 100});
    g.push_back(pb);
    return net.add_edge(a, b, g, EdgeAttributes{}, {});
}

/// A w x h lattice at 100 m; some links bent into 260 m detours (5-12-13 triangles),
/// some left out: many equal shortest paths.
Network lattice(int w, int h, unsigned seed) {
    Network net;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) net.add_node({100.0 * x, 100.0 * y});
    std::mt19937 rng(seed);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const NodeId v = static_cast<NodeId>(y * w + x);
            if (x + 1 < w && rng() % 6 != 0) road(net, v, v + 1, rng() % 4 == 0 ? 120 : 0);
            if (y + 1 < h && rng() % 6 != 0) road(net, v, v + static_cast<NodeId>(w), rng() % 4 == 0 ? 120 : 0);
        }
    return net;
}

struct Brute {
    std::vector<double> node_bc, edge_bc, harmonic;
};

/// Betweenness and harmonic closeness from their definitions.
Brute brute_force(const Network& net, double radius) {
    const std::size_t n = net.nodes().size();
    const std::int64_t inf = std::numeric_limits<std::int64_t>::max() / 4;
    std::vector<std::vector<std::int64_t>> D(n, std::vector<std::int64_t>(n, inf));
    for (std::size_t i = 0; i < n; ++i) D[i][i] = 0;
    auto mm = [](double m) { return std::max<std::int64_t>(1, std::llround(m * 1000)); };
    for (const Edge& e : net.edges()) {
        if (e.removed || e.from == e.to) continue;
        D[e.from][e.to] = D[e.to][e.from] = std::min(D[e.from][e.to], mm(e.length));
    }
    for (std::size_t k = 0; k < n; ++k)
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j) D[i][j] = std::min(D[i][j], D[i][k] + D[k][j]);
    // path counts: sigma[s][t] = sum over neighbours u of t on a shortest path
    std::vector<std::vector<double>> S(n, std::vector<double>(n, 0));
    for (std::size_t s = 0; s < n; ++s) {
        std::vector<std::size_t> order(n);
        for (std::size_t i = 0; i < n; ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&](auto a, auto b) { return D[s][a] < D[s][b]; });
        S[s][s] = 1;
        for (std::size_t t : order) {
            if (t == s || D[s][t] >= inf) continue;
            for (const Edge& e : net.edges()) {
                if (e.removed || e.from == e.to) continue;
                for (auto [u, v] : {std::pair{e.from, e.to}, std::pair{e.to, e.from}})
                    if (v == t && D[s][u] + mm(e.length) == D[s][t] && mm(e.length) == D[u][t]) S[s][t] += S[s][u];
            }
        }
    }
    const std::int64_t R = radius > 0 ? std::llround(radius * 1000) : inf;
    Brute b{std::vector<double>(n, 0), std::vector<double>(net.edges().size(), 0), std::vector<double>(n, 0)};
    for (std::size_t s = 0; s < n; ++s)
        for (std::size_t t = 0; t < n; ++t) {
            if (t == s || D[s][t] > R) continue;
            b.harmonic[s] += 1000.0 / static_cast<double>(D[s][t]);
            if (t < s) continue;
            for (std::size_t v = 0; v < n; ++v)
                if (v != s && v != t && D[s][v] + D[v][t] == D[s][t]) b.node_bc[v] += S[s][v] * S[v][t] / S[s][t];
            for (EdgeId e = 0; e < net.edges().size(); ++e) {
                const Edge& ed = net.edge(e);
                if (ed.removed || ed.from == ed.to || mm(ed.length) != D[ed.from][ed.to]) continue;
                const auto w = mm(ed.length);
                if (D[s][ed.from] + w + D[ed.to][t] == D[s][t]) b.edge_bc[e] += S[s][ed.from] * S[ed.to][t] / S[s][t];
                if (D[s][ed.to] + w + D[ed.from][t] == D[s][t]) b.edge_bc[e] += S[s][ed.to] * S[ed.from][t] / S[s][t];
            }
        }
    return b;
}

void check_close(const std::vector<double>& a, const std::vector<double>& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO("index " << i);
        CHECK(a[i] == Approx(b[i]).epsilon(1e-12).margin(1e-12));
    }
}
} // namespace

TEST_CASE("centrality: a path and a square by hand", "[metrics]") {
    Network path;
    for (int i = 0; i < 3; ++i) path.add_node({100.0 * i, 0});
    road(path, 0, 1);
    road(path, 1, 2);
    const auto r = centrality(path, CentralityOptions{});
    REQUIRE(r.radii.size() == 1);
    CHECK(r.radii[0].node_betweenness == std::vector<double>{0, 1, 0});
    CHECK(r.radii[0].edge_betweenness == std::vector<double>{2, 2});
    CHECK(r.radii[0].harmonic[0] == Approx(1 / 100.0 + 1 / 200.0));

    // A square: opposite corners have two shortest paths, each node carries half.
    Network sq;
    for (auto p : {Point{0, 0}, Point{100, 0}, Point{100, 100}, Point{0, 100}}) sq.add_node(p);
    for (NodeId i = 0; i < 4; ++i) road(sq, i, (i + 1) % 4);
    // a longer parallel edge carries nothing; a loop is ignored
    road(sq, 0, 1, 120);
    sq.add_edge(2, 2, {{100, 100}, {150, 150}, {100, 150}, {100, 100}}, EdgeAttributes{}, {});
    const auto s = centrality(sq, CentralityOptions{});
    CHECK(s.radii[0].node_betweenness == std::vector<double>{0.5, 0.5, 0.5, 0.5});
    CHECK(s.radii[0].edge_betweenness == std::vector<double>{2, 2, 2, 2, 0, 0});
}

TEST_CASE("centrality equals the brute-force definition, globally and within radii", "[metrics]") {
    const Network net = lattice(7, 6, 5);
    CentralityOptions o;
    o.radii = {250, 400};
    const auto r = centrality(net, o);
    REQUIRE(r.radii.size() == 3);
    for (const auto& at : r.radii) {
        INFO("radius " << at.radius);
        const Brute b = brute_force(net, at.radius);
        check_close(at.node_betweenness, b.node_bc);
        check_close(at.edge_betweenness, b.edge_bc);
        check_close(at.harmonic, b.harmonic);
    }
}

TEST_CASE("centrality is the same bit for bit on 1, 2 and 3 threads", "[metrics]") {
    const Network net = lattice(30, 25, 11);
    CentralityOptions o;
    o.radii = {500};
    const auto one = centrality(net, o);
    for (unsigned t : {2u, 3u}) {
        o.threads = t;
        const auto many = centrality(net, o);
        for (std::size_t i = 0; i < one.radii.size(); ++i) {
            CHECK(many.radii[i].node_betweenness == one.radii[i].node_betweenness);
            CHECK(many.radii[i].edge_betweenness == one.radii[i].edge_betweenness);
            CHECK(many.radii[i].harmonic == one.radii[i].harmonic);
        }
    }
}

TEST_CASE("sampled centrality stays within its stated error bound", "[metrics]") {
    const Network net = lattice(25, 20, 3);
    const auto exact = centrality(net, CentralityOptions{});
    CentralityOptions o;
    o.sample_sources = 100;
    o.seed = 7;
    o.threads = 2;
    const auto est = centrality(net, o);
    REQUIRE(est.sampled);
    CHECK(est.sources == 100);
    const auto& e = exact.radii[0];
    const auto& s = est.radii[0];
    REQUIRE(s.betweenness_error_bound > 0);
    double worst = 0, total_exact = 0, total_est = 0;
    for (std::size_t v = 0; v < e.node_betweenness.size(); ++v) {
        worst = std::max(worst, std::abs(s.node_betweenness[v] - e.node_betweenness[v]));
        CHECK(std::abs(s.harmonic[v] - e.harmonic[v]) <= s.harmonic_error_bound);
        total_exact += e.node_betweenness[v];
        total_est += s.node_betweenness[v];
    }
    CHECK(worst <= s.betweenness_error_bound);
    // the estimator is unbiased: the totals agree far better than the bound
    CHECK(total_est == Approx(total_exact).epsilon(0.1));
    // every node a source: exact again
    o.sample_sources = est.nodes;
    const auto all = centrality(net, o);
    CHECK_FALSE(all.sampled);
    CHECK(all.radii[0].node_betweenness == e.node_betweenness);
}

TEST_CASE("centrality rejects radii that are not positive", "[metrics]") {
    const Network net = lattice(3, 3, 1);
    for (double bad : {0.0, -400.0, std::nan("")}) {
        CentralityOptions o;
        o.radii = {bad};
        CHECK_THROWS_AS(centrality(net, o), usage_error);
    }
    CentralityOptions none;
    none.global = false;
    CHECK_THROWS_AS(centrality(net, none), usage_error);
}
