// Evaluating a scenario against the base: a generic diff of every numeric
// figure of the analyses' JSON objects, OD distance savings (whole mm),
// dead ends removed and added, components joined, skeleton completion per
// line, new road length and cost, the interaction term of a combined scenario,
// and the `changes` layer.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "landuse/parcel_geometry.hpp"
#include "metrics/road_graph.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/scenario.hpp"

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

namespace plan {
namespace {

// ---- generic diff of two JSON objects ----------------------------------------

/// The key that identifies an array element, when every element has one.
std::string element_key(const ojson& v) {
    if (!v.is_object()) return {};
    for (const char* k : {"id", "key", "name", "class", "line_id"})
        if (auto it = v.find(k); it != v.end() && it->is_string()) return it->get<std::string>();
    return {};
}

void diff_json(const ojson& a, const ojson& b, const std::string& path, ojson& out) {
    if (a.is_number() && b.is_number()) {
        ojson d;
        if (a.is_number_integer() && b.is_number_integer()) {
            const auto x = a.get<std::int64_t>(), y = b.get<std::int64_t>();
            d["base"] = x;
            d["scenario"] = y;
            d["delta"] = y - x;
            d["relative"] = x != 0 ? ojson(static_cast<double>(y - x) / std::abs(static_cast<double>(x))) : ojson();
        } else {
            const double x = a.get<double>(), y = b.get<double>();
            d["base"] = x;
            d["scenario"] = y;
            d["delta"] = y - x;
            d["relative"] = x != 0.0 ? ojson((y - x) / std::abs(x)) : ojson();
        }
        out[path] = std::move(d);
        return;
    }
    if (a.is_object() && b.is_object()) {
        for (auto it = a.begin(); it != a.end(); ++it) {
            auto jt = b.find(it.key());
            if (jt != b.end()) diff_json(it.value(), *jt, path.empty() ? it.key() : path + "." + it.key(), out);
        }
        return;
    }
    if (a.is_array() && b.is_array()) {
        bool keyed = !a.empty();
        std::set<std::string> seen;
        for (const auto& v : a) {
            const auto k = element_key(v);
            keyed = keyed && !k.empty() && seen.insert(k).second;
        }
        if (keyed) {
            std::map<std::string, const ojson*> other;
            for (const auto& v : b) {
                const auto k = element_key(v);
                if (!k.empty()) other.emplace(k, &v);
            }
            for (const auto& v : a) {
                const auto k = element_key(v);
                if (auto it = other.find(k); it != other.end()) diff_json(v, *it->second, path + "[" + k + "]", out);
            }
            return;
        }
        for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
            diff_json(a[i], b[i], path + "[" + std::to_string(i) + "]", out);
    }
}

// ---- gains on the network ----------------------------------------------------

struct DeadEndItem {
    Point at;
    std::string kind, road;
    RoadClass road_class = RoadClass::other;
};

struct Gains {
    // OD
    std::int64_t pairs = 0, connected_base = 0, connected_scenario = 0, compared = 0, newly_connected = 0,
                 disconnected = 0, improved = 0, worse = 0;
    std::int64_t saving_mm = 0;
    double circuity_base = 0.0, circuity_scenario = 0.0;
    std::int64_t circuity_pairs = 0;
    std::int64_t reseated = 0; ///< OD points re-snapped because their base seat was closed
    /// Pairs without a path on the base network that have one on the scenario's
    /// only because an endpoint was re-seated (its road closed): not the same
    /// points, so not counted in newly_connected.
    std::int64_t reseated_pairs_connected = 0;
    // structure
    std::vector<DeadEndItem> removed, added;
    std::vector<DeadEndItem> closed; ///< base dead ends gone because their road was closed (not a gain)
    std::size_t dead_ends_base = 0, dead_ends_scenario = 0;
    std::size_t components_base = 0, components_scenario = 0;
    std::int64_t components_joined = 0;
    double saving_m() const { return static_cast<double>(saving_mm) / 1000.0; }
};

std::vector<DeadEndItem> dead_end_items(const Network& net, const std::vector<DeadEnd>& ends) {
    std::vector<DeadEndItem> out;
    for (const auto& d : ends)
        out.push_back({net.node(d.node).position, to_string(d.kind), d.edge != kNoId ? net.edge(d.edge).attributes.name : "",
                       d.road_class});
    return out;
}

/// `moved`: per OD point, 1 when it was re-seated on the scenario network
/// (its base seat closed); empty = none moved.
Gains network_gains(const BaseEvaluation& base, const Network& net, const AnalysisResult& result,
                    const OdDistances& dist, const std::vector<char>& moved) {
    Gains g;
    const auto& bm = base.distances.mm;
    const auto& sm = dist.mm;
    g.pairs = static_cast<std::int64_t>(bm.size());
    double cb = 0.0, cs = 0.0;
    for (std::size_t i = 0; i < bm.size(); ++i) {
        const bool b = bm[i] >= 0, s = sm[i] >= 0;
        g.connected_base += b;
        g.connected_scenario += s;
        // newly connected: the same two points, no path before, one after; a
        // point re-seated by a closure is not the same point
        const auto [po, pd] = base.od.pairs[i];
        const bool same_points = moved.empty() || (!moved[po] && !moved[pd]);
        if (!b && s && same_points) ++g.newly_connected;
        if (!b && s && !same_points) ++g.reseated_pairs_connected;
        if (b && !s) ++g.disconnected;
        if (!(b && s)) continue;
        ++g.compared;
        g.saving_mm += bm[i] - sm[i];
        if (sm[i] < bm[i]) ++g.improved;
        if (sm[i] > bm[i]) ++g.worse;
        const auto [o, d] = base.od.pairs[i];
        const double straight = distance(base.od.points[o], base.od.points[d]);
        if (straight > 0.0) {
            cb += static_cast<double>(bm[i]) / 1000.0 / straight;
            cs += static_cast<double>(sm[i]) / 1000.0 / straight;
            ++g.circuity_pairs;
        }
    }
    if (g.circuity_pairs > 0) {
        g.circuity_base = cb / static_cast<double>(g.circuity_pairs);
        g.circuity_scenario = cs / static_cast<double>(g.circuity_pairs);
    }
    // Dead ends by position: nodes keep their positions in the edited copy.
    const auto be = dead_end_items(base.data->network, base.result.dead_ends);
    const auto se = dead_end_items(net, result.dead_ends);
    auto key = [](const Point& p) { return std::make_pair(p.x, p.y); };
    std::set<std::pair<double, double>> bset, sset;
    for (const auto& d : be) bset.insert(key(d.at));
    for (const auto& d : se) sset.insert(key(d.at));
    for (const auto& d : be)
        if (!sset.count(key(d.at))) {
            // Opened (its node now has two or more streets), or gone with a closed road.
            const auto n = net.find_node(d.at);
            if (n && net.street_count(*n) > 0) g.removed.push_back(d);
            else g.closed.push_back(d);
        }
    for (const auto& d : se)
        if (!bset.count(key(d.at))) g.added.push_back(d);
    g.dead_ends_base = be.size();
    g.dead_ends_scenario = se.size();
    // Components joined: base components that now share a component.
    const auto& bc = base.result.structure.node_component;
    const auto& sc = result.structure.node_component;
    g.components_base = base.result.structure.components.size();
    g.components_scenario = result.structure.components.size();
    std::map<std::uint32_t, std::set<std::uint32_t>> merged;
    for (std::size_t n = 0; n < std::min(bc.size(), sc.size()); ++n)
        if (bc[n] != kNoId && sc[n] != kNoId) merged[sc[n]].insert(bc[n]);
    for (const auto& [c, parts] : merged) g.components_joined += static_cast<std::int64_t>(parts.size()) - 1;
    return g;
}

ojson point_json(const DeadEndItem& d) {
    ojson j;
    j["x"] = std::round(d.at.x * 1000.0) / 1000.0;
    j["y"] = std::round(d.at.y * 1000.0) / 1000.0;
    j["kind"] = d.kind;
    j["road"] = d.road;
    j["road_class"] = road_class_label(d.road_class);
    return j;
}

ojson od_json(const Gains& g, const OdPairs& od, std::uint64_t seed) {
    ojson j;
    j["basis"] = od.basis;
    j["graph"] = "undirected"; // od_distances: one-way rules ignored
    j["pairs"] = g.pairs;
    j["seed"] = seed;
    j["connected_base"] = g.connected_base;
    j["connected_scenario"] = g.connected_scenario;
    j["newly_connected"] = g.newly_connected;
    j["disconnected"] = g.disconnected;
    j["compared"] = g.compared;
    j["total_saving_mm"] = g.saving_mm;
    j["total_saving_m"] = g.saving_m();
    j["mean_saving_m"] = g.compared ? g.saving_m() / static_cast<double>(g.compared) : 0.0;
    j["improved"] = g.improved;
    // of all pairs drawn: the same denominator for every scenario (and as plan candidates)
    j["improved_share"] = g.pairs ? static_cast<double>(g.improved) / static_cast<double>(g.pairs) : 0.0;
    j["worse"] = g.worse;
    // points whose base seat (edge, or its piece after a split) was closed: re-snapped
    j["od_points_reseated"] = g.reseated;
    // pairs with a path now only because an endpoint was re-seated: not newly connected
    j["reseated_pairs_connected"] = g.reseated_pairs_connected;
    j["circuity_base"] = g.circuity_base;
    j["circuity_scenario"] = g.circuity_scenario;
    j["circuity_change"] = g.circuity_scenario - g.circuity_base;
    return j;
}

/// The figures a part contributes to the interaction term.
std::map<std::string, double> interaction_figures(const Gains& g) {
    return {{"od_saving_mm", static_cast<double>(g.saving_mm)},
            {"od_improved", static_cast<double>(g.improved)},
            {"od_newly_connected", static_cast<double>(g.newly_connected)},
            {"dead_ends_removed", static_cast<double>(g.removed.size())},
            {"components_joined", static_cast<double>(g.components_joined)}};
}

std::vector<Point> layer_points(const Layer& l) {
    std::vector<Point> out;
    for (const auto& f : l.features) {
        if (!f.geometry.points.empty()) out.push_back(f.geometry.points.front());
        else if (auto c = landuse::centroid(f.geometry)) out.push_back(*c);
        else if (!f.geometry.lines.empty() && !f.geometry.lines.front().empty()) out.push_back(f.geometry.lines.front().front());
    }
    return out;
}

/// OD distances on a scenario network with the points keeping their base
/// seats: a point whose base edge is still there sits on it as in the base; on
/// an edge an added line split, on the piece covering its base whole-mm offset
/// (the pieces' whole-mm lengths walked in order from the edge's `from` node),
/// with its base leg. Only a point whose seat piece is gone (a closed road)
/// re-snaps to the nearest live edge: counted in `reseated`.
struct ScenarioOd {
    OdDistances distances;
    std::int64_t reseated = 0;
    std::vector<char> moved; ///< per OD point: 1 when re-seated
};

ScenarioOd scenario_od(const BaseEvaluation& base, const AppliedScenario& applied, unsigned threads) {
    const Network& bn = base.data->network;
    const Network& net = applied.network;
    ScenarioOd out;
    const auto& snaps = base.distances.snaps;
    std::vector<OdSeat> seats(snaps.size());
    std::vector<std::size_t> lost;
    // only the points some pair uses (node OD draws many unused points)
    std::vector<char> used(snaps.size(), 0);
    for (const auto& [a, b] : base.od.pairs) used[a] = used[b] = 1;
    // the leaves of an edge's split tree, in order from its `from` node
    std::function<void(EdgeId, std::vector<EdgeId>&)> leaves = [&](EdgeId e, std::vector<EdgeId>& acc) {
        auto it = applied.split_halves.find(e);
        if (it == applied.split_halves.end()) { acc.push_back(e); return; }
        leaves(it->second, acc);
        leaves(it->second + 1, acc);
    };
    std::map<EdgeId, std::vector<EdgeId>> pieces_of;
    for (std::size_t i = 0; i < snaps.size(); ++i) {
        if (!used[i] || snaps[i].edge == kNoId) continue;
        const OdSeat b = od_seat(bn, snaps[i]);
        auto [it, fresh] = pieces_of.try_emplace(b.edge);
        if (fresh) leaves(b.edge, it->second);
        const auto& pieces = it->second;
        std::int64_t before = 0;
        EdgeId at = kNoId;
        for (std::size_t k = 0; k < pieces.size(); ++k) {
            const std::int64_t pl = length_mm(net.edge(pieces[k]).length);
            if (b.along_mm <= before + pl || k + 1 == pieces.size()) {
                at = pieces[k];
                break;
            }
            before += pl;
        }
        if (at == kNoId || net.edge(at).removed) {
            lost.push_back(i);
            continue;
        }
        seats[i] = OdSeat{at, b.along_mm - before, b.leg_mm};
    }
    out.distances.snaps = snaps;
    if (!lost.empty()) {
        std::vector<Point> pts;
        for (std::size_t i : lost) pts.push_back(base.od.points[i]);
        const auto again = snap_points(net, pts, threads);
        for (std::size_t k = 0; k < lost.size(); ++k) {
            seats[lost[k]] = od_seat(net, again[k]);
            out.distances.snaps[lost[k]] = again[k];
        }
        out.reseated = static_cast<std::int64_t>(lost.size());
        out.moved.assign(snaps.size(), 0);
        for (std::size_t i : lost) out.moved[i] = 1;
    }
    out.distances.mm = od_distances_from_seats(net, base.od, seats, threads);
    return out;
}

struct Measured {
    AppliedScenario applied;
    AnalysisResult result;
    OdDistances distances;
    Gains gains;
};

Measured measure(const BaseEvaluation& base, const Scenario& scenario, unsigned threads) {
    Measured m;
    m.applied = apply_scenario(scenario, *base.config, *base.data, &base.result);
    m.result = analyse(*base.config, *base.data, m.applied.network, m.applied.parcels ? &*m.applied.parcels : nullptr,
                       m.applied.enterprises ? &*m.applied.enterprises : nullptr);
    ScenarioOd od = scenario_od(base, m.applied, threads);
    m.distances = std::move(od.distances);
    m.gains = network_gains(base, m.applied.network, m.result, m.distances, od.moved);
    m.gains.reseated = od.reseated;
    return m;
}

/// The gains alone (OD distances, dead ends, components) of a part of a combined
/// scenario: what its interaction term needs, without the full analysis.
Gains measure_gains(const BaseEvaluation& base, const Scenario& scenario, unsigned threads) {
    const AppliedScenario applied = apply_scenario(scenario, *base.config, *base.data, &base.result);
    const AnalysisResult result = analyse_network(*base.config, *base.data, applied.network);
    ScenarioOd od = scenario_od(base, applied, threads);
    Gains g = network_gains(base, applied.network, result, od.distances, od.moved);
    g.reseated = od.reseated;
    return g;
}

OutLayer changes_layer(const AppliedScenario& a) {
    OutLayer l{"changes", GeometryKind::line, false,
               {{"action", FieldType::string}, {"name", FieldType::string}, {"road_class", FieldType::string},
                {"from_class", FieldType::string}, {"length_m", FieldType::real}, {"scenario_file", FieldType::string},
                {"line", FieldType::integer}, {"source", FieldType::string}, {"layer_fid", FieldType::integer},
                {"note", FieldType::string}},
               {}};
    for (const auto& c : a.roads) {
        Geometry g;
        g.kind = GeometryKind::line;
        g.lines = {c.geometry};
        l.features.push_back({std::move(g),
                              {c.action, c.name, std::string(road_class_label(c.road_class)),
                               c.action == "reclassified" ? FieldValue{std::string(road_class_label(c.from_class))} : FieldValue{},
                               std::round(c.length_m * 100.0) / 100.0, fs::path(c.file).filename().string(), c.line, c.source,
                               c.fid >= 0 ? FieldValue{c.fid} : FieldValue{}, c.note.empty() ? FieldValue{} : FieldValue{c.note}}});
    }
    return l;
}

} // namespace

BaseEvaluation evaluate_base(const StudyConfig& config, const StudyData& data, unsigned threads,
                             const std::function<void(const std::string& step)>& on_step) {
    BaseEvaluation b;
    b.config = &config;
    b.data = &data;
    {
        log::Capture capture;
        try {
            b.result = analyse(config, data, data.network, data.parcels ? &*data.parcels : nullptr,
                               data.enterprises ? &*data.enterprises : nullptr, on_step);
        } catch (...) {
            for (const auto& m : capture.stop()) log::write(m.level, m.text);
            throw;
        }
        b.messages = capture.stop();
    }
    for (const auto& m : b.messages) log::write(m.level, m.text);
    if (on_step) on_step("OD pairs");
    if (data.od_origins && data.od_destinations) {
        b.od = od_product(layer_points(*data.od_origins), layer_points(*data.od_destinations),
                          fmt::format("{} to {}", data.od_origins->name, data.od_destinations->name));
    } else if (data.parcels) {
        b.od = draw_od_pairs(layer_points(*data.parcels), config.options.od.pairs, config.options.od.seed, "parcel centroids");
    } else {
        b.od = draw_od_pairs(node_points(data.network), config.options.od.pairs, config.options.od.seed, "network nodes");
    }
    b.distances = od_distances(data.network, b.od, threads);
    return b;
}

ScenarioEvaluation evaluate_scenario(const BaseEvaluation& base, const Scenario& scenario, const EvaluateOptions& options) {
    const StudyConfig& config = *base.config;
    log::Capture capture;
    Measured m = measure(base, scenario, options.threads);
    const Gains& g = m.gains;

    ScenarioEvaluation ev;
    ev.name = scenario.name;
    ev.title = scenario.title;
    ev.warnings = m.applied.warnings;

    // Cost: new road length by class, money where every class has a price.
    std::map<RoadClass, double> km_by_class;
    std::size_t added = 0, closed = 0, reclassified = 0;
    for (const auto& c : m.applied.roads) {
        if (c.action == "added") {
            km_by_class[c.road_class] += c.length_m / 1000.0;
            ++added;
        } else if (c.action == "closed") ++closed;
        else ++reclassified;
    }
    double km = 0.0;
    std::optional<double> money = 0.0;
    std::vector<std::string> unpriced;
    for (const auto& [cls, k] : km_by_class) {
        km += k;
        auto it = config.options.cost_per_km.find(cls);
        if (it == config.options.cost_per_km.end()) {
            unpriced.push_back(road_class_label(cls));
            money.reset();
        } else if (money) *money += k * it->second;
    }
    if (config.options.cost_per_km.empty()) money.reset();

    ScenarioFigures& fg = ev.figures;
    fg.od_saving_m = g.saving_m();
    fg.od_mean_saving_m = g.compared ? g.saving_m() / static_cast<double>(g.compared) : 0.0;
    fg.od_improved_share = g.pairs ? static_cast<double>(g.improved) / static_cast<double>(g.pairs) : 0.0;
    fg.od_newly_connected = g.newly_connected;
    fg.dead_ends_removed = static_cast<std::int64_t>(g.removed.size());
    fg.dead_ends_added = static_cast<std::int64_t>(g.added.size());
    fg.components_joined = g.components_joined;
    fg.new_road_km = km;
    fg.cost = money;
    fg.od_saving_per_km = km > 0.0 ? fg.od_saving_m / km : 0.0;

    ojson j;
    j["scenario"] = scenario.name;
    j["title"] = scenario.title;
    j["extends"] = scenario.extends;
    ojson files = ojson::array();
    for (const auto& f : scenario.files) files.push_back(f.name);
    j["applies"] = files;

    ojson edits;
    edits["added_edges"] = added;
    edits["closed_edges"] = closed;
    edits["reclassified_edges"] = reclassified;
    std::map<std::string, std::size_t> land_counts{{"rezone", 0}, {"relocate", 0}, {"retire", 0}};
    for (const auto& c : m.applied.land) ++land_counts[c.action];
    edits["rezoned_parcels"] = land_counts["rezone"];
    edits["relocated_enterprises"] = land_counts["relocate"];
    edits["retired_enterprises"] = land_counts["retire"];
    j["edits"] = edits;

    ojson cost;
    cost["new_road_km"] = km;
    ojson by_class = ojson::object();
    for (const auto& [cls, k] : km_by_class) by_class[road_class_key(cls)] = k;
    cost["km_by_class"] = by_class;
    cost["money"] = money ? ojson(*money) : ojson();
    cost["unit"] = config.options.cost_unit;
    if (!unpriced.empty()) cost["unpriced_classes"] = unpriced;
    j["cost"] = cost;

    j["od"] = od_json(g, base.od, config.options.od.seed);

    ojson de;
    de["base"] = g.dead_ends_base;
    de["scenario"] = g.dead_ends_scenario;
    de["removed_count"] = g.removed.size();
    de["added_count"] = g.added.size();
    de["closed_count"] = g.closed.size();
    ojson rem = ojson::array(), add = ojson::array(), clo = ojson::array();
    for (const auto& d : g.removed) rem.push_back(point_json(d));
    for (const auto& d : g.added) add.push_back(point_json(d));
    for (const auto& d : g.closed) clo.push_back(point_json(d));
    de["removed"] = rem;
    de["added"] = add;
    de["closed"] = clo;
    j["dead_ends"] = de;

    ojson comp;
    comp["base"] = g.components_base;
    comp["scenario"] = g.components_scenario;
    comp["joined"] = g.components_joined;
    j["components"] = comp;

    ojson sk = ojson::array();
    if (base.result.skeleton) fg.skeleton_completion_change = 0.0;
    if (base.result.skeleton && m.result.skeleton) {
        const auto& bl = base.result.skeleton->lines;
        const auto& sl = m.result.skeleton->lines;
        double sum = 0.0;
        for (std::size_t i = 0; i < std::min(bl.size(), sl.size()); ++i) {
            ojson l;
            l["id"] = bl[i].id;
            l["name"] = bl[i].display_name;
            l["base"] = bl[i].completion;
            l["scenario"] = sl[i].completion;
            l["change"] = sl[i].completion - bl[i].completion;
            l["gaps_base"] = bl[i].gaps.size();
            l["gaps_scenario"] = sl[i].gaps.size();
            sum += sl[i].completion - bl[i].completion;
            sk.push_back(l);
        }
        if (!bl.empty()) fg.skeleton_completion_change = sum / static_cast<double>(bl.size());
    }
    j["skeleton_completion"] = sk;

    ojson land = ojson::array();
    for (const auto& c : m.applied.land) {
        ojson l;
        l["action"] = c.action;
        l["id"] = c.id;
        l["from"] = c.from;
        l["to"] = c.to;
        l["file"] = fs::path(c.file).filename().string();
        l["line"] = c.line;
        land.push_back(l);
    }
    j["land_changes"] = land;

    ojson figures;
    figures["od_saving_m"] = fg.od_saving_m;
    figures["od_mean_saving_m"] = fg.od_mean_saving_m;
    figures["od_improved_share"] = fg.od_improved_share;
    figures["od_newly_connected"] = fg.od_newly_connected;
    figures["dead_ends_removed"] = fg.dead_ends_removed;
    figures["dead_ends_added"] = fg.dead_ends_added;
    figures["components_joined"] = fg.components_joined;
    // null without a skeleton spec: no skeleton, no change to report (not a change of 0)
    figures["skeleton_completion_change"] = fg.skeleton_completion_change ? ojson(*fg.skeleton_completion_change) : ojson();
    figures["new_road_km"] = fg.new_road_km;
    figures["cost"] = fg.cost ? ojson(*fg.cost) : ojson();
    figures["od_saving_per_km"] = fg.od_saving_per_km;
    j["figures"] = figures;

    // Interaction: the combined gain minus the sum of its parts' gains.
    if (options.interaction && !scenario.extends.empty()) {
        std::vector<std::pair<std::string, Scenario>> parts;
        for (const auto& f : scenario.files)
            for (const auto& name : scenario.extends)
                if (f.name == name) parts.emplace_back(name, load_scenario(f.path));
        if (scenario.own().has_edits()) {
            Scenario own;
            own.name = scenario.name + " (own edits)";
            own.title = own.name;
            own.path = scenario.path;
            ScenarioFile f = scenario.own();
            f.extends.clear();
            own.files = {f};
            parts.emplace_back(own.name, std::move(own));
        }
        const auto combined = interaction_figures(g);
        std::map<std::string, std::vector<double>> part_values;
        ojson names = ojson::array();
        for (const auto& [name, part] : parts) {
            names.push_back(name);
            for (const auto& [k, v] : interaction_figures(measure_gains(base, part, options.threads)))
                part_values[k].push_back(v);
        }
        ojson in;
        in["parts"] = names;
        ojson figs;
        for (const auto& [k, v] : combined) {
            // Sums in whole mm (exact), shown in m.
            const bool mm = k == "od_saving_mm";
            const double scale = mm ? 1000.0 : 1.0;
            ojson f;
            double sum = 0.0;
            ojson parts_json = ojson::array();
            for (double x : part_values[k]) {
                sum += x;
                parts_json.push_back(x / scale);
            }
            f["combined"] = v / scale;
            f["parts"] = parts_json;
            f["sum_of_parts"] = sum / scale;
            f["interaction"] = (v - sum) / scale;
            if (mm) fg.interaction_od_saving_m = (v - sum) / scale;
            figs[mm ? "od_saving_m" : k] = f;
        }
        in["figures"] = figs;
        j["interaction"] = in;
    }

    // Every numeric figure of every analysis, base against scenario.
    ojson deltas = ojson::object();
    for (const auto& [key, text] : base.result.json) {
        auto it = m.result.json.find(key);
        if (it == m.result.json.end()) continue;
        diff_json(ojson::parse(text), ojson::parse(it->second), key, deltas);
    }
    j["deltas"] = deltas;
    j["warnings"] = ev.warnings;

    ev.json = j.dump(2);
    ev.changes = changes_layer(m.applied);
    ev.result = std::move(m.result);
    ev.od_mm = std::move(m.distances.mm);
    ev.messages = capture.stop();
    return ev;
}

void log_scenario_messages(const BaseEvaluation& base, const std::vector<ScenarioEvaluation>& evaluations) {
    std::set<std::string> said;
    for (const auto& m : base.messages) said.insert(m.text);
    for (const auto& ev : evaluations)
        for (const auto& m : ev.messages)
            if (said.insert(m.text).second) log::write(m.level, "scenario " + ev.name + ": " + m.text);
}

std::vector<ScenarioEvaluation> evaluate_scenarios(const BaseEvaluation& base, const std::vector<Scenario>& scenarios,
                                                   unsigned threads) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    // scenarios at once; the threads left over go to each scenario's OD
    // distances (the same results whatever the split)
    const unsigned total = threads;
    threads = std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(1, scenarios.size())));
    const unsigned inner = std::max(1u, total / threads);
    std::vector<std::optional<ScenarioEvaluation>> out(scenarios.size());
    std::vector<std::exception_ptr> errors(scenarios.size());
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i = next++; i < scenarios.size(); i = next++) {
            try {
                out[i] = evaluate_scenario(base, scenarios[i], EvaluateOptions{inner, true});
            } catch (...) {
                errors[i] = std::current_exception();
            }
        }
    };
    if (threads <= 1) worker();
    else {
        std::vector<std::thread> pool;
        for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
        for (auto& t : pool) t.join();
    }
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
    std::vector<ScenarioEvaluation> result;
    for (auto& e : out) result.push_back(std::move(*e));
    return result;
}

} // namespace plan
