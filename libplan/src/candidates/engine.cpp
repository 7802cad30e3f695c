// The incremental, exact OD evaluator of link candidates (docs/candidates.md).
//
// Adding a link u–t of L mm, where t is a node or a new node p splitting edge
// a–b into halves of la + lb = l(a–b) mm, keeps every existing distance and
// adds paths through the link: for nodes x, y of the new graph
//     d'(x, y) = min(d(x, y), d(x, u) + L + d(t, y), d(x, t) + L + d(u, y)),
// with d(x, p) = min(d(x, a) + la, d(x, b) + lb). OD points keep their seats
// on the base network (a link adds paths, it never moves an origin, so no
// pair gets longer); points seated on the split edge move to the half they
// lie on, same position and leg; their distances come from rows of node
// distances (one Dijkstra per distinct row node) with the same formula.
// Everything is whole millimetres, so the result equals a full recompute from
// the points' base feet (tests/unit/candidates).
#include "candidates/engine.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <unordered_set>

#include <fmt/format.h>

#include "network/grid_index.hpp"
#include "plan/error.hpp"

namespace plan::cand {
namespace {

constexpr NodeId kVirtual = 0xFFFFFFFEu;

void dijkstra(const RoadGraph& g, const std::vector<std::pair<NodeId, std::int64_t>>& seeds, std::int64_t cutoff,
              std::vector<std::int64_t>& dist) {
    dist.assign(g.node_count(), kInf);
    using Item = std::pair<std::int64_t, NodeId>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
    for (const auto& [v, d] : seeds) {
        if (v >= g.node_count() || (cutoff >= 0 && d > cutoff)) continue;
        if (d < dist[v]) { dist[v] = d; heap.push({d, v}); }
    }
    while (!heap.empty()) {
        const auto [d, v] = heap.top();
        heap.pop();
        if (d != dist[v]) continue;
        for (std::uint32_t a = g.offset[v]; a < g.offset[v + 1]; ++a) {
            const std::int64_t nd = d + g.weight_mm[a];
            if (cutoff >= 0 && nd > cutoff) continue;
            if (nd < dist[g.target[a]]) { dist[g.target[a]] = nd; heap.push({nd, g.target[a]}); }
        }
    }
}

/// Dijkstra within `cutoff` mm on `dist` (kInf everywhere on entry); the nodes
/// reached are listed in `touched`, so the caller resets only those.
void dijkstra_within(const RoadGraph& g, const std::vector<std::pair<NodeId, std::int64_t>>& seeds,
                     std::int64_t cutoff, std::vector<std::int64_t>& dist, std::vector<NodeId>& touched) {
    touched.clear();
    using Item = std::pair<std::int64_t, NodeId>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
    for (const auto& [v, d] : seeds) {
        if (v >= g.node_count() || d > cutoff) continue;
        if (dist[v] >= kInf) touched.push_back(v);
        if (d < dist[v]) { dist[v] = d; heap.push({d, v}); }
    }
    while (!heap.empty()) {
        const auto [d, v] = heap.top();
        heap.pop();
        if (d != dist[v]) continue;
        for (std::uint32_t a = g.offset[v]; a < g.offset[v + 1]; ++a) {
            const std::int64_t nd = d + g.weight_mm[a];
            if (nd > cutoff) continue;
            const NodeId w = g.target[a];
            if (nd < dist[w]) {
                if (dist[w] >= kInf) touched.push_back(w);
                dist[w] = nd;
                heap.push({nd, w});
            }
        }
    }
}

/// Length (m) of [0, L] covered by the union of up to three intervals.
double covered(double length, std::vector<std::pair<double, double>> iv) {
    for (auto& i : iv) { i.first = std::max(i.first, 0.0); i.second = std::min(i.second, length); }
    std::sort(iv.begin(), iv.end());
    double total = 0, end = 0;
    bool open = false;
    for (const auto& [a, b] : iv) {
        if (!(b > a)) continue;
        if (!open || a > end) { total += b - a; end = b; open = true; }
        else if (b > end) { total += b - end; end = b; }
    }
    return total;
}

double edge_reach(std::int64_t mm, std::int64_t d_from, std::int64_t d_to, std::int64_t r) {
    const double len = static_cast<double>(mm) / 1000.0, rm = static_cast<double>(r) / 1000.0;
    std::vector<std::pair<double, double>> iv;
    if (d_from <= r) iv.push_back({0, rm - static_cast<double>(d_from) / 1000.0});
    if (d_to <= r) iv.push_back({len - (rm - static_cast<double>(d_to) / 1000.0), len});
    return iv.empty() ? 0.0 : covered(len, iv);
}

} // namespace

std::optional<LinkShape> replay_link(const Network& net, NodeId u, const LineString& line,
                                     const EdgeAttributes& attributes, double snap, std::string* why) {
    auto fail = [&](std::string w) -> std::optional<LinkShape> {
        if (why) *why = std::move(w);
        return std::nullopt;
    };
    Envelope box = envelope(line);
    box.expand(Point{box.minx - snap - 1.0, box.miny - snap - 1.0});
    box.expand(Point{box.maxx + snap + 1.0, box.maxy + snap + 1.0});
    const std::vector<EdgeId> ids = net.edges_in(box);
    Network local;
    std::unordered_map<NodeId, NodeId> lnode;
    std::vector<NodeId> gnode;
    auto map_node = [&](NodeId n) {
        auto [it, inserted] = lnode.try_emplace(n, 0);
        if (inserted) { it->second = local.add_node(net.node(n).position); gnode.push_back(n); }
        return it->second;
    };
    map_node(u);
    for (EdgeId e : ids) {
        const Edge& ed = net.edge(e);
        local.add_edge(map_node(ed.from), map_node(ed.to), ed.geometry, ed.attributes, {});
    }
    const std::size_t n_edges = local.edges().size(), n_nodes = local.nodes().size();
    std::vector<EdgeId> added;
    try {
        added = local.add_line(line, attributes, {}, AddLineOptions{snap, true});
    } catch (const error& ex) {
        return fail(ex.what());
    }
    std::vector<EdgeId> removed;
    for (EdgeId e = 0; e < n_edges; ++e)
        if (local.edge(e).removed) removed.push_back(e);
    const std::size_t n_new = local.edges().size() - n_edges;
    if (added.size() != 1) return fail("crosses a road at grade");
    const Edge& lk = local.edge(added[0]);
    if (lk.from != lnode.at(u)) return fail("start does not stay at the dead end");
    LinkShape s;
    s.u = u;
    s.link = lk.geometry;
    s.len_link = lk.length;
    s.mm_link = length_mm(lk.length);
    s.p = lk.geometry.back();
    if (removed.empty() && n_new == 1) {
        if (lk.to >= n_nodes) return fail("target not on a road");
        s.t_node = gnode[lk.to];
        if (s.t_node == u) return fail("joins itself");
        return s;
    }
    if (removed.size() != 1 || n_new != 3) return fail("crosses a road at grade");
    const Edge& ha = local.edge(static_cast<EdgeId>(n_edges));
    const Edge& hb = local.edge(static_cast<EdgeId>(n_edges + 1));
    if (ha.to != lk.to || hb.from != lk.to || lk.to < n_nodes) return fail("crosses a road at grade");
    s.split = ids[removed[0]];
    s.a = net.edge(s.split).from;
    s.b = net.edge(s.split).to;
    s.half_a = ha.geometry;
    s.half_b = hb.geometry;
    s.len_a = ha.length;
    s.len_b = hb.length;
    s.mm_a = length_mm(ha.length);
    s.mm_b = length_mm(hb.length);
    return s;
}

Seat seat_from(EdgeId edge, NodeId from, NodeId to, double edge_length_m, const NetworkSnap& snap) {
    Seat s;
    s.edge = edge;
    s.from = from;
    s.to = to;
    s.len = length_mm(edge_length_m);
    s.along = std::clamp<std::int64_t>(std::llround(snap.along_m * 1000.0), 0, s.len);
    s.leg = std::llround(snap.distance_m * 1000.0);
    return s;
}

// ---------------------------------------------------------------------------

struct Engine::Prep {
    bool ok = false;
    LinkShape s;
    std::int64_t L = 0, la = 0, lb = 0;
    NodeId T = kNoId; // t_node, or kVirtual
    struct NewEdge {
        EdgeId id;
        NodeId from, to;
        const LineString* geometry;
        double length_m;
    };
    std::vector<NewEdge> edges;
    std::vector<std::pair<std::uint32_t, Seat>> moved;      // point -> new seat
    std::vector<std::pair<std::uint32_t, NetworkSnap>> moved_snap;
};

namespace {
/// The pairs over only the points they use (in point order): every result is
/// per pair, and scoring loops over the points, so unused ones (most network
/// nodes with node pairs) would only cost time.
OdPairs used_points_only(const OdPairs& pairs) {
    std::vector<std::uint32_t> index(pairs.points.size(), 0xFFFFFFFFu);
    for (const auto& [a, b] : pairs.pairs) index[a] = index[b] = 0;
    OdPairs out;
    out.basis = pairs.basis;
    for (std::size_t i = 0; i < index.size(); ++i)
        if (index[i] == 0) { index[i] = static_cast<std::uint32_t>(out.points.size()); out.points.push_back(pairs.points[i]); }
    out.pairs.reserve(pairs.pairs.size());
    for (const auto& [a, b] : pairs.pairs) out.pairs.emplace_back(index[a], index[b]);
    return out;
}
} // namespace

Engine::Engine(const Network& base, const OdPairs& pairs, double snap, unsigned threads, bool reuse_rows)
    : net_(base), g_(RoadGraph::simple(base)), pairs_(used_points_only(pairs)), snap_(snap),
      threads_(std::max(1u, threads)), reuse_rows_(reuse_rows) {
    OdDistances od = od_distances(base, pairs_, threads_);
    snaps_ = std::move(od.snaps);
    seats_.resize(snaps_.size());
    for (std::uint32_t i = 0; i < snaps_.size(); ++i) reseat(i, snaps_[i]);
    pair_mm_.resize(od.mm.size());
    for (std::size_t k = 0; k < od.mm.size(); ++k) pair_mm_[k] = od.mm[k] < 0 ? kInf : od.mm[k];
    base_pair_mm_ = pair_mm_;
    net_.edges_in(Envelope{}); // builds the edge index before threads read it
}

void Engine::reseat(std::uint32_t i, const NetworkSnap& s) {
    if (seats_[i].edge != kNoId) {
        auto& v = on_edge_[seats_[i].edge];
        v.erase(std::remove(v.begin(), v.end(), i), v.end());
    }
    snaps_[i] = s;
    if (s.edge == kNoId) { seats_[i] = Seat{}; return; }
    const Edge& e = net_.edge(s.edge);
    seats_[i] = seat_from(s.edge, e.from, e.to, e.length, s);
    on_edge_[s.edge].push_back(i);
}

std::vector<Engine::Score> Engine::score(const std::vector<std::pair<NodeId, LineString>>& links,
                                         const std::vector<EdgeAttributes>& attributes, bool keep_pairs,
                                         double reach_radius_m, std::vector<std::optional<LinkShape>>* shapes) {
    const std::size_t n = links.size();
    std::vector<Prep> preps(n);
    const EdgeId E = static_cast<EdgeId>(net_.edges().size());
    const std::size_t npts = seats_.size();

    // 1. geometry: the link as add_line makes it, and the points it re-seats
    parallel_for(n, threads_, [&](std::size_t c, unsigned) {
        Prep& pr = preps[c];
        std::string why;
        auto shape = replay_link(net_, links[c].first, links[c].second, attributes[c], snap_, &why);
        if (!shape) return;
        pr.s = std::move(*shape);
        const LinkShape& s = pr.s;
        if (s.split != kNoId && s.mm_a + s.mm_b != length_mm(net_.edge(s.split).length)) return; // see generate.cpp
        pr.ok = true;
        pr.L = s.mm_link;
        pr.la = s.mm_a;
        pr.lb = s.mm_b;
        pr.T = s.split != kNoId ? kVirtual : s.t_node;
        if (s.split != kNoId) {
            pr.edges.push_back({E, s.a, kVirtual, &s.half_a, s.len_a});
            pr.edges.push_back({E + 1, kVirtual, s.b, &s.half_b, s.len_b});
            pr.edges.push_back({E + 2, s.u, kVirtual, &s.link, s.len_link});
        } else {
            pr.edges.push_back({E, s.u, s.t_node, &s.link, s.len_link});
        }
        // OD points stay where they attach on the base network: a new link
        // adds paths, it does not move origins. Only the points seated on the
        // split edge change seat, to the half they lie on, in whole mm (the
        // same position, the same leg; la + lb equals the edge's mm).
        if (s.split == kNoId) return;
        auto it = on_edge_.find(s.split);
        if (it == on_edge_.end()) return;
        std::vector<std::uint32_t> pts = it->second;
        std::sort(pts.begin(), pts.end());
        for (const std::uint32_t i : pts) {
            const Seat& old = seats_[i];
            const bool on_a = old.along <= pr.la;
            const auto& ne = pr.edges[on_a ? 0 : 1];
            Seat st;
            st.edge = ne.id;
            st.from = ne.from;
            st.to = ne.to;
            st.len = on_a ? pr.la : pr.lb;
            st.along = on_a ? old.along : old.along - pr.la;
            st.leg = old.leg;
            NetworkSnap ns = snaps_[i];
            ns.edge = ne.id;
            ns.along_m = on_a ? snaps_[i].along_m : std::max(0.0, snaps_[i].along_m - s.len_a);
            pr.moved.push_back({i, st});
            pr.moved_snap.push_back({i, ns});
        }
    });

    // 2. rows: node distances from every node a link needs, at the columns.
    // Rows and columns persist between calls (docs/candidates.md, "Greedy
    // selection"): apply() updates them exactly for the link it adds, so a
    // call runs Dijkstras only for rows and columns it has not seen yet. The
    // graph is undirected, so one Dijkstra from a new column node fills that
    // column in every row already kept.
    std::vector<NodeId> row_nodes;
    for (const auto& pr : preps) {
        if (!pr.ok) continue;
        row_nodes.push_back(pr.s.u);
        if (pr.T != kVirtual) row_nodes.push_back(pr.T);
        for (const auto& [i, st] : pr.moved)
            for (NodeId k : {st.from, st.to})
                if (k != kVirtual) row_nodes.push_back(k);
    }
    std::sort(row_nodes.begin(), row_nodes.end());
    row_nodes.erase(std::unique(row_nodes.begin(), row_nodes.end()), row_nodes.end());
    std::vector<NodeId> need_cols = row_nodes;
    for (const auto& st : seats_)
        if (st.edge != kNoId) { need_cols.push_back(st.from); need_cols.push_back(st.to); }
    for (const auto& pr : preps)
        if (pr.ok && pr.s.split != kNoId) { need_cols.push_back(pr.s.a); need_cols.push_back(pr.s.b); }
    std::sort(need_cols.begin(), need_cols.end());
    need_cols.erase(std::unique(need_cols.begin(), need_cols.end()), need_cols.end());
    if (!reuse_rows_) {
        rows_.clear();
        vrows_.clear();
        cols_.clear();
        col_of_.clear();
    }
    col_of_.resize(net_.nodes().size(), -1);
    std::vector<NodeId> new_cols;
    for (const NodeId c : need_cols)
        if (col_of_[c] < 0) {
            col_of_[c] = static_cast<std::int32_t>(cols_.size());
            cols_.push_back(c);
            new_cols.push_back(c);
        }
    const std::size_t nc = cols_.size();
    // rows kept from earlier calls get the new columns (filled from the columns' Dijkstras)
    struct Old { std::vector<std::int64_t>* row; NodeId a, b; std::int64_t la, lb; };
    std::vector<Old> kept;
    for (auto& [z, r] : rows_) { r.resize(nc, kInf); kept.push_back({&r, z, kNoId, 0, 0}); }
    for (auto& [key, r] : vrows_) {
        r.resize(nc, kInf);
        const Edge& e = net_.edge(std::get<0>(key));
        kept.push_back({&r, e.from, e.to, std::get<1>(key), std::get<2>(key)});
    }
    if (new_cols.empty()) kept.clear();
    // new rows: node rows, and the virtual rows of links that split an edge
    struct New { std::vector<std::int64_t>* row; std::vector<std::pair<NodeId, std::int64_t>> seeds; };
    std::vector<New> fresh;
    for (const NodeId z : row_nodes)
        if (auto [it, inserted] = rows_.try_emplace(z); inserted) {
            it->second.assign(nc, kInf);
            fresh.push_back({&it->second, {{z, 0}}});
        }
    std::vector<const std::vector<std::int64_t>*> vrow_of(n, nullptr);
    for (std::size_t c = 0; c < n; ++c) {
        const Prep& pr = preps[c];
        if (!pr.ok || pr.T != kVirtual) continue;
        auto [it, inserted] = vrows_.try_emplace(VKey{pr.s.split, pr.la, pr.lb});
        if (inserted) {
            it->second.assign(nc, kInf);
            fresh.push_back({&it->second, {{pr.s.a, pr.la}, {pr.s.b, pr.lb}}});
        }
        vrow_of[c] = &it->second;
    }
    std::vector<std::vector<std::int64_t>> scratch(threads_);
    const std::size_t old_cols = nc - new_cols.size();
    parallel_for(fresh.size() + (kept.empty() ? 0 : new_cols.size()), threads_, [&](std::size_t k, unsigned w) {
        auto& dist = scratch[w];
        if (k < fresh.size()) {
            dijkstra(g_, fresh[k].seeds, -1, dist);
            std::int64_t* out = fresh[k].row->data();
            for (std::size_t j = 0; j < nc; ++j) out[j] = dist[cols_[j]];
            return;
        }
        // a new column, in every row kept (each task writes only its own column)
        const std::size_t j = old_cols + (k - fresh.size());
        dijkstra(g_, {{cols_[j], 0}}, -1, dist);
        for (const Old& o : kept)
            (*o.row)[j] = o.b == kNoId ? dist[o.a] : std::min(add(dist[o.a], o.la), add(dist[o.b], o.lb));
    });

    // 3. scores
    std::vector<Score> scores(n);
    const std::int64_t reach_mm = std::llround(reach_radius_m * 1000.0);
    std::vector<std::vector<std::int32_t>> moved_of(threads_);
    std::vector<std::vector<std::int64_t>> su_of(threads_), st_of(threads_), reach_dist(threads_);
    std::vector<std::vector<NodeId>> reach_touched(threads_);
    std::vector<std::vector<char>> reach_seen(threads_);
    parallel_for(n, threads_, [&](std::size_t c, unsigned w) {
        const Prep& pr = preps[c];
        Score& sc = scores[c];
        if (!pr.ok) return;
        sc.ok = true;
        const NodeId u = pr.s.u, T = pr.T;
        const std::int64_t L = pr.L, la = pr.la, lb = pr.lb;
        const std::int64_t* vrow = T == kVirtual ? vrow_of[c]->data() : nullptr;
        const std::int64_t* urow = rows_.at(u).data();
        const std::int64_t* trow = T == kVirtual ? vrow : rows_.at(T).data();
        const auto& col_of = col_of_;
        auto rowp = [&](NodeId k) -> const std::int64_t* {
            if (k == kVirtual) return vrow;
            if (k == u) return urow;
            if (k == T) return trow;
            return rows_.at(k).data();
        };
        auto D = [&](NodeId zr, NodeId zc) -> std::int64_t {
            if (zr == zc) return 0;
            const std::int64_t* r = rowp(zr);
            if (zc == kVirtual) return std::min(add(r[col_of[pr.s.a]], la), add(r[col_of[pr.s.b]], lb));
            return r[col_of[zc]];
        };
        auto ND = [&](NodeId zr, NodeId zc) {
            return std::min({D(zr, zc), add(add(D(zr, u), L), D(T, zc)), add(add(D(zr, T), L), D(u, zc))});
        };
        auto& moved = moved_of[w];
        moved.assign(npts, -1);
        for (std::size_t k = 0; k < pr.moved.size(); ++k) moved[pr.moved[k].first] = static_cast<std::int32_t>(k);
        auto& su = su_of[w];
        auto& st = st_of[w];
        su.assign(npts, kInf);
        st.assign(npts, kInf);
        for (std::size_t i = 0; i < npts; ++i) {
            const Seat& x = seats_[i];
            if (x.edge == kNoId || moved[i] >= 0) continue;
            su[i] = std::min(add(D(u, x.from), x.along), add(D(u, x.to), x.len - x.along));
            st[i] = std::min(add(D(T, x.from), x.along), add(D(T, x.to), x.len - x.along));
        }
        // x's seat gives the rows (moved), y's the columns
        auto general = [&](const Seat& x, const Seat& y) {
            std::int64_t core = kInf;
            const std::pair<NodeId, std::int64_t> xs[2] = {{x.from, x.along}, {x.to, x.len - x.along}};
            const std::pair<NodeId, std::int64_t> ys[2] = {{y.from, y.along}, {y.to, y.len - y.along}};
            for (const auto& [kx, ox] : xs)
                for (const auto& [ky, oy] : ys) core = std::min(core, add(add(ox, ND(kx, ky)), oy));
            if (x.edge == y.edge) core = std::min(core, std::abs(x.along - y.along));
            return add(add(core, x.leg), y.leg);
        };
        if (keep_pairs) sc.pair_mm.resize(pairs_.pairs.size());
        std::int64_t saving = 0;
        for (std::size_t k = 0; k < pairs_.pairs.size(); ++k) {
            const auto [x, y] = pairs_.pairs[k];
            const std::int64_t old = pair_mm_[k];
            std::int64_t now;
            const int mx = moved[x], my = moved[y];
            if (seats_[x].edge == kNoId || seats_[y].edge == kNoId) now = kInf;
            else if (mx < 0 && my < 0) {
                const std::int64_t via = std::min(add(add(su[x], L), st[y]), add(add(st[x], L), su[y]));
                now = std::min(old, add(add(via, seats_[x].leg), seats_[y].leg));
            } else if (mx >= 0) {
                now = general(pr.moved[static_cast<std::size_t>(mx)].second, my >= 0 ? pr.moved[static_cast<std::size_t>(my)].second : seats_[y]);
            } else {
                now = general(pr.moved[static_cast<std::size_t>(my)].second, seats_[x]);
            }
            if (keep_pairs) sc.pair_mm[k] = now;
            if (old < kInf && now < kInf) {
                saving += old - now;
                if (now < old) ++sc.improved;
                if (now > old) ++sc.worse;
            } else if (old >= kInf && now < kInf) {
                ++sc.connected;
            }
        }
        sc.saving_m = static_cast<double>(saving) / 1000.0;

        // road length reachable from the dead end within the radius, after minus before
        if (reach_mm > 0) {
            auto& dist = reach_dist[w];
            auto& touched = reach_touched[w];
            auto& seen = reach_seen[w];
            if (dist.size() != g_.node_count()) dist.assign(g_.node_count(), kInf);
            if (seen.size() != net_.edges().size()) seen.assign(net_.edges().size(), 0);
            auto reach_total = [&](bool after) {
                std::vector<std::pair<NodeId, std::int64_t>> seeds{{u, 0}};
                if (after) {
                    if (T == kVirtual) { seeds.push_back({pr.s.a, L + la}); seeds.push_back({pr.s.b, L + lb}); }
                    else seeds.push_back({T, L});
                }
                dijkstra_within(g_, seeds, reach_mm, dist, touched);
                // in node order, as a full scan would add them
                std::sort(touched.begin(), touched.end());
                double total = 0;
                std::vector<EdgeId> marked;
                for (const NodeId v : touched) {
                    for (const EdgeId e : net_.incident(v)) {
                        if (seen[e]) continue;
                        seen[e] = 1;
                        marked.push_back(e);
                        if (after && e == pr.s.split) continue;
                        const Edge& ed = net_.edge(e);
                        if (ed.from == ed.to) continue;
                        total += edge_reach(length_mm(ed.length), dist[ed.from], dist[ed.to], reach_mm);
                    }
                }
                if (after) {
                    if (T == kVirtual) {
                        const std::int64_t dp = std::min({L, add(dist[pr.s.a], la), add(dist[pr.s.b], lb)});
                        total += edge_reach(la, dist[pr.s.a], dp, reach_mm);
                        total += edge_reach(lb, dp, dist[pr.s.b], reach_mm);
                        total += edge_reach(L, 0, dp, reach_mm);
                    } else {
                        total += edge_reach(L, 0, dist[T], reach_mm);
                    }
                }
                for (const EdgeId e : marked) seen[e] = 0;
                for (const NodeId v : touched) dist[v] = kInf;
                touched.clear();
                return total;
            };
            sc.reach_gain_m = reach_total(true) - reach_total(false);
        }
    });
    if (shapes) {
        shapes->assign(n, std::nullopt);
        for (std::size_t c = 0; c < n; ++c)
            if (preps[c].ok) (*shapes)[c] = preps[c].s;
    }
    // keep what apply() needs of the moved points and the links
    last_moved_.assign(n, {});
    last_links_.assign(n, {});
    for (std::size_t c = 0; c < n; ++c) {
        for (std::size_t k = 0; k < preps[c].moved.size(); ++k)
            last_moved_[c].push_back({preps[c].moved_snap[k].first, {preps[c].moved_snap[k].second, preps[c].moved[k].second}});
        const Prep& pr = preps[c];
        if (pr.ok) last_links_[c] = {pr.s.u, pr.T, pr.s.split, pr.s.a, pr.s.b, pr.L, pr.la, pr.lb};
    }
    return scores;
}

void Engine::apply(std::size_t index, const LineString& line, const EdgeAttributes& attributes, Score score) {
    if (index >= last_moved_.size() || score.pair_mm.size() != pair_mm_.size())
        throw processing_error("candidates: apply() needs the pair distances of the last score()");
    const std::size_t before = net_.edges().size();
    net_.add_line(line, attributes, {}, AddLineOptions{snap_, true});
    const std::size_t made = net_.edges().size() - before;
    if (made != 1 && made != 3) throw processing_error("candidates: the link was not added as evaluated");
    for (const auto& [i, ms] : last_moved_[index]) {
        const auto& [ns, seat] = ms;
        const Edge& e = net_.edge(ns.edge);
        if (e.removed || length_mm(e.length) != seat.len)
            throw processing_error(fmt::format("candidates: point {} kept on edge {}, which was not added as evaluated", i,
                                               ns.edge));
        reseat(i, ns);
        seats_[i].along = seat.along; // whole mm as scored (the same position on the half)
        seats_[i].leg = seat.leg;
    }
    pair_mm_ = std::move(score.pair_mm);
    // Rows kept for the next call, updated exactly for the new link u–t of L:
    // d'(x, z) = min(d(x, z), d(x, u) + L + d(t, z), d(x, t) + L + d(u, z)),
    // for a node x or a virtual point's seeds alike; splitting an edge changes
    // no distance, and d(x, t) = min(d(x, a) + la, d(x, b) + lb) for a new t.
    // u, t (or a, b) are columns, and their rows exist: they were scored.
    const LinkRows& lk = last_links_[index];
    if (reuse_rows_) {
        const std::vector<std::int64_t> ru = rows_.at(lk.u);
        const std::vector<std::int64_t> rt = lk.T == kVirtual ? vrows_.at(VKey{lk.split, lk.la, lk.lb}) : rows_.at(lk.T);
        const std::int32_t cu = col_of_[lk.u];
        std::vector<std::vector<std::int64_t>*> all;
        for (auto& [z, r] : rows_) all.push_back(&r);
        for (auto& [key, r] : vrows_) all.push_back(&r);
        const std::size_t nc = cols_.size();
        parallel_for(all.size(), threads_, [&](std::size_t k, unsigned) {
            std::vector<std::int64_t>& r = *all[k];
            const std::int64_t du = add(r[cu], lk.L);
            const std::int64_t dt = add(lk.T == kVirtual ? std::min(add(r[col_of_[lk.a]], lk.la), add(r[col_of_[lk.b]], lk.lb))
                                                         : r[col_of_[lk.T]],
                                        lk.L);
            for (std::size_t j = 0; j < nc; ++j) r[j] = std::min({r[j], add(du, rt[j]), add(dt, ru[j])});
        });
        if (lk.split != kNoId)
            std::erase_if(vrows_, [&](const auto& kv) { return std::get<0>(kv.first) == lk.split; });
    } else {
        rows_.clear();
        vrows_.clear();
    }
    g_ = RoadGraph::simple(net_);
    last_moved_.clear();
}

} // namespace plan::cand
