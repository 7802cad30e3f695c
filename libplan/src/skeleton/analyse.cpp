// The skeleton as a whole: every line matched and measured, then the grid:
// spacing of neighbouring parallel lines, the H×V crossings, parcel coverage.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <queue>
#include <set>

#include <fmt/format.h>

#include "line_match.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/skeleton.hpp"
#include "polyline.hpp"

namespace plan {
namespace {

using namespace skeleton_detail;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kSpacingStep = 25.0;

std::string fmt_point(const Point& p) { return fmt::format("({:.1f}, {:.1f})", p.x, p.y); }

// Cross-axis position of a line: mean y of an ew line, mean x of an ns line.
double cross_position(const SkeletonLineResult& l) {
    const auto pts = sample(l.planned, kSpacingStep);
    double s = 0;
    for (const auto& p : pts) s += l.orientation == Orientation::ew ? p.y : p.x;
    return s / static_cast<double>(pts.size());
}

void spacing(const SkeletonSpec& spec, SkeletonResult& result) {
    for (Orientation o : {Orientation::ew, Orientation::ns}) {
        std::vector<std::pair<double, const SkeletonLineResult*>> lines;
        for (const auto& l : result.lines)
            if (l.orientation == o && l.planned.size() >= 2) lines.emplace_back(cross_position(l), &l);
        std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (std::size_t i = 1; i < lines.size(); ++i) {
            const auto& a = *lines[i - 1].second;
            const auto& b = *lines[i].second;
            // Only where both lines run: the overlap of their extents along the axis.
            const Envelope ea = envelope(a.planned), eb = envelope(b.planned);
            const double lo = o == Orientation::ew ? std::max(ea.minx, eb.minx) : std::max(ea.miny, eb.miny);
            const double hi = o == Orientation::ew ? std::min(ea.maxx, eb.maxx) : std::min(ea.maxy, eb.maxy);
            SpacingResult s{a.id, b.id, o, kInf, 0.0, 0.0, true};
            std::size_t n = 0;
            for (const auto& p : sample(a.planned, kSpacingStep)) {
                const double along = o == Orientation::ew ? p.x : p.y;
                if (along < lo || along > hi) continue;
                const double d = distance_to(p, b.planned);
                s.min_m = std::min(s.min_m, d);
                s.max_m = std::max(s.max_m, d);
                s.mean_m += d;
                ++n;
            }
            if (n == 0) continue; // the lines do not run side by side
            s.mean_m /= static_cast<double>(n);
            if (spec.spacing_min_m > 0 && s.min_m < spec.spacing_min_m) s.within_target = false;
            if (spec.spacing_max_m > 0 && s.max_m > spec.spacing_max_m) s.within_target = false;
            result.spacing.push_back(s);
        }
    }
}

std::set<NodeId> line_nodes(const Network& net, const SkeletonLineResult& l) {
    std::set<NodeId> nodes;
    for (const auto* list : {&l.edges, &l.other_edges})
        for (EdgeId e : *list) {
            nodes.insert(net.edge(e).from);
            nodes.insert(net.edge(e).to);
        }
    return nodes;
}

void crossings(const Network& net, const SkeletonSpec& spec, SkeletonResult& result) {
    std::vector<std::set<NodeId>> nodes;
    for (const auto& l : result.lines) nodes.push_back(line_nodes(net, l));
    for (std::size_t h = 0; h < result.lines.size(); ++h) {
        if (result.lines[h].orientation != Orientation::ew) continue;
        for (std::size_t v = 0; v < result.lines.size(); ++v) {
            if (result.lines[v].orientation != Orientation::ns) continue;
            CrossingResult c{result.lines[h].id, result.lines[v].id, false, {}, 0};
            std::vector<NodeId> shared;
            std::set_intersection(nodes[h].begin(), nodes[h].end(), nodes[v].begin(), nodes[v].end(),
                                  std::back_inserter(shared));
            if (!shared.empty()) {
                // The nodes of one junction (a dual carriageway meets the other
                // line at two or four nodes) count once: grow the cluster of the
                // first shared node and place the crossing at its centre.
                std::vector<NodeId> cluster{shared.front()};
                std::vector<bool> taken(shared.size(), false);
                taken[0] = true;
                for (std::size_t k = 0; k < cluster.size(); ++k)
                    for (std::size_t j = 0; j < shared.size(); ++j)
                        if (!taken[j] && distance(net.node(cluster[k]).position, net.node(shared[j]).position) <=
                                             spec.junction_tolerance_m) {
                            taken[j] = true;
                            cluster.push_back(shared[j]);
                        }
                double x = 0, y = 0;
                for (NodeId n : cluster) {
                    x += net.node(n).position.x;
                    y += net.node(n).position.y;
                }
                c.exists = true;
                c.nodes = cluster.size();
                c.at = {x / static_cast<double>(cluster.size()), y / static_cast<double>(cluster.size())};
            } else {
                // Where the crossing is planned: where the planned lines cross,
                // else the point of the ew line closest to the ns line.
                const auto& a = result.lines[h].planned;
                const auto& b = result.lines[v].planned;
                if (!lines_cross(a, b, &c.at)) {
                    double best = kInf;
                    for (const auto& p : sample(a, kSpacingStep))
                        if (const double d = distance_to(p, b); d < best) {
                            best = d;
                            c.at = p;
                        }
                }
            }
            result.crossings_existing += c.exists ? 1 : 0;
            result.crossings.push_back(c);
        }
    }
    result.crossings_expected = result.crossings.size();
}

// Network distance from every node to the nearest skeleton node, up to `limit`.
std::vector<double> distance_from(const Network& net, const std::set<NodeId>& sources, double limit) {
    std::vector<double> dist(net.nodes().size(), kInf);
    using Item = std::pair<double, NodeId>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
    for (NodeId n : sources) {
        dist[n] = 0.0;
        queue.emplace(0.0, n);
    }
    while (!queue.empty()) {
        const auto [d, n] = queue.top();
        queue.pop();
        if (d > dist[n]) continue;
        for (EdgeId e : net.incident(n)) {
            const NodeId m = net.opposite(e, n);
            const double nd = d + net.edge(e).length;
            if (nd < dist[m] && nd <= limit) {
                dist[m] = nd;
                queue.emplace(nd, m);
            }
        }
    }
    return dist;
}

void coverage(const Network& net, const SkeletonSpec& spec, const std::vector<std::vector<Polygon>>& parcels,
              SkeletonResult& result) {
    CoverageResult& c = result.coverage;
    c.computed = true;
    c.distance_m = spec.coverage_m;
    const double D = spec.coverage_m;
    std::set<EdgeId> own;
    std::set<NodeId> sources;
    for (const auto& l : result.lines) {
        own.insert(l.edges.begin(), l.edges.end());
        own.insert(l.other_edges.begin(), l.other_edges.end());
        const auto n = line_nodes(net, l);
        sources.insert(n.begin(), n.end());
    }
    const std::vector<double> dist = distance_from(net, sources, D);
    for (const auto& parts : parcels) {
        double a = 0.0;
        for (const auto& p : parts) a += area(p);
        const Point ctr = centroid(parts);
        ++c.parcels;
        c.area_m2 += a;
        const Envelope box{ctr.x - D, ctr.y - D, ctr.x + D, ctr.y + D};
        // Straight: to the nearest skeleton edge. Network: the parcel reaches
        // the network at its nearest road, then travels to a skeleton node.
        double straight = kInf, nearest = kInf, network = kInf;
        for (EdgeId e : net.edges_in(box)) {
            const Edge& ed = net.edge(e);
            double best = kInf, along = 0.0, walked = 0.0;
            for (std::size_t i = 1; i < ed.geometry.size(); ++i) {
                double t = 0.0;
                const double seg = distance(ed.geometry[i - 1], ed.geometry[i]);
                const double d = point_segment_distance(ctr, ed.geometry[i - 1], ed.geometry[i], &t);
                if (d < best) {
                    best = d;
                    along = walked + t * seg;
                }
                walked += seg;
            }
            const bool skeleton = own.count(e) > 0;
            if (skeleton) straight = std::min(straight, best);
            if (best < nearest) {
                nearest = best;
                network = skeleton ? best : best + std::min(along + dist[ed.from], (walked - along) + dist[ed.to]);
            }
        }
        if (straight <= D) {
            ++c.parcels_straight;
            c.area_straight_m2 += a;
        }
        if (network <= D) {
            ++c.parcels_network;
            c.area_network_m2 += a;
        }
    }
}

std::string name_of(const Layer& layer, const Feature& f) {
    for (const char* field : {"name", "名称", "NAME", "Name"}) {
        const int i = layer.field_index(field);
        if (i >= 0) return to_text(f.values[static_cast<std::size_t>(i)]);
    }
    return {};
}

} // namespace

BarrierLayer barrier_from_layer(const Layer& layer) {
    BarrierLayer b;
    b.label = layer.name;
    for (const auto& f : layer.features) {
        const std::string nm = name_of(layer, f);
        for (const auto& p : f.geometry.polygons) {
            b.polygons.push_back(p);
            b.polygon_names.push_back(nm);
        }
        for (const auto& l : f.geometry.lines) {
            b.lines.push_back(l);
            b.line_names.push_back(nm);
        }
    }
    return b;
}

SkeletonResult analyse_skeleton(const Network& network, const SkeletonSpec& spec, const SkeletonInputs& inputs) {
    SkeletonResult result;
    result.crs = network.crs().known() ? network.crs().label() : std::string("unknown CRS");
    result.min_gap_m = spec.min_gap_m;
    for (const auto& line : spec.lines) {
        std::optional<LineString> centreline;
        if (line.centreline) centreline = read_centreline(*line.centreline, line, network.crs());
        result.lines.push_back(match_line(network, spec, line, centreline, inputs.barriers));
        const auto& r = result.lines.back();
        for (const auto& n : r.unmatched_roads)
            result.warnings.push_back(fmt::format("line {} ({}): road name '{}' matches no edge", r.id, r.display_name, n));
        if (!r.far_pieces.empty()) {
            std::string pieces;
            for (const auto& p : r.far_pieces)
                pieces += fmt::format("; {:.0f} m from {} to {}, {:.0f} m away", p.length_m, fmt_point(p.from),
                                      fmt_point(p.to), p.distance_m);
            result.warnings.push_back(fmt::format("line {} ({}): {} matched piece(s) lie more than {:.0f} m from the rest "
                                                  "and are not measured{}",
                                                  r.id, r.display_name, r.far_pieces.size(), spec.far_piece_m, pieces));
        }
        // (when every name failed, the lines above already say so)
        if (r.edges.empty() && (line.roads.empty() || r.unmatched_roads.size() < line.roads.size()))
            result.warnings.push_back(fmt::format("line {} ({}): no edge matched", r.id, r.display_name));
    }
    const bool any = std::any_of(result.lines.begin(), result.lines.end(), [](const auto& l) { return !l.edges.empty(); });
    if (!any) {
        // Say why, line by line (the warnings are printed only on success).
        std::string why;
        for (std::size_t i = 0; i < result.warnings.size() && i < 5; ++i) why += "; " + result.warnings[i];
        if (result.warnings.size() > 5) why += fmt::format("; and {} more", result.warnings.size() - 5);
        throw input_error("no line of the skeleton matches any road of the network" + why,
                          {spec.path, {}, {}, {}, "roads"},
                          "check the roads' name field (--name-field) and the names in the spec");
    }
    spacing(spec, result);
    crossings(network, spec, result);
    if (!inputs.parcels.empty()) coverage(network, spec, inputs.parcels, result);
    for (const auto& w : result.warnings) log::warn(w);
    return result;
}

} // namespace plan
