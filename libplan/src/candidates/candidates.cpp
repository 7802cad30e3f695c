// Candidate links for dead ends: the shortest feasible straight link to
// another road, scored alone, then a greedy selection under a budget.
#include "plan/candidates.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <queue>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "candidates/engine.hpp"
#include "network/grid_index.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"

namespace plan {

const char* to_string(CandidateObjective o) {
    switch (o) {
    case CandidateObjective::reach: return "reach";
    case CandidateObjective::components: return "components";
    case CandidateObjective::dead_ends: return "dead_ends";
    default: return "od_saving";
    }
}

CandidateObjective objective_from_text(const std::string& text) {
    for (auto o : {CandidateObjective::od_saving, CandidateObjective::reach, CandidateObjective::components,
                   CandidateObjective::dead_ends})
        if (text == to_string(o)) return o;
    throw usage_error(fmt::format("unknown objective '{}'", text), {},
                      "use one of od_saving, reach, components, dead_ends");
}

EdgeAttributes candidate_attributes(const Candidate& c) {
    EdgeAttributes a;
    a.road_class = c.road_class;
    a.name = c.name;
    a.source_class = road_class_label(c.road_class);
    a.oneway = Oneway::both;
    a.bridge = c.bridge;
    a.level = c.bridge ? 1 : 0;
    return a;
}

namespace {

using cand::Engine;
using cand::LinkShape;

// --- barriers --------------------------------------------------------------

bool segments_meet(Point p1, Point p2, Point q1, Point q2) {
    auto orient = [](Point a, Point b, Point c) {
        const double v = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
        return (v > 0) - (v < 0);
    };
    auto on_seg = [](Point a, Point b, Point c) { // c on segment ab, given collinear
        return std::min(a.x, b.x) <= c.x && c.x <= std::max(a.x, b.x) && std::min(a.y, b.y) <= c.y &&
               c.y <= std::max(a.y, b.y);
    };
    const int o1 = orient(p1, p2, q1), o2 = orient(p1, p2, q2), o3 = orient(q1, q2, p1), o4 = orient(q1, q2, p2);
    if (o1 != o2 && o3 != o4) return true;
    return (o1 == 0 && on_seg(p1, p2, q1)) || (o2 == 0 && on_seg(p1, p2, q2)) || (o3 == 0 && on_seg(q1, q2, p1)) ||
           (o4 == 0 && on_seg(q1, q2, p2));
}

bool inside_ring(const Ring& r, Point p) {
    bool in = false;
    for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++)
        if ((r[i].y > p.y) != (r[j].y > p.y) &&
            p.x < (r[j].x - r[i].x) * (p.y - r[i].y) / (r[j].y - r[i].y) + r[i].x)
            in = !in;
    return in;
}

struct Barriers {
    struct Item {
        std::size_t layer;
        std::string name;
        Envelope env;
        const Polygon* polygon = nullptr;
        const LineString* line = nullptr;
    };
    std::vector<Item> items;
    const std::vector<BarrierLayer>* layers = nullptr;

