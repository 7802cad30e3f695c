#include "plan/network.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "network/grid_index.hpp"
#include "plan/error.hpp"

namespace plan {

using netdetail::key_of;
using netdetail::PointKey;
using netdetail::PointKeyHash;

const char* road_class_key(RoadClass c) {
    switch (c) {
    case RoadClass::expressway: return "expressway";
    case RoadClass::arterial: return "arterial";
    case RoadClass::collector: return "collector";
    case RoadClass::local: return "local";
    case RoadClass::ramp: return "ramp";
    case RoadClass::side_road: return "side_road";
    default: return "other";
    }
}

const char* road_class_label(RoadClass c) {
    switch (c) {
    case RoadClass::expressway: return "快速路";
    case RoadClass::arterial: return "主干路";
    case RoadClass::collector: return "次干路";
    case RoadClass::local: return "支路";
    case RoadClass::ramp: return "匝道";
    case RoadClass::side_road: return "辅路";
    default: return "其他";
    }
}

std::optional<RoadClass> road_class_from_text(std::string_view text) {
    for (int i = 0; i < kRoadClassCount; ++i) {
        const auto c = static_cast<RoadClass>(i);
        if (text == road_class_key(c) || text == road_class_label(c)) return c;
    }
    return std::nullopt;
}

const char* to_string(Oneway o) {
    switch (o) {
    case Oneway::forward: return "forward";
    case Oneway::backward: return "backward";
    default: return "both";
    }
}

// Node positions by exact coordinates and a hashed grid of edge envelopes,
// kept up to date by edits once built.
struct Network::Index {
    std::unordered_map<PointKey, NodeId, PointKeyHash> nodes;
    double cell = 100.0;
    std::unordered_map<std::uint64_t, std::vector<EdgeId>> cells;
    Envelope bounds; ///< holds every edge ever indexed

