// Topology from raw lines. All lines live in one flat point array; noding adds
// points to it, nodes come from exact coordinate keys (with grade separation in
// crossings mode), and edges are point ranges until the final network is made.
// A uniform grid replaces a general noder: each candidate pair of segments is
// tested once, in the cell holding the corner of their common envelope.
#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "network/attributes.hpp"
#include "network/grid_index.hpp"
#include "network/topology.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/network_build.hpp"

namespace plan {

using namespace netdetail;

namespace {

bool is_osm(const Layer& layer) {
    auto ends = [&](const char* s) {
        const std::string suf(s);
        return layer.source.size() >= suf.size() && layer.source.compare(layer.source.size() - suf.size(), suf.size(), suf) == 0;
    };
    return layer.driver == "OSM" || !layer.report.noding_hint.empty() || ends(".osm") || ends(".pbf") || ends(".osm.pbf");
}

// Orientation of c relative to ab: >0 left, <0 right, 0 collinear.
inline double orient(const Point& a, const Point& b, const Point& c) {
    return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
}
inline int sign(double v) { return (v > 0) - (v < 0); }

// Length (m) of every part of a line feature.
double line_length(const Geometry& g) {
    double total = 0;
    for (const LineString& part : g.lines)
        for (std::size_t i = 1; i < part.size(); ++i) total += distance(part[i - 1], part[i]);
    return total;
}

// Strictly inside segment ab (collinearity already known).
inline bool strictly_inside(const Point& p, const Point& a, const Point& b) {
    if (p == a || p == b) return false;
    return std::min(a.x, b.x) <= p.x && p.x <= std::max(a.x, b.x) && std::min(a.y, b.y) <= p.y && p.y <= std::max(a.y, b.y);
}

inline double param(const Point& p, const Point& a, const Point& b) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double l2 = dx * dx + dy * dy;
    return l2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2 : 0.0;
}

struct Insert {
    std::uint32_t seg; // global index of the segment's first point
    double t;
    Point at;
};

// Union-find with path halving; the root is the smallest member.
struct UnionFind {
    std::vector<std::uint32_t> parent;
    explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
    std::uint32_t find(std::uint32_t a) {
        while (parent[a] != a) a = parent[a] = parent[parent[a]];
        return a;
    }
    void unite(std::uint32_t a, std::uint32_t b) {
        a = find(a);
        b = find(b);
        if (a == b) return;
        if (a < b) parent[b] = a;
        else parent[a] = b;
    }
};

class Builder {
public:
    Builder(const BuildOptions& o, BuildReport& r) : opt_(o), rep_(r) {}

    void load(const std::vector<const Layer*>& layers, Network& net);
    void snap();
    void find_crossings();
    void apply_inserts();
    void sum_up_snapping();
    RawGraph make_raw_graph();

private:
    bool line_crossing(std::uint32_t line) const { return crossing_[line] != 0; }
    std::uint32_t line_of_point(std::uint32_t p) const {
        return static_cast<std::uint32_t>(std::upper_bound(begin_.begin(), begin_.end(), p) - begin_.begin() - 1);
    }
    bool is_end(std::uint32_t p) const {
        const auto l = line_of_point(p);
        return p == begin_[l] || p + 1 == begin_[l + 1];
    }
    std::vector<Envelope> segment_boxes() const;
    // An end (point index) joined across a gap of `d` metres, counted once per end.
    void note_move(std::uint32_t end_point, double d, const Point& at) {
        if (!(d > 0.0) || moved_[end_point]) return;
        moved_[end_point] = 1;
        moves_.push_back(Move{d, line_of_point(end_point), at});
    }