    explicit Barriers(const std::vector<BarrierLayer>& ls) : layers(&ls) {
        for (std::size_t l = 0; l < ls.size(); ++l) {
            for (std::size_t i = 0; i < ls[l].polygons.size(); ++i) {
                Envelope e;
                for (const auto& r : ls[l].polygons[i].rings) e.expand(envelope(r));
                items.push_back({l, i < ls[l].polygon_names.size() ? ls[l].polygon_names[i] : "", e, &ls[l].polygons[i], nullptr});
            }
            for (std::size_t i = 0; i < ls[l].lines.size(); ++i)
                items.push_back({l, i < ls[l].line_names.size() ? ls[l].line_names[i] : "", envelope(ls[l].lines[i]), nullptr,
                                 &ls[l].lines[i]});
        }
    }
    /// Layers crossed by segment ab (sorted, unique), with "label: name" texts.
    std::vector<std::size_t> crossed(Point a, Point b, std::vector<std::string>& names) const {
        Envelope s;
        s.expand(a);
        s.expand(b);
        std::vector<std::size_t> out;
        for (const auto& it : items) {
            if (!it.env.intersects(s)) continue;
            bool hit = false;
            if (it.polygon) {
                for (const auto& r : it.polygon->rings) {
                    for (std::size_t i = 1; i < r.size() && !hit; ++i) hit = segments_meet(a, b, r[i - 1], r[i]);
                    if (hit) break;
                }
                if (!hit && !it.polygon->rings.empty() && inside_ring(it.polygon->rings[0], a)) {
                    hit = true;
                    for (std::size_t h = 1; h < it.polygon->rings.size(); ++h)
                        if (inside_ring(it.polygon->rings[h], a)) hit = false;
                }
            } else {
                const auto& l = *it.line;
                for (std::size_t i = 1; i < l.size() && !hit; ++i) hit = segments_meet(a, b, l[i - 1], l[i]);
            }
            if (!hit) continue;
            const std::string label = (*layers)[it.layer].label;
            const std::string text = it.name.empty() ? label : label + ": " + it.name;
            if (std::find(names.begin(), names.end(), text) == names.end()) names.push_back(text);
            out.push_back(it.layer);
        }
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
        return out;
    }
};

// --- generation ------------------------------------------------------------

/// Network distances (mm) from u to the nodes within `cutoff` mm.
std::unordered_map<NodeId, std::int64_t> near_nodes(const RoadGraph& g, NodeId u, std::int64_t cutoff) {
    std::unordered_map<NodeId, std::int64_t> dist{{u, 0}};
    using Item = std::pair<std::int64_t, NodeId>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
    heap.push({0, u});
    while (!heap.empty()) {
        const auto [d, v] = heap.top();
        heap.pop();
        if (d != dist[v]) continue;
        for (std::uint32_t a = g.offset[v]; a < g.offset[v + 1]; ++a) {
            const std::int64_t nd = d + g.weight_mm[a];
            if (nd > cutoff) continue;
            auto it = dist.find(g.target[a]);
            if (it == dist.end() || nd < it->second) { dist[g.target[a]] = nd; heap.push({nd, g.target[a]}); }
        }
    }
    return dist;
}

/// Along-geometry position (m) of `foot` on segment `seg` of a line.
double along_of(const LineString& g, std::size_t seg, const Point& foot) {
    double a = 0;
    for (std::size_t i = 0; i < seg; ++i) a += distance(g[i], g[i + 1]);
    return a + distance(g[seg], foot);
}

/// Where segment pq crosses segment ab: the distance along pq (m), or nullopt
/// when they do not meet at a single point (parallel or apart).
std::optional<double> crossing_along(Point p, Point q, Point a, Point b) {
    const double rx = q.x - p.x, ry = q.y - p.y, sx = b.x - a.x, sy = b.y - a.y;
    const double den = rx * sy - ry * sx;
    if (den == 0.0) return std::nullopt;
    const double t = ((a.x - p.x) * sy - (a.y - p.y) * sx) / den;
    const double v = ((a.x - p.x) * ry - (a.y - p.y) * rx) / den;
    if (t < 0.0 || t > 1.0 || v < 0.0 || v > 1.0) return std::nullopt;
    return t * std::hypot(rx, ry);
}

/// The roads a bridge or underpass link passes over (grade-separated, no
/// junction): every crossing of an existing edge away from the link's two ends
/// (more than `end_tol` m from them). Crossings within 1 cm of each other (a
/// node) count once.
void passes_over(const Network& net, Candidate& c, double end_tol) {
    const Point p = c.line.front(), q = c.line.back();
    const double len = distance(p, q);
    Envelope env;
    env.expand(p);
    env.expand(q);
    std::vector<std::pair<double, EdgeId>> hits;
    for (EdgeId e : net.edges_in(env)) {
        const Edge& ed = net.edge(e);
        if (ed.removed) continue;
        for (std::size_t i = 1; i < ed.geometry.size(); ++i) {
            const auto s = crossing_along(p, q, ed.geometry[i - 1], ed.geometry[i]);
            if (s && *s > end_tol && *s < len - end_tol) {
                hits.push_back({*s, e});
            }
        }
    }
    std::sort(hits.begin(), hits.end());
    double last = -1.0;
    for (const auto& [s, e] : hits) {
        if (last >= 0.0 && s - last <= 0.01) continue;
        last = s;
        ++c.passes_over_roads;
        const Edge& ed = net.edge(e);
        const std::string nm = ed.attributes.name.empty()
                                   ? fmt::format("unnamed {}", road_class_label(ed.attributes.road_class))
                                   : ed.attributes.name;
        if (std::find(c.passes_over.begin(), c.passes_over.end(), nm) == c.passes_over.end()) c.passes_over.push_back(nm);
    }
}

struct Proposal {
    std::optional<Candidate> candidate;
    std::string reason;
};

Proposal propose(const Network& net, const RoadGraph& g, NodeId u, DeadEndClass kind, const CandidateOptions& opt,
                 const Barriers& barriers) {
    Proposal out;
    const auto inc = net.incident(u);
    if (inc.size() != 1) { out.reason = "no longer a dead end"; return out; }
    const Edge& own = net.edge(inc[0]);
    // the link meets its own road at grade at the dead end
    if (opt.no_at_grade.count(own.attributes.road_class)) {
        out.reason = fmt::format("dead end of a {} (not met at grade)", road_class_label(own.attributes.road_class));
        return out;
    }
    const Point U = net.node(u).position;
    // The own junction: targets whose network distance from u is within 2 × gap,
    // or within twice the link's length (the link would only shorten a path
    // that is at most twice as long: it duplicates a road, it opens nothing).
    const double R = opt.max_length_m;
    const auto near = near_nodes(g, u, std::llround(std::max(2 * opt.dead_ends.gap, 2 * R) * 1000.0) + 1);
    auto node_m = [&](NodeId n) {
        auto it = near.find(n);
        return it == near.end() ? std::numeric_limits<double>::infinity() : static_cast<double>(it->second) / 1000.0;
    };
    auto own_junction = [&](double net_m, double link_m) {
        return net_m <= std::max(2 * opt.dead_ends.gap, 2 * link_m);
    };
    auto edge_point_m = [&](EdgeId e, double along) {
        const Edge& ed = net.edge(e);
        return std::min(node_m(ed.from) + along, node_m(ed.to) + (ed.length - along));
    };
    struct Option { double d; EdgeId e; std::size_t seg; Point foot; };
    std::vector<Option> options;
    for (EdgeId e : net.edges_in(Envelope{U.x - R, U.y - R, U.x + R, U.y + R})) {
        const Edge& ed = net.edge(e);
        if (e == inc[0] || ed.from == ed.to || opt.no_at_grade.count(ed.attributes.road_class)) continue;
        std::size_t seg = 0;
        Point foot;
        const double d = netdetail::nearest_on_line(U, ed.geometry.data(), ed.geometry.size(), &seg, &foot);
        if (d > R || !(d > 0)) continue;
        if (own_junction(edge_point_m(e, along_of(ed.geometry, seg, foot)), d)) continue;
        options.push_back({d, e, seg, foot});
    }
    std::sort(options.begin(), options.end(), [](const Option& a, const Option& b) {
        return a.d != b.d ? a.d < b.d : a.e < b.e;
    });
    if (options.empty()) { out.reason = fmt::format("no other road within {:g} m", R); return out; }
    if (options.size() > opt.max_targets) options.resize(opt.max_targets);

    // The dead end nearest the target point within --gap (not u; at equal
    // distance the lower node id): a link aimed there joins two dead ends node
    // to node instead of stopping a metre short of one (docs/candidates.md).
    const double gap = opt.dead_ends.gap;
    auto dead_end_near = [&](Point p) {
        NodeId best = kNoId;
        double best_d = 0;
        for (EdgeId e : net.edges_in(Envelope{p.x - gap, p.y - gap, p.x + gap, p.y + gap})) {
            const Edge& ed = net.edge(e);
            if (ed.removed) continue;
            for (NodeId n : {ed.from, ed.to}) {
                if (n == u || net.street_count(n) != 1) continue;
                const double d = distance(p, net.node(n).position);
                if (d > gap) continue;
                if (best == kNoId || d < best_d || (d == best_d && n < best)) { best = n; best_d = d; }
            }
        }
        return best;
    };

    for (const Option& o : options)
    for (int pass = 0; pass < 2; ++pass) {
        // pass 0: the dead end near the target point, if any and no farther
        // than --max-length; pass 1 (or when pass 0 is not feasible): the point
        NodeId retarget = kNoId;
        if (pass == 0) {
            retarget = dead_end_near(o.foot);
            if (retarget == kNoId || distance(U, net.node(retarget).position) > R) continue;
        }
        const Point aim = retarget != kNoId ? net.node(retarget).position : o.foot;
        std::vector<std::string> names;
        const auto layers = barriers.crossed(U, aim, names);
        double factor = 1.0;
        bool blocked = false;
        std::string blocked_by;
        for (std::size_t l : layers) {
            const std::string& label = (*barriers.layers)[l].label;
            auto f = opt.crossing_factor.find(label);
            if (f == opt.crossing_factor.end()) { blocked = true; blocked_by = label; break; }
            factor *= f->second;
        }
        if (blocked) { out.reason = "crosses " + blocked_by; continue; }
        Candidate c;
        c.dead_end = u;
        c.dead_end_kind = kind;
        c.road_class = link_class_for(own.attributes.road_class);
        c.dead_end_road_class = own.attributes.road_class;
        c.name = own.attributes.name;
        c.crosses = names;
        c.bridge = !layers.empty();
        c.factor = factor;
        const EdgeAttributes attr = candidate_attributes(c);
        const Edge& te = net.edge(o.e);
        std::optional<LinkShape> shape;
        LineString line;
        std::string why;
        // A foot within node_snap_m (or the snap) of an end of its edge joins
        // that node: no split a few cm from it, no stub left (docs/candidates.md).
        {
            const double tol = std::max(opt.node_snap_m, opt.snap_m);
            const double along = along_of(te.geometry, o.seg, o.foot);
            const NodeId end = retarget != kNoId ? retarget
                               : along <= tol    ? te.from
                               : te.length - along <= tol ? te.to
                                                          : kNoId;
            if (end != kNoId && end != u) {
                line = LineString{U, net.node(end).position};
                auto sh = cand::replay_link(net, u, line, attr, opt.snap_m, &why);
                if (sh && sh->t_node == end) shape = std::move(sh);
            }
        }
        // Nudge the target along its segment by fractions of a millimetre until
        // the two halves' whole-mm lengths add up to the edge's (docs/candidates.md).
        const Point s0 = te.geometry[o.seg], s1 = te.geometry[o.seg + 1];
        const double sl = distance(s0, s1);
        if (retarget != kNoId && !shape) { out.reason = why.empty() ? "no feasible link" : why; continue; }
        for (int k = 0; k < 17 && !shape; ++k) {
            const int step = (k + 1) / 2 * (k % 2 ? 1 : -1);
            Point q = o.foot;
            if (step != 0 && sl > 0) {
                const double t = 0.0004 * step / sl;
                q = Point{o.foot.x + t * (s1.x - s0.x), o.foot.y + t * (s1.y - s0.y)};
            }
            line = LineString{U, q};
            auto sh = cand::replay_link(net, u, line, attr, opt.snap_m, &why);
            // a link ending on an edge may also be cut a hair before its end by
            // the at-grade pass (floating point): another position avoids it
            if (!sh) continue;
            if (sh->split != kNoId && sh->mm_a + sh->mm_b != length_mm(net.edge(sh->split).length)) {
                why = "no split with whole-mm halves";
                continue;
            }
            shape = std::move(sh);
        }
        if (!shape) { out.reason = why; continue; }
        const EdgeId target_edge = shape->split;
        const NodeId target_node = shape->t_node;
        const double net_m = target_edge != kNoId ? edge_point_m(target_edge, shape->len_a)
                                                  : node_m(target_node);
        if (target_edge == inc[0] || own_junction(net_m, shape->len_link)) {
            out.reason = "joins its own junction";
            continue;
        }
        const Edge& tgt = net.edge(target_edge != kNoId ? target_edge : net.incident(target_node).front());
        if (opt.no_at_grade.count(tgt.attributes.road_class)) { out.reason = "joins a road it may not meet at grade"; continue; }
        c.line = line;
        c.target_edge = target_edge;
        c.target_node = target_node;
        c.target_name = tgt.attributes.name;
        c.target_class = tgt.attributes.road_class;
        c.oneway_target = own.attributes.oneway != Oneway::both;
        if (target_edge != kNoId) c.oneway_target = c.oneway_target || tgt.attributes.oneway != Oneway::both;
        else
            for (EdgeId e : net.incident(target_node)) c.oneway_target = c.oneway_target || net.edge(e).attributes.oneway != Oneway::both;
        c.length_m = shape->len_link;
        c.length_mm = shape->mm_link;
        if (c.bridge) passes_over(net, c, std::max(opt.snap_m, 0.001));
        out.candidate = std::move(c);
        return out;
    }
    return out;
}

/// Ranking order: the higher score per unit; at an equal score per unit, more
/// newly connected pairs (the OD saving leaves them out). Not ordered: equal.
bool better(const Candidate& a, const Candidate& b) {
    if (a.score_per_unit != b.score_per_unit) return a.score_per_unit > b.score_per_unit;
    return a.pairs_connected > b.pairs_connected;
}

struct Dsu {
    std::vector<std::uint32_t> parent;
    std::uint32_t find(std::uint32_t x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    }
};

} // namespace