    std::uint64_t cell_key(std::int64_t x, std::int64_t y) const {
        return (static_cast<std::uint64_t>(x) << 32) ^ (static_cast<std::uint64_t>(y) & 0xFFFFFFFFull);
    }
    template <class F> void for_cells(const Envelope& b, F&& f) const {
        const auto x0 = static_cast<std::int64_t>(std::floor(b.minx / cell)), x1 = static_cast<std::int64_t>(std::floor(b.maxx / cell));
        const auto y0 = static_cast<std::int64_t>(std::floor(b.miny / cell)), y1 = static_cast<std::int64_t>(std::floor(b.maxy / cell));
        for (auto y = y0; y <= y1; ++y)
            for (auto x = x0; x <= x1; ++x) f(cell_key(x, y));
    }
};

Network::Network() = default;
Network::~Network() = default;
Network::Network(Network&&) noexcept = default;
Network& Network::operator=(Network&&) noexcept = default;
Network::Network(const Network& o)
    : nodes_(o.nodes_), edges_(o.edges_), incident_(o.incident_), sources_(o.sources_), crs_(o.crs_),
      live_edges_(o.live_edges_), revision_(o.revision_) {}
Network& Network::operator=(const Network& o) {
    if (this != &o) *this = Network(o);
    return *this;
}

std::span<const EdgeId> Network::incident(NodeId n) const {
    if (n >= incident_.size()) return {};
    return incident_[n];
}

std::size_t Network::live_node_count() const {
    std::size_t n = 0;
    for (const auto& inc : incident_) n += inc.empty() ? 0 : 1;
    return n;
}

double Network::total_length() const {
    double total = 0.0;
    for (const auto& e : edges_)
        if (!e.removed) total += e.length;
    return total;
}

Envelope Network::search_bounds() const {
    if (!index_) edges_in(Envelope{}); // builds the index
    return index_->bounds;
}

Envelope Network::extent() const {
    Envelope env;
    for (const auto& e : edges_)
        if (!e.removed)
            for (const auto& p : e.geometry) env.expand(p);
    return env;
}

std::uint32_t Network::add_source(std::string label) {
    sources_.push_back(std::move(label));
    return static_cast<std::uint32_t>(sources_.size() - 1);
}

NodeId Network::add_node(Point p) {
    if (nodes_.size() >= kNoId - 1) throw processing_error("network too large: more than 4 billion nodes");
    nodes_.push_back(Node{p});
    incident_.emplace_back();
    if (index_) index_->nodes.emplace(key_of(p), static_cast<NodeId>(nodes_.size() - 1));
    ++revision_;
    return static_cast<NodeId>(nodes_.size() - 1);
}

std::optional<NodeId> Network::find_node(Point p) const {
    if (!index_) edges_in(Envelope{}); // builds the index
    auto it = index_->nodes.find(key_of(p));
    if (it == index_->nodes.end()) return std::nullopt;
    return it->second;
}

void Network::index_edge(EdgeId e) const {
    if (!index_) return;
    const Envelope env = envelope(edges_[e].geometry);
    index_->bounds.expand(env);
    index_->for_cells(env, [&](std::uint64_t k) { index_->cells[k].push_back(e); });
}

EdgeId Network::add_edge(NodeId from, NodeId to, LineString geometry, EdgeAttributes attributes,
                         std::vector<SourceRef> sources) {
    if (from >= nodes_.size() || to >= nodes_.size())
        throw processing_error(fmt::format("add_edge: node {} or {} does not exist", from, to));
    if (geometry.size() < 2) geometry = LineString{nodes_[from].position, nodes_[to].position};
    geometry.front() = nodes_[from].position;
    geometry.back() = nodes_[to].position;
    Edge e;
    e.from = from;
    e.to = to;
    e.length = length(geometry);
    e.geometry = std::move(geometry);
    e.attributes = std::move(attributes);
    e.sources = std::move(sources);
    edges_.push_back(std::move(e));
    const auto id = static_cast<EdgeId>(edges_.size() - 1);
    incident_[from].push_back(id);
    incident_[to].push_back(id);
    ++live_edges_;
    ++revision_;
    index_edge(id);
    return id;
}

void Network::remove_edge(EdgeId e) {
    if (e >= edges_.size()) throw processing_error(fmt::format("remove_edge: edge {} does not exist", e));
    Edge& ed = edges_[e];
    if (ed.removed) return;
    ed.removed = true;
    for (NodeId n : {ed.from, ed.to}) {
        auto& inc = incident_[n];
        auto it = std::find(inc.begin(), inc.end(), e);
        if (it != inc.end()) inc.erase(it);
    }
    --live_edges_;
    ++revision_;
}

void Network::reclassify(EdgeId e, RoadClass road_class) {
    if (e >= edges_.size()) throw processing_error(fmt::format("reclassify: edge {} does not exist", e));
    edges_[e].attributes.road_class = road_class;
    ++revision_;
}

std::vector<EdgeId> Network::edges_in(const Envelope& box) const {
    if (!index_) {
        index_ = std::make_unique<Index>();
        double total = 0.0;
        for (const auto& e : edges_) total += e.removed ? 0.0 : e.length;
        if (live_edges_ > 0) index_->cell = std::clamp(total / static_cast<double>(live_edges_), 10.0, 1000.0);
        index_->nodes.reserve(nodes_.size());
        for (NodeId n = 0; n < nodes_.size(); ++n) index_->nodes.emplace(key_of(nodes_[n].position), n);
        for (EdgeId e = 0; e < edges_.size(); ++e)
            if (!edges_[e].removed) index_edge(e);
    }
    std::vector<EdgeId> out;
    if (box.empty()) return out;
    index_->for_cells(box, [&](std::uint64_t k) {
        auto it = index_->cells.find(k);
        if (it == index_->cells.end()) return;
        for (EdgeId e : it->second)
            if (!edges_[e].removed && envelope(edges_[e].geometry).intersects(box)) out.push_back(e);
    });
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

NodeId Network::split_edge(EdgeId e, Point at) {
    if (e >= edges_.size() || edges_[e].removed)
        throw processing_error(fmt::format("split_edge: edge {} does not exist or was removed", e));
    const Edge old = edges_[e]; // copy: add_edge may reallocate
    std::size_t seg = 0;
    Point foot;
    netdetail::nearest_on_line(at, old.geometry.data(), old.geometry.size(), &seg, &foot);
    if (old.geometry[seg] == at && seg == 0) return old.from;
    if (old.geometry[seg + 1] == at && seg + 2 == old.geometry.size()) return old.to;
    LineString a(old.geometry.begin(), old.geometry.begin() + static_cast<std::ptrdiff_t>(seg) + 1);
    LineString b;
    if (a.back() != at) a.push_back(at);
    b.push_back(at);
    const std::size_t next = old.geometry[seg + 1] == at ? seg + 2 : seg + 1;
    b.insert(b.end(), old.geometry.begin() + static_cast<std::ptrdiff_t>(next), old.geometry.end());
    if (a.size() < 2 || b.size() < 2) return a.size() < 2 ? old.from : old.to;
    const auto existing = find_node(at);
    const NodeId mid = existing ? *existing : add_node(at);
    remove_edge(e);
    add_edge(old.from, mid, std::move(a), old.attributes, old.sources);
    add_edge(mid, old.to, std::move(b), old.attributes, old.sources);
    return mid;
}

namespace {
// Proper or touching intersection of segments p1p2 and q1q2; returns the
// parameter along p and the point, or false.
bool segment_intersection(Point p1, Point p2, Point q1, Point q2, double& t, Point& at) {
    const double rx = p2.x - p1.x, ry = p2.y - p1.y, sx = q2.x - q1.x, sy = q2.y - q1.y;
    const double den = rx * sy - ry * sx;
    if (den == 0.0) return false; // parallel or collinear: no single crossing point
    const double qpx = q1.x - p1.x, qpy = q1.y - p1.y;
    t = (qpx * sy - qpy * sx) / den;
    const double u = (qpx * ry - qpy * rx) / den;
    if (t < 0.0 || t > 1.0 || u < 0.0 || u > 1.0) return false;
    if (u == 0.0) at = q1;
    else if (u == 1.0) at = q2;
    else if (t == 0.0) at = p1;
    else if (t == 1.0) at = p2;
    else at = Point{p1.x + t * rx, p1.y + t * ry};
    return true;
}
} // namespace

std::vector<EdgeId> Network::add_line(const LineString& input, const EdgeAttributes& attributes,
                                      const std::vector<SourceRef>& sources, const AddLineOptions& options) {
    LineString line;
    for (const auto& p : input)
        if (line.empty() || line.back() != p) line.push_back(p);
    if (line.size() < 2) throw input_error("cannot add a line of zero length to the network");
    if (!(options.snap >= 0.0)) throw usage_error("snap distance must be zero or positive");

    // Ends: snap to a node, else to an edge's interior, within `snap`.
    auto join_end = [&](Point& end) {
        Envelope box;
        box.expand(Point{end.x - options.snap, end.y - options.snap});
        box.expand(Point{end.x + options.snap, end.y + options.snap});
        double best = std::numeric_limits<double>::infinity();
        Point best_at = end;
        for (EdgeId e : edges_in(box)) {
            for (NodeId n : {edges_[e].from, edges_[e].to}) {
                const double d = distance(nodes_[n].position, end);
                if (d <= options.snap && d < best) { best = d; best_at = nodes_[n].position; }
            }
        }
        if (std::isinf(best)) {
            for (EdgeId e : edges_in(box)) {
                Point foot;
                const double d = netdetail::nearest_on_line(end, edges_[e].geometry.data(), edges_[e].geometry.size(), nullptr, &foot);
                if (d <= options.snap && d < best) { best = d; best_at = foot; }
            }
        }
        end = best_at;
        return !std::isinf(best);
    };
    join_end(line.front());
    join_end(line.back());

    // Where the line meets the network: (position along the snapped line, point).
    struct Cut { double along; Point at; };
    std::vector<double> cum(line.size(), 0.0);
    for (std::size_t i = 1; i < line.size(); ++i) cum[i] = cum[i - 1] + distance(line[i - 1], line[i]);
    const double total = cum.back();

    // Crossings at grade. One within `snap` (at least kMinPiece) of an end along
    // the line is where that end joins the road already (an end moved by a
    // reprojection lands a hair off the road it was drawn onto, and its first
    // segment then crosses that road a hair away): it makes no cut, hence no
    // zero-length or sub-snap piece, and the road it crosses is joined at the
    // end's node instead (`joins`). Crossings closer than kMinPiece to each
    // other make one cut.
    constexpr double kMinPiece = 1e-3; // m: no new piece between crossings is shorter
    const double end_tol = std::max(options.snap, kMinPiece);
    std::vector<Cut> crossings;
    if (options.at_grade) {
        for (std::size_t i = 0; i + 1 < line.size(); ++i) {
            Envelope sb;
            sb.expand(line[i]);
            sb.expand(line[i + 1]);
            for (EdgeId e : edges_in(sb)) {
                const Edge& ed = edges_[e];
                if (ed.attributes.level != attributes.level) continue;
                for (std::size_t j = 0; j + 1 < ed.geometry.size(); ++j) {
                    double t = 0;
                    Point at;
                    if (segment_intersection(line[i], line[i + 1], ed.geometry[j], ed.geometry[j + 1], t, at))
                        crossings.push_back({cum[i] + t * (cum[i + 1] - cum[i]), at});
                }
            }
        }
    }
    std::stable_sort(crossings.begin(), crossings.end(), [](const Cut& a, const Cut& b) { return a.along < b.along; });
    std::vector<Cut> cuts{{0.0, line.front()}};
    std::vector<std::pair<Point, std::size_t>> joins; // a crossing point, and the cut whose node joins its road
    std::vector<Point> to_back;
    for (const auto& c : crossings) {
        const double from_front = c.along, from_back = total - c.along;
        if (from_front <= end_tol && from_front <= from_back) joins.push_back({c.at, 0});
        else if (from_back <= end_tol) to_back.push_back(c.at);
        else if (cuts.size() > 1 && c.along - cuts.back().along <= kMinPiece) joins.push_back({c.at, cuts.size() - 1});
        else cuts.push_back(c);
    }
    cuts.push_back({total, line.back()});
    for (const auto& p : to_back) joins.push_back({p, cuts.size() - 1});

    // Nodes at every cut: existing node, split edge, or a new node.
    std::vector<NodeId> cut_nodes;
    for (const auto& c : cuts) {
        NodeId n = kNoId;
        if (auto found = find_node(c.at)) n = *found;
        else {
            Envelope pb;
            pb.expand(c.at);
            for (EdgeId e : edges_in(pb)) {
                const Edge& ed = edges_[e];
                if (ed.removed) continue;
                const double d = netdetail::nearest_on_line(c.at, ed.geometry.data(), ed.geometry.size(), nullptr, nullptr);
                if (d <= 1e-9 * std::max(1.0, std::abs(c.at.x) + std::abs(c.at.y))) { n = split_edge(e, c.at); break; }
            }
            if (n == kNoId) n = add_node(c.at);
        }
        cut_nodes.push_back(n);
    }
    // A road crossed within the tolerance of a cut is joined at that cut's node
    // (rerouted through it: a bend of at most `snap`), unless it already is.
    for (const auto& [p, k] : joins) {
        const NodeId n = cut_nodes[k];
        Envelope pb;
        pb.expand(p);
        for (EdgeId e : edges_in(pb)) {
            const Edge& ed = edges_[e];
            if (ed.removed || ed.attributes.level != attributes.level || ed.from == n || ed.to == n) continue;
            const double d = netdetail::nearest_on_line(p, ed.geometry.data(), ed.geometry.size(), nullptr, nullptr);
            if (d <= 1e-9 * std::max(1.0, std::abs(p.x) + std::abs(p.y))) {
                split_edge(e, nodes_[n].position);
                break;
            }
        }
    }

    // The new edges between consecutive cuts.
    std::vector<EdgeId> out;
    std::size_t vi = 1;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
        if (cut_nodes[k] == cut_nodes[k + 1] && cuts[k + 1].along - cuts[k].along <= 0.0) continue;
        LineString piece{cuts[k].at};
        while (vi + 1 < line.size() && cum[vi] <= cuts[k].along) ++vi;
        while (vi + 1 < line.size() && cum[vi] < cuts[k + 1].along) piece.push_back(line[vi++]);
        if (piece.back() != cuts[k + 1].at) piece.push_back(cuts[k + 1].at);
        if (piece.size() < 2) continue;
        out.push_back(add_edge(cut_nodes[k], cut_nodes[k + 1], std::move(piece), attributes, sources));
    }
    return out;
}

} // namespace plan