    const BuildOptions& opt_;
    BuildReport& rep_;
    std::vector<Point> pts_;
    std::vector<std::uint32_t> begin_{0}; // line i = points [begin_[i], begin_[i+1])
    std::vector<std::uint32_t> attr_;     // per line, index into attrs_
    std::vector<SourceRef> src_;
    std::vector<std::uint8_t> crossing_;  // per line: its source uses crossings noding
    std::vector<EdgeAttributes> attrs_;
    std::vector<Insert> inserts_;
    bool any_crossing_ = false;
    struct Move {
        double d;           // metres
        std::uint32_t line; // the end's line
        Point at;           // the end before the move
    };
    std::vector<Move> moves_;        // in end order: deterministic
    std::vector<std::uint8_t> moved_; // per point: an end already counted in moves_
};

void Builder::load(const std::vector<const Layer*>& layers, Network& net) {
    std::int64_t polygons = 0, features = 0;
    for (const Layer* layer : layers) {
        BuildReport::SourceReport sr;
        sr.label = layer->name.empty() ? layer->source : layer->source + ":" + layer->name;
        const std::uint32_t source = net.add_source(sr.label);
        if (opt_.noding == Noding::automatic) {
            sr.noding = is_osm(*layer) ? Noding::vertices : Noding::crossings;
            sr.noding_reason = sr.noding == Noding::vertices
                                   ? "OSM data: ways share a node where roads meet"
                                   : "not OSM: lines may cross without a shared vertex";
        } else {
            sr.noding = opt_.noding;
            sr.noding_reason = "chosen with --noding";
        }
        const bool crossing = sr.noding == Noding::crossings;
        any_crossing_ = any_crossing_ || crossing;
        AttributeReader reader(*layer, opt_);
        sr.class_field = reader.class_field();
        if (layer->report.dropped_z) rep_.dropped_z = true;
        for (const Feature& f : layer->features) {
            ++sr.features;
            ++features;
            if (f.geometry.kind != GeometryKind::line || f.geometry.lines.empty()) {
                ++sr.not_lines;
                if (f.geometry.kind == GeometryKind::polygon) ++polygons;
                continue;
            }
            RoadClass rc = RoadClass::other;
            std::string value;
            if (reader.has_class_field()) {
                value = reader.class_value(f);
                if (value.empty()) { ++sr.filtered_out; continue; } // not a road (OSM railways, rivers...)
                bool known = true;
                rc = reader.classify(value, {}, known);
                if (!known) ++sr.unknown_values[value];
            }
            EdgeAttributes a = reader.attributes(f, value, rc);
            if (reader.has_class_field()) {
                bool known = true;
                a.road_class = reader.classify(value, a.name, known);
                if (!opt_.classes.admits(a.road_class)) {
                    ++sr.filtered_out;
                    sr.excluded_m[value] += line_length(f.geometry);
                    continue;
                }
                if (a.road_class == RoadClass::side_road && rc != RoadClass::side_road)
                    sr.side_road_by_name_m[value] += line_length(f.geometry);
            }
            const auto attr_index = static_cast<std::uint32_t>(attrs_.size());
            attrs_.push_back(std::move(a));
            sr.multipart_split += static_cast<std::int64_t>(f.geometry.lines.size()) - 1;
            for (const LineString& part : f.geometry.lines) {
                const std::size_t start = pts_.size();
                for (const Point& p : part) {
                    if (pts_.size() > start && pts_.back() == p) { ++rep_.repeated_vertices; continue; }
                    pts_.push_back(p);
                }
                if (pts_.size() - start < 2) {
                    ++rep_.zero_length;
                    if (!part.empty()) rep_.zero_length_at.push_back(part.front());
                    pts_.resize(start);
                    continue;
                }
                if (pts_.size() >= kNoId / 2) throw input_error("too many vertices for one network (over 2 billion)");
                begin_.push_back(static_cast<std::uint32_t>(pts_.size()));
                attr_.push_back(attr_index);
                src_.push_back(SourceRef{source, f.fid});
                crossing_.push_back(crossing ? 1 : 0);
                ++sr.lines;
            }
        }
        if (!sr.unknown_values.empty()) {
            std::string list;
            int shown = 0;
            for (const auto& [v, n] : sr.unknown_values) {
                if (shown++ == 8) { list += ", ..."; break; }
                list += fmt::format("{}{} ({})", list.empty() ? "" : ", ", v, n);
            }
            rep_.notes.push_back(fmt::format("{}: class values not in the mapping ({}), taken as 'other': {}", sr.label,
                                             opt_.mapping.origin, list));
        }
        if (!reader.has_class_field())
            rep_.notes.push_back(fmt::format("{}: no class field ({}), every line is a road of class 'other'", sr.label,
                                             fmt::join(opt_.mapping.fields, ", ")));
        rep_.sources.push_back(std::move(sr));
    }
    // Z/M dropped: the reader already said so once per file and layer; rep_.dropped_z keeps it for the summary.
    if (begin_.size() == 1) {
        std::int64_t filtered = 0;
        for (const auto& s : rep_.sources) filtered += s.filtered_out;
        if (features == 0) throw input_error("no road features: the input is empty (check --layer and --where)");
        if (polygons == features)
            throw input_error(fmt::format("the input holds {} polygons and no lines: roads must be lines (centre lines), "
                                          "not road areas", polygons),
                              {layers.front()->source, layers.front()->name, {}, {}, {}});
        throw input_error(fmt::format("no road line left: {} features read, {} left out by --classes or without a class "
                                      "value, {} not lines, {} of zero length",
                                      features, filtered, features - filtered - rep_.zero_length, rep_.zero_length),
                          {layers.front()->source, layers.front()->name, {}, {}, {}},
                          "try --classes all, or check the class field with --where");
    }
    for (std::size_t l = 0; l + 1 < begin_.size(); ++l) rep_.segments += begin_[l + 1] - begin_[l] - 1;
}

std::vector<Envelope> Builder::segment_boxes() const {
    std::vector<Envelope> boxes(pts_.size());
    for (std::size_t l = 0; l + 1 < begin_.size(); ++l)
        for (std::uint32_t i = begin_[l]; i + 1 < begin_[l + 1]; ++i) {
            Envelope& b = boxes[i];
            b.minx = std::min(pts_[i].x, pts_[i + 1].x);
            b.maxx = std::max(pts_[i].x, pts_[i + 1].x);
            b.miny = std::min(pts_[i].y, pts_[i + 1].y);
            b.maxy = std::max(pts_[i].y, pts_[i + 1].y);
        }
    return boxes; // the last point of each line keeps an empty box
}

void Builder::snap() {
    if (opt_.snap <= 0.0) return;
    const double tol = opt_.snap;
    moved_.assign(pts_.size(), 0);
    const std::size_t lines = begin_.size() - 1;
    // Ends: 2 per line (front, back) as point indices.
    std::vector<std::uint32_t> ends(2 * lines);
    for (std::size_t l = 0; l < lines; ++l) {
        ends[2 * l] = begin_[l];
        ends[2 * l + 1] = begin_[l + 1] - 1;
    }
    std::vector<Envelope> boxes(ends.size());
    for (std::size_t i = 0; i < ends.size(); ++i) boxes[i].expand(pts_[ends[i]]);
    Grid end_grid(boxes, std::max(4 * tol, 0.0));
    UnionFind uf(ends.size());
    std::vector<std::uint8_t> joined(ends.size(), 0);
    for (std::size_t i = 0; i < ends.size(); ++i) {
        const Point p = pts_[ends[i]];
        Envelope q;
        q.expand(Point{p.x - tol, p.y - tol});
        q.expand(Point{p.x + tol, p.y + tol});
        end_grid.query(q, [&](std::uint32_t j) {
            if (j == i) return;
            if (ends[j] / 1 == ends[i]) return;
            if (distance(pts_[ends[j]], p) <= tol) {
                // A line's own two ends join only when they already coincide (a ring).
                if (j / 2 == i / 2 && !(pts_[ends[j]] == p)) return;
                uf.unite(static_cast<std::uint32_t>(i), j);
                joined[i] = joined[j] = 1;
            }
        });
    }
    for (std::size_t i = 0; i < ends.size(); ++i) {
        const Point target = pts_[ends[uf.find(static_cast<std::uint32_t>(i))]];
        if (!(pts_[ends[i]] == target)) {
            note_move(ends[i], distance(pts_[ends[i]], target), pts_[ends[i]]);
            pts_[ends[i]] = target;
            ++rep_.snapped_to_end;
        }
    }
    // A line whose ends collapsed onto one point while it had only two points is zero length now:
    // leave it; it becomes a self-loop of zero length only if both points are equal.

    // Ends that met no other end: the nearest line interior within tol.
    const auto seg_boxes = segment_boxes();
    Grid seg_grid(seg_boxes);
    std::vector<std::uint32_t> stamp(pts_.size(), kNoId);
    for (std::size_t i = 0; i < ends.size(); ++i) {
        if (joined[i]) continue;
        const std::uint32_t e = ends[i];
        const Point p = pts_[e];
        const std::uint32_t own = static_cast<std::uint32_t>(i / 2);
        // The end's own segment may not receive it.
        const std::uint32_t own_seg = (i % 2 == 0) ? begin_[own] : begin_[own + 1] - 2;
        Envelope q;
        q.expand(Point{p.x - tol, p.y - tol});
        q.expand(Point{p.x + tol, p.y + tol});
        double best = std::numeric_limits<double>::infinity();
        std::uint32_t best_seg = kNoId;
        double best_t = 0;
        seg_grid.query(q, [&](std::uint32_t s) {
            if (stamp[s] == i || s == own_seg) return;
            stamp[s] = static_cast<std::uint32_t>(i);
            double t = 0;
            const double d = point_segment_distance(p, pts_[s], pts_[s + 1], &t);
            if (d < best || (d == best && s < best_seg)) { best = d; best_seg = s; best_t = t; }
        });
        if (best_seg == kNoId || best > tol) continue;
        if (best_t <= 0.0 || best_t >= 1.0) {
            const Point v = best_t <= 0.0 ? pts_[best_seg] : pts_[best_seg + 1];
            if (v == p) continue; // already on that vertex
            note_move(e, best, p);
            pts_[e] = v;          // onto the vertex: shared, hence joined
        } else {
            note_move(e, best, p); // the other line is bent to the end by `best`
            inserts_.push_back(Insert{best_seg, best_t, p});
        }
        ++rep_.snapped_to_line;
    }
}

void Builder::find_crossings() {
    if (!any_crossing_) return;
    const auto boxes = segment_boxes();
    Grid grid(boxes);
    const std::int64_t cells = grid.cells();
    for (std::int64_t c = 0; c < cells; ++c) {
        const std::uint32_t* b = grid.begin(c);
        const std::uint32_t* e = grid.end(c);
        for (const std::uint32_t* i = b; i != e; ++i) {
            const std::uint32_t s = *i;
            const Envelope& bs = boxes[s];
            for (const std::uint32_t* j = i + 1; j != e; ++j) {
                const std::uint32_t r = *j;
                const Envelope& br = boxes[r];
                if (!bs.intersects(br)) continue;
                // Test each pair once: in the cell holding the corner of the common envelope.
                if (grid.cell_of(Point{std::max(bs.minx, br.minx), std::max(bs.miny, br.miny)}) != c) continue;
                const std::uint32_t ls = line_of_point(s), lr = line_of_point(r);
                if (!line_crossing(ls) && !line_crossing(lr)) continue;
                if (ls == lr && (s + 1 == r || r + 1 == s)) continue; // consecutive segments share a vertex
                const Point &a1 = pts_[s], &a2 = pts_[s + 1], &b1 = pts_[r], &b2 = pts_[r + 1];
                const double o1 = orient(a1, a2, b1), o2 = orient(a1, a2, b2);
                const double o3 = orient(b1, b2, a1), o4 = orient(b1, b2, a2);
                const bool same_level = attrs_[attr_[ls]].level == attrs_[attr_[lr]].level;
                if (sign(o1) * sign(o2) < 0 && sign(o3) * sign(o4) < 0) {
                    const double den = (a2.x - a1.x) * (b2.y - b1.y) - (a2.y - a1.y) * (b2.x - b1.x);
                    const double t = ((b1.x - a1.x) * (b2.y - b1.y) - (b1.y - a1.y) * (b2.x - b1.x)) / den;
                    const Point at{a1.x + t * (a2.x - a1.x), a1.y + t * (a2.y - a1.y)};
                    // A line's end a hair past the other line (within --snap: coordinates rounded by a
                    // reprojection, say) touches it at that end, as snap() joined it: splitting both at
                    // the computed point would leave a micro-piece between it and the end, twice.
                    if (opt_.snap > 0) {
                        bool at_end = false;
                        for (const auto& [v, seg] : {std::pair{r, s}, std::pair{r + 1, s}, std::pair{s, r}, std::pair{s + 1, r}})
                            if (is_end(v) && distance(pts_[v], at) <= opt_.snap) {
                                note_move(v, point_segment_distance(pts_[v], pts_[seg], pts_[seg + 1]), pts_[v]);
                                inserts_.push_back(Insert{seg, param(pts_[v], pts_[seg], pts_[seg + 1]), pts_[v]});
                                at_end = true;
                                break;
                            }
                        if (at_end) continue;
                    }
                    // Proper crossing of two interiors: joined only at the same level.
                    if (!same_level) { ++rep_.grade_separated; continue; }
                    inserts_.push_back(Insert{s, t, at});
                    inserts_.push_back(Insert{r, param(at, b1, b2), at});
                    ++rep_.crossings;
                    continue;
                }
                // Touching: a vertex of one segment lies inside the other. A line's end
                // joins whatever it touches; an interior vertex only at the same level.
                auto touch = [&](std::uint32_t vertex, std::uint32_t seg, double o) {
                    if (o != 0.0) return;
                    const Point& v = pts_[vertex];
                    if (!strictly_inside(v, pts_[seg], pts_[seg + 1])) return;
                    if (!same_level && !is_end(vertex)) { ++rep_.grade_separated; return; }
                    inserts_.push_back(Insert{seg, param(v, pts_[seg], pts_[seg + 1]), v});
                };
                touch(r, s, o1);
                touch(r + 1, s, o2);
                touch(s, r, o3);
                touch(s + 1, r, o4);
            }
        }
    }
}

void Builder::sum_up_snapping() {
    auto& s = rep_.snapping;
    s = BuildReport::Snapping{};
    s.tolerance_m = opt_.snap;
    if (moves_.empty()) return;
    s.ends_moved = static_cast<std::int64_t>(moves_.size());
    std::vector<double> d;
    d.reserve(moves_.size());
    double sum = 0;
    const Move* far = &moves_.front();
    for (const Move& m : moves_) {
        d.push_back(m.d);
        sum += m.d;
        if (m.d > BuildReport::Snapping::kWarnMoveM) ++s.ends_over_warn;
        if (m.d > far->d) far = &m; // the first of the farthest, in end order
    }
    std::sort(d.begin(), d.end());
    s.max_move_m = d.back();
    s.mean_move_m = sum / static_cast<double>(d.size());
    // Nearest rank: the smallest value with at least 95 % of the moves at or below it.
    const auto rank = static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(d.size())));
    s.p95_move_m = d[std::max<std::size_t>(rank, 1) - 1];
    s.max_at = far->at;
    s.max_feature = src_[far->line];
    if (s.max_feature.source < rep_.sources.size()) s.max_source = rep_.sources[s.max_feature.source].label;
}