RoadClass link_class_for(RoadClass c) {
    switch (c) {
    case RoadClass::arterial:
    case RoadClass::collector:
    case RoadClass::local:
    case RoadClass::side_road: return c;
    default: return RoadClass::local;
    }
}

void check_cost_classes(const std::map<RoadClass, double>& cost_per_km) {
    for (const auto& kv : cost_per_km) {
        const RoadClass c = kv.first;
        if (link_class_for(c) == c) continue;
        throw usage_error(
            fmt::format("--cost {}: no new link is of class {} ({}), so its price would price nothing", road_class_label(c),
                        road_class_label(c), road_class_key(c)),
            {},
            "a link takes its dead end's class: 主干路, 次干路, 支路 or 辅路 (arterial, collector, local, side_road); "
            "a link from a 快速路, 匝道 or 其他 road is 支路, so price it with --cost 支路=AMOUNT");
    }
}

std::vector<std::int64_t> incremental_od_after(const Network& network, const OdPairs& pairs,
                                               const std::vector<Candidate>& links, double snap_m, unsigned threads) {
    Engine eng(network, pairs, snap_m, threads);
    for (const Candidate& c : links) {
        const EdgeAttributes attr = candidate_attributes(c);
        auto scores = eng.score({{c.dead_end, c.line}}, {attr}, true, 0);
        if (!scores[0].ok) throw processing_error(fmt::format("link from node {} cannot be evaluated exactly", c.dead_end));
        eng.apply(0, c.line, attr, std::move(scores[0]));
    }
    std::vector<std::int64_t> out = eng.pair_mm();
    for (auto& v : out)
        if (v >= cand::kInf) v = -1;
    return out;
}