void Builder::apply_inserts() {
    if (inserts_.empty()) return;
    std::sort(inserts_.begin(), inserts_.end(), [](const Insert& a, const Insert& b) {
        return a.seg != b.seg ? a.seg < b.seg : a.t < b.t;
    });
    std::vector<Point> out;
    out.reserve(pts_.size() + inserts_.size());
    std::vector<std::uint32_t> new_begin{0};
    std::size_t k = 0;
    for (std::size_t l = 0; l + 1 < begin_.size(); ++l) {
        for (std::uint32_t i = begin_[l]; i < begin_[l + 1]; ++i) {
            if (!(out.size() > new_begin.back() && out.back() == pts_[i])) out.push_back(pts_[i]);
            while (k < inserts_.size() && inserts_[k].seg == i) {
                const Point& at = inserts_[k++].at;
                if (i + 1 < begin_[l + 1] && at == pts_[i + 1]) continue;
                if (!(out.back() == at)) out.push_back(at);
            }
        }
        new_begin.push_back(static_cast<std::uint32_t>(out.size()));
    }
    pts_ = std::move(out);
    begin_ = std::move(new_begin);
    inserts_.clear();
}

RawGraph Builder::make_raw_graph() {
    // Group point occurrences by exact coordinates (open addressing).
    const std::size_t n = pts_.size();
    std::size_t cap = 16;
    while (cap < 2 * n) cap <<= 1;
    std::vector<std::uint32_t> table(cap, kNoId); // -> group id
    std::vector<std::uint32_t> group_of(n);
    std::vector<std::uint32_t> group_first, group_count;
    std::vector<std::uint32_t> next_in_group(n, kNoId), group_last;
    const PointKeyHash hasher;
    for (std::uint32_t i = 0; i < n; ++i) {
        const PointKey key = key_of(pts_[i]);
        std::size_t h = hasher(key) & (cap - 1);
        while (true) {
            const std::uint32_t g = table[h];
            if (g == kNoId) {
                table[h] = static_cast<std::uint32_t>(group_first.size());
                group_of[i] = table[h];
                group_first.push_back(i);
                group_last.push_back(i);
                group_count.push_back(1);
                break;
            }
            if (key_of(pts_[group_first[g]]) == key) {
                group_of[i] = g;
                ++group_count[g];
                next_in_group[group_last[g]] = i;
                group_last[g] = i;
                break;
            }
            h = (h + 1) & (cap - 1);
        }
    }
    table.clear();
    table.shrink_to_fit();

    // Which occurrences are nodes, and which node. Ends join everything at
    // their point; interior vertices of crossings-mode lines only their level.
    std::vector<std::uint32_t> node_of(n, kNoId);
    RawGraph g;
    std::vector<std::uint32_t> group_node(group_first.size(), kNoId);
    std::vector<std::uint8_t> end_flag(n, 0);
    for (std::size_t l = 0; l + 1 < begin_.size(); ++l) {
        end_flag[begin_[l]] = 1;
        end_flag[begin_[l + 1] - 1] = 1;
    }
    auto new_node = [&](const Point& p) {
        g.positions.push_back(p);
        return static_cast<std::uint32_t>(g.positions.size() - 1);
    };
    std::vector<std::uint32_t> members;
    for (std::size_t l = 0; l + 1 < begin_.size(); ++l) {
        for (std::uint32_t i = begin_[l]; i < begin_[l + 1]; ++i) {
            if (node_of[i] != kNoId) continue;
            const std::uint32_t grp = group_of[i];
            if (group_count[grp] == 1) {
                if (end_flag[i]) node_of[i] = new_node(pts_[i]);
                continue;
            }
            // First time this group is seen: decide its nodes.
            members.clear();
            bool any_end = false, mixed = false;
            const std::int32_t level0 = attrs_[attr_[l]].level;
            for (std::uint32_t m = group_first[grp]; m != kNoId; m = next_in_group[m]) {
                members.push_back(m);
                any_end = any_end || end_flag[m];
                const auto lm = line_of_point(m);
                if (line_crossing(lm) && attrs_[attr_[lm]].level != level0) mixed = true;
            }
            if (any_end || !mixed) {
                const std::uint32_t node = new_node(pts_[i]);
                for (auto m : members) node_of[m] = node;
                continue;
            }
            // Grade separated: one node per level that has two or more occurrences.
            std::sort(members.begin(), members.end(), [&](std::uint32_t a, std::uint32_t b) {
                const auto la = attrs_[attr_[line_of_point(a)]].level, lb = attrs_[attr_[line_of_point(b)]].level;
                return la != lb ? la < lb : a < b;
            });
            for (std::size_t a = 0; a < members.size();) {
                const auto lev = attrs_[attr_[line_of_point(members[a])]].level;
                std::size_t b = a;
                while (b < members.size() && attrs_[attr_[line_of_point(members[b])]].level == lev) ++b;
                const std::uint32_t node = b - a >= 2 ? new_node(pts_[i]) : kNoId;
                for (std::size_t m = a; m < b; ++m) node_of[members[m]] = node;
                a = b;
            }
            // Mark the rest so they are not revisited (their node_of may stay kNoId).
            if (node_of[i] == kNoId) node_of[i] = kNoId;
        }
    }
    // Split lines into raw edges at nodes.
    for (std::size_t l = 0; l + 1 < begin_.size(); ++l) {
        std::uint32_t start = begin_[l];
        for (std::uint32_t i = begin_[l] + 1; i < begin_[l + 1]; ++i) {
            if (node_of[i] == kNoId) continue;
            RawEdge e;
            e.from = node_of[start];
            e.to = node_of[i];
            e.first = start;
            e.last = i;
            e.attr = attr_[l];
            e.source = static_cast<std::uint32_t>(l);
            g.edges.push_back(e);
            start = i;
        }
    }
    g.points = std::move(pts_);
    g.attrs = std::move(attrs_);
    g.line_sources = std::move(src_);
    return g;
}

} // namespace

static std::string snapping_warning(const BuildReport::Snapping& s, const CrsRef& crs, std::int64_t self_loops) {
    // Where, in which CRS: the point is in the analysis CRS, not the source's.
    const std::string in_crs = crs.epsg != 0 ? fmt::format(" in EPSG:{}", crs.epsg)
                               : crs.known() ? " in " + crs.label()
                                             : std::string();
    const std::string chained = s.max_move_m > s.tolerance_m
                                    ? "; moves add up past --snap where ends join one another in a chain"
                                    : std::string();
    const std::string loops =
        self_loops > 0 ? fmt::format("; the result has {} self-{}, which snapping makes when it joins the two ends of a line",
                                     self_loops, self_loops == 1 ? "loop" : "loops")
                       : std::string();
    return fmt::format(
        "--snap {} m moved {} road {} to close gaps, {} by more than {:g} m (largest {:.2f} m: {} feature {} at "
        "{:.1f}, {:.1f}{}; mean {:.2f} m, 95th percentile {:.2f} m{}){}: a gap that wide is a real gap in the network, "
        "not a digitising error to close (raise --gap above it to list such gaps as near misses among the dead ends); "
        "lower --snap (e.g. 0.01 to 1 m) to keep it a gap",
        s.tolerance_m, s.ends_moved, s.ends_moved == 1 ? "end" : "ends", s.ends_over_warn,
        BuildReport::Snapping::kWarnMoveM, s.max_move_m, s.max_source.empty() ? std::string("input") : s.max_source,
        s.max_feature.fid, s.max_at.x, s.max_at.y, in_crs, s.mean_move_m, s.p95_move_m, chained, loops);
}