CandidateResult plan_candidates(const Network& network, const OdPairs& pairs, const CandidateOptions& opt,
                                const ScoringOptions& sc) {
    if (!(opt.max_length_m > 0) || !std::isfinite(opt.max_length_m))
        throw usage_error(fmt::format("--max-length must be positive, not {}", opt.max_length_m));
    if (sc.budget_km && !(*sc.budget_km > 0))
        throw usage_error(fmt::format("--budget-km must be positive, not {}", *sc.budget_km), {},
                          "give the kilometres of new road the selection may build");
    if (sc.budget_cost && !(*sc.budget_cost > 0))
        throw usage_error(fmt::format("--budget must be positive, not {}", *sc.budget_cost), {},
                          "give the money the selection may spend");
    if (sc.budget_cost && sc.cost_per_km.empty())
        throw usage_error("--budget needs costs per km by class", {}, "add --cost 支路=3000 (and other classes)");
    check_cost_classes(sc.cost_per_km);
    if (sc.threads == 0) throw usage_error("--threads must be at least 1");
    for (const auto& [label, f] : opt.crossing_factor)
        if (!(f >= 1) || !std::isfinite(f))
            throw usage_error(fmt::format("--bridge-factor {}={}: a bridge or underpass factor must be at least 1 (a "
                                          "structure never costs less than a road at grade)",
                                          label, f));

    CandidateResult res;
    res.objective = sc.objective;
    res.per_cost = !sc.cost_per_km.empty();
    res.budget_km = sc.budget_km;
    res.budget_cost = sc.budget_cost;
    res.od_basis = pairs.basis;
    res.od_pairs = pairs.pairs.size();
    res.no_at_grade = opt.no_at_grade;
    res.reach_radius_m = sc.reach_radius_m;
    res.cost_unit = sc.cost_unit;

    const Structure st = analyse_structure(network);
    const std::vector<DeadEnd> dead = find_dead_ends(network, st, opt.dead_ends);
    res.dead_ends = dead.size();
    std::vector<const DeadEnd*> order;
    for (const auto& d : dead)
        if (d.kind == DeadEndClass::near_miss) order.push_back(&d);
    for (const auto& d : dead)
        if (d.kind != DeadEndClass::near_miss && (opt.include_boundary || d.kind != DeadEndClass::boundary))
            order.push_back(&d);
    if (opt.max_dead_ends > 0 && order.size() > opt.max_dead_ends) order.resize(opt.max_dead_ends);
    res.dead_ends_considered = order.size();
    using clock = std::chrono::steady_clock;
    auto ms = [](clock::time_point a) { return std::chrono::duration<double, std::milli>(clock::now() - a).count(); };
    auto t0 = clock::now();

    Engine eng(network, pairs, opt.snap_m, sc.threads, sc.reuse_rows);
    for (std::size_t k = 0; k < pairs.pairs.size(); ++k)
        if (eng.base_pair_mm()[k] < cand::kInf) {
            ++res.od_pairs_connected;
            res.base_od_total_m += static_cast<double>(eng.base_pair_mm()[k]) / 1000.0;
        }
    const Barriers barriers(opt.barriers);
    log::debug(fmt::format("candidates timings: structure, dead ends and base OD distances {:.0f} ms", ms(t0)));

    auto cost_of = [&](Candidate& c) {
        const double km = c.length_m / 1000.0;
        if (sc.cost_per_km.empty()) { c.cost = km * c.factor; return; }
        auto it = sc.cost_per_km.find(c.road_class);
        if (it == sc.cost_per_km.end())
            throw config_error(fmt::format("no cost per km for class {} (a candidate link of {} is of this class)",
                                           road_class_label(c.road_class), c.name.empty() ? "an unnamed road" : c.name),
                               {}, fmt::format("add --cost {}=AMOUNT", road_class_label(c.road_class)));
        c.cost = km * it->second * c.factor;
    };

    // components joined, through the picks so far
    Dsu dsu;
    dsu.parent.resize(st.components.size() + 1);
    std::iota(dsu.parent.begin(), dsu.parent.end(), 0u);
    std::vector<std::uint32_t> comp(network.nodes().size());
    for (NodeId v = 0; v < comp.size(); ++v) {
        const std::uint32_t c = v < st.node_component.size() ? st.node_component[v] : kNoId;
        comp[v] = c == kNoId ? static_cast<std::uint32_t>(st.components.size()) : c;
    }

    auto generate = [&](const std::vector<const DeadEnd*>& ends, std::vector<Candidate>& out) {
        std::vector<Proposal> props(ends.size());
        const Network& net = eng.network();
        cand::parallel_for(ends.size(), sc.threads, [&](std::size_t i, unsigned) {
            props[i] = propose(net, eng.graph(), ends[i]->node, ends[i]->kind, opt, barriers);
        });
        for (std::size_t i = 0; i < ends.size(); ++i) {
            if (!props[i].candidate) { out.push_back(Candidate{}); out.back().name = props[i].reason; continue; }
            out.push_back(std::move(*props[i].candidate));
        }
    };
    auto fill_scores = [&](std::vector<Candidate>& cs, const std::vector<Engine::Score>& scores) {
        const Network& net = eng.network();
        for (std::size_t i = 0; i < cs.size(); ++i) {
            Candidate& c = cs[i];
            if (c.dead_end == kNoId || !scores[i].ok) continue;
            c.od_saving_m = scores[i].saving_m;
            c.pairs_improved = scores[i].improved;
            c.pairs_connected = scores[i].connected;
            c.pairs_worse = scores[i].worse;
            // whole millimetres, as every distance here: gains equal up to
            // floating-point noise are equal, and tie by the stated rule
            c.reach_gain_m = static_cast<double>(std::llround(scores[i].reach_gain_m * 1000.0)) / 1000.0;
            const NodeId t = c.target_node != kNoId ? c.target_node : net.edge(c.target_edge).from;
            c.components_joined = dsu.find(comp[c.dead_end]) != dsu.find(comp[t]) ? 1 : 0;
            c.dead_ends_removed = 1 + (c.target_node != kNoId && net.street_count(c.target_node) == 1 ? 1 : 0);
            switch (sc.objective) {
            case CandidateObjective::od_saving: c.score = c.od_saving_m; break;
            case CandidateObjective::reach: c.score = c.reach_gain_m; break;
            case CandidateObjective::components: c.score = c.components_joined; break;
            case CandidateObjective::dead_ends: c.score = c.dead_ends_removed; break;
            }
            cost_of(c);
            c.score_per_unit = c.cost > 0 ? c.score / c.cost : 0.0;
        }
    };
    auto links_of = [](const std::vector<Candidate>& cs, std::vector<std::pair<NodeId, LineString>>& links,
                       std::vector<EdgeAttributes>& attrs) {
        for (const auto& c : cs) {
            links.push_back({c.dead_end == kNoId ? 0 : c.dead_end, c.dead_end == kNoId ? LineString{} : c.line});
            attrs.push_back(candidate_attributes(c));
        }
    };

    // --- alone ------------------------------------------------------------
    std::vector<Candidate> first;
    t0 = clock::now();
    generate(order, first);
    log::debug(fmt::format("candidates timings: generation of {} dead ends {:.0f} ms", order.size(), ms(t0)));
    t0 = clock::now();
    {
        std::vector<std::pair<NodeId, LineString>> links;
        std::vector<EdgeAttributes> attrs;
        std::vector<Candidate> ok;
        std::vector<std::size_t> idx;
        for (std::size_t i = 0; i < first.size(); ++i)
            if (first[i].dead_end != kNoId) { ok.push_back(first[i]); idx.push_back(i); }
            else ++res.rejected[first[i].name];
        links_of(ok, links, attrs);
        const auto scores = eng.score(links, attrs, false, sc.reach_radius_m);
        fill_scores(ok, scores);
        std::uint32_t id = 0;
        // links that join the same pair of nodes (two dead ends each other's
        // target): keep the shorter (whole mm), at equal length the earlier
        // dead end's (lower id); count the other
        std::map<std::pair<NodeId, NodeId>, std::size_t> joined;
        std::vector<char> keep(ok.size(), 0);
        for (std::size_t k = 0; k < ok.size(); ++k) {
            if (!scores[k].ok) { ++res.rejected["cannot be evaluated exactly"]; continue; }
            keep[k] = 1;
            if (ok[k].target_node == kNoId) continue;
            const auto key = std::minmax(ok[k].dead_end, ok[k].target_node);
            auto [it, fresh] = joined.try_emplace({key.first, key.second}, k);
            if (fresh) continue;
            ++res.duplicates_merged;
            if (ok[k].length_mm < ok[it->second].length_mm) {
                keep[it->second] = 0;
                it->second = k;
            } else {
                keep[k] = 0;
            }
        }
        for (std::size_t k = 0; k < ok.size(); ++k) {
            if (!keep[k]) continue;
            ok[k].id = ++id;
            res.candidates.push_back(std::move(ok[k]));
        }
        (void)idx;
        log::debug(fmt::format("candidates timings: scoring {} candidates alone {:.0f} ms", res.candidates.size(), ms(t0)));
    }
    {
        std::vector<std::size_t> by(res.candidates.size());
        std::iota(by.begin(), by.end(), 0);
        std::sort(by.begin(), by.end(), [&](std::size_t a, std::size_t b) {
            const Candidate &x = res.candidates[a], &y = res.candidates[b];
            if (better(x, y)) return true;
            if (better(y, x)) return false;
            return x.id < y.id;
        });
        for (std::size_t r = 0; r < by.size(); ++r) res.candidates[by[r]].rank = r + 1;
    }

    // --- greedy under the budget -------------------------------------------
    if (!sc.budget_km && !sc.budget_cost) return res;
    res.stop_reason = "none_left";
    t0 = clock::now();
    std::vector<const DeadEnd*> remaining;
    std::unordered_map<NodeId, std::uint32_t> id_of;
    for (const auto& c : res.candidates) id_of[c.dead_end] = c.id;
    for (const DeadEnd* d : order)
        if (id_of.count(d->node)) remaining.push_back(d);
    double used_km = 0, used_cost = 0, total_score = 0;
    for (;;) {
        res.stop_over_budget = 0;
        std::vector<const DeadEnd*> live;
        for (const DeadEnd* d : remaining)
            if (eng.network().street_count(d->node) == 1) live.push_back(d);
        remaining = live;
        if (live.empty()) break;
        std::vector<Candidate> cs;
        generate(live, cs);
        std::vector<std::pair<NodeId, LineString>> links;
        std::vector<EdgeAttributes> attrs;
        links_of(cs, links, attrs);
        // only links that fit the budget left are scored
        std::vector<Candidate> fit;
        std::vector<std::pair<NodeId, LineString>> flinks;
        std::vector<EdgeAttributes> fattrs;
        for (std::size_t i = 0; i < cs.size(); ++i) {
            if (cs[i].dead_end == kNoId) continue;
            cost_of(cs[i]);
            const double km = cs[i].length_m / 1000.0;
            if (sc.budget_km && used_km + km > *sc.budget_km + 1e-12) continue;
            if (sc.budget_cost && used_cost + cs[i].cost > *sc.budget_cost + 1e-9) continue;
            fit.push_back(cs[i]);
            flinks.push_back(links[i]);
            fattrs.push_back(attrs[i]);
        }
        res.stop_cheapest_km = res.stop_cheapest_cost = 0;
        for (const auto& c : cs) {
            if (c.dead_end == kNoId) continue;
            ++res.stop_over_budget;
            if (std::find_if(fit.begin(), fit.end(), [&](const Candidate& f) { return f.dead_end == c.dead_end; }) != fit.end())
                continue;
            const double km = c.length_m / 1000.0;
            if (res.stop_cheapest_km == 0 || km < res.stop_cheapest_km) res.stop_cheapest_km = km;
            if (res.stop_cheapest_cost == 0 || c.cost < res.stop_cheapest_cost) res.stop_cheapest_cost = c.cost;
        }
        res.stop_over_budget -= fit.size();
        if (fit.empty()) {
            // candidates are left, but none fits the budget left
            if (std::any_of(cs.begin(), cs.end(), [](const Candidate& c) { return c.dead_end != kNoId; }))
                res.stop_reason = "budget";
            break;
        }
        auto scores = eng.score(flinks, fattrs, true, sc.reach_radius_m);
        fill_scores(fit, scores);
        // never a pick whose re-scored gain is zero or less (reach in whole mm,
        // OD saving in whole mm, the others whole numbers: no rounding noise)
        std::size_t best = fit.size();
        for (std::size_t i = 0; i < fit.size(); ++i) {
            if (!scores[i].ok || !(fit[i].score > 0)) continue;
            if (best == fit.size() || better(fit[i], fit[best])) best = i;
        }
        if (best == fit.size()) {
            res.stop_reason = "no_gain";
            break;
        }
        Candidate& c = fit[best];
        const NodeId t = c.target_node != kNoId ? c.target_node : eng.network().edge(c.target_edge).from;
        const std::uint32_t cu = dsu.find(comp[c.dead_end]), ct = dsu.find(comp[t]);
        const std::size_t nodes_before = eng.network().nodes().size();
        Pick p;
        p.candidate = id_of[c.dead_end];
        p.order = res.picks.size() + 1;
        p.marginal_score = c.score;
        p.marginal_od_saving_m = c.od_saving_m;
        p.marginal_pairs_improved = c.pairs_improved;
        p.marginal_pairs_connected = c.pairs_connected;
        eng.apply(best, c.line, candidate_attributes(c), std::move(scores[best]));
        if (cu != ct) dsu.parent[cu] = ct;
        comp.resize(eng.network().nodes().size(), comp[c.dead_end]);
        for (std::size_t v = nodes_before; v < comp.size(); ++v) comp[v] = comp[c.dead_end];
        used_km += c.length_m / 1000.0;
        used_cost += c.cost;
        // whole millimetres (or whole numbers): no floating-point noise in the totals
        total_score = static_cast<double>(std::llround((total_score + c.score) * 1000.0)) / 1000.0;
        p.total_km = used_km;
        p.total_cost = used_cost;
        p.total_score = total_score;
        const auto& now = eng.pair_mm();
        const auto& base = eng.base_pair_mm();
        std::int64_t saved_mm = 0;
        for (std::size_t k = 0; k < now.size(); ++k)
            if (base[k] < cand::kInf && now[k] < cand::kInf) {
                saved_mm += base[k] - now[k];
                if (now[k] < base[k]) ++p.total_pairs_improved;
            } else if (base[k] >= cand::kInf && now[k] < cand::kInf) {
                ++p.total_pairs_connected;
            }
        p.total_od_saving_m = static_cast<double>(saved_mm) / 1000.0;
        p.link = std::move(c);
        p.link.id = p.candidate;
        res.picks.push_back(std::move(p));
        std::erase_if(remaining, [&](const DeadEnd* d) { return d->node == res.picks.back().link.dead_end; });
    }
    log::debug(fmt::format("candidates timings: greedy selection of {} links {:.0f} ms", res.picks.size(), ms(t0)));
    return res;
}

} // namespace plan