Network build_network(const std::vector<const Layer*>& layers, const BuildOptions& options, BuildReport* report) {
    if (layers.empty()) throw usage_error("no road layer given");
    if (!(options.snap >= 0.0) || !std::isfinite(options.snap))
        throw usage_error(fmt::format("--snap must be zero or a positive distance in metres, not {}", options.snap));
    BuildReport local;
    BuildReport& rep = report ? *report : local;
    rep = BuildReport{};
    if (options.mapping.fields_required) {
        bool found = false;
        std::string known;
        std::vector<std::string> listed; // each field once (an OSM file gives lines and areas with the same fields)
        for (const Layer* l : layers) {
            for (const auto& f : options.mapping.fields) found = found || l->field_index(f) >= 0;
            for (const auto& f : l->fields) {
                if (std::find(listed.begin(), listed.end(), f.name) != listed.end()) continue;
                listed.push_back(f.name);
                known += (known.empty() ? "" : ", ") + f.name;
            }
        }
        if (!found)
            throw usage_error(fmt::format("the class mapping names field(s) {} that the road layer does not have",
                                          fmt::join(options.mapping.fields, ", ")),
                              {options.mapping.origin, {}, {}, {}, options.mapping.fields.front()},
                              "fields of the road layer: " + known);
    }
    Network net;
    if (!layers.empty()) net.set_crs(layers.front()->crs);
    Builder b(options, rep);
    b.load(layers, net);
    Envelope extent;
    for (const Layer* l : layers) extent.expand(l->extent());
    const double diag = std::hypot(extent.width(), extent.height());
    if (options.snap > 0 && options.snap >= diag)
        throw usage_error(fmt::format("--snap {} m is larger than the data extent ({:.1f} m across)", options.snap, diag),
                          {}, "--snap is a small tolerance in metres, e.g. 0.01 to 1");
    b.snap();
    b.find_crossings();
    b.sum_up_snapping();
    b.apply_inserts();
    RawGraph raw = b.make_raw_graph();
    finish_topology(raw, options, rep, net);
    for (const auto& note : rep.notes) log::info(note);
    if (const auto& s = rep.snapping; s.ends_over_warn > 0)
        log::warn(snapping_warning(s, net.crs(), rep.self_loops));
    return net;
}

} // namespace plan
