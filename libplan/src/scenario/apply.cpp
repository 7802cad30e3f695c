// Applying a scenario's edits to copies of the base network and land-use
// layers. Every edit that selects nothing is a config_error naming the file,
// the line and the key; an added line that joins no road is kept as an
// isolated piece with a warning giving its distance to the nearest road.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>

#include "landuse/parcel_geometry.hpp"
#include "network/attributes.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/scenario.hpp"
#include "plan/source.hpp"

namespace fs = std::filesystem;

namespace plan {
namespace {

/// A config_error at the key's own line (`names = [...]`), else the table's.
[[noreturn]] void fail(const EditOrigin& o, const std::string& key, const std::string& message, const std::string& hint = {}) {
    throw config_error(message, {o.file, {}, {}, o.line_of(key), key}, hint);
}

bool same_crs(const CrsRef& a, const CrsRef& b) {
    if (a.epsg != 0 && b.epsg != 0) return a.epsg == b.epsg && a.offset == b.offset;
    return a.wkt == b.wkt && a.offset == b.offset;
}

/// What to add to the scenario file so that a layer without a CRS can be read.
std::string src_crs_hint(const EditOrigin& o, const std::string& layer_key) {
    const std::string file = fs::path(o.file).filename().string();
    return fmt::format("add src_crs = \"EPSG:NNNN\" (the CRS the layer was drawn in, e.g. EPSG:4548 for CGCS2000 GK CM "
                       "117E) to the [[{}]] table at line {} of {} (or write {} = {{path = \"...\", src_crs = "
                       "\"EPSG:NNNN\"}}), or assign the layer a CRS in QGIS (Layer > Set CRS) and save it again",
                       o.key, o.line, file, layer_key.substr(layer_key.find('.') + 1));
}

/// Reads an edit layer in the network's CRS, with the read options the
/// scenario gives it (src_crs, encoding, where). A layer without a CRS (and
/// no src_crs) is refused (crs_error) with a hint naming the scenario file,
/// line and key; one in another CRS is reprojected with a warning.
Layer read_edit_layer(const std::string& ref, const ReadOptions& given, const std::string& layer_key, const Network& net,
                      std::optional<GeometryKind> want, const EditOrigin& o, std::vector<std::string>& warnings) {
    ReadOptions r = given;
    r.target_crs = net.crs().known() ? net.crs().wkt : "source";
    r.want = want;
    Layer layer;
    try {
        layer = read_layer(ref, {}, r);
    } catch (const crs_error& e) {
        const bool no_crs = r.src_crs.empty() && std::string(e.what()).find("no CRS") != std::string::npos;
        const std::string key = r.src_crs.empty() ? layer_key : o.key + ".src_crs";
        throw crs_error(fmt::format("the layer of [[{}]]: {}", o.key, e.what()), {o.file, {}, {}, o.line_of(key), key},
                        no_crs ? src_crs_hint(o, layer_key) : e.hint());
    } catch (const error& e) {
        // a missing layer or an unreadable file: said as the scenario file's error (exit 1)
        throw input_error(fmt::format("the layer of [[{}]]: {}", o.key, e.what()), {o.file, {}, {}, o.line, o.key}, e.hint());
    }
    if (!layer.source_crs.known())
        throw crs_error(fmt::format("edit layer of [[{}]] at line {} of {} has no CRS", o.key, o.line,
                                    fs::path(o.file).filename().string()),
                        {layer.source, layer.name, {}, {}, {}}, src_crs_hint(o, layer_key));
    if (net.crs().known() && !same_crs(layer.source_crs, net.crs())) {
        const std::string w = fmt::format("{}: layer '{}' ([[{}]] at line {} of {}) is in {}; reprojected to the network's {}",
                                          fs::path(layer.source).filename().string(), layer.name, o.key, o.line,
                                          fs::path(o.file).filename().string(), layer.source_crs.label(), net.crs().label());
        log::warn(w);
        warnings.push_back(w);
    }
    return layer;
}

double cross(Point o, Point a, Point b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); }

double segment_distance(Point a, Point b, Point c, Point d) {
    const double d1 = cross(c, d, a), d2 = cross(c, d, b), d3 = cross(a, b, c), d4 = cross(a, b, d);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return 0.0;
    return std::min({point_segment_distance(a, c, d), point_segment_distance(b, c, d), point_segment_distance(c, a, b),
                     point_segment_distance(d, a, b)});
}

/// Distance from a line to the nearest live edge not in `skip` (growing search box).
double distance_to_network(const Network& net, const LineString& line, const std::set<EdgeId>& skip) {
    const Envelope ext = net.extent();
    Envelope lb = envelope(line);
    double best = std::numeric_limits<double>::infinity();
    for (double r = 50.0;; r *= 2.0) {
        Envelope box{lb.minx - r, lb.miny - r, lb.maxx + r, lb.maxy + r};
        for (EdgeId e : net.edges_in(box)) {
            if (skip.count(e)) continue;
            const auto& g = net.edge(e).geometry;
            for (std::size_t i = 0; i + 1 < line.size(); ++i)
                for (std::size_t j = 0; j + 1 < g.size(); ++j) best = std::min(best, segment_distance(line[i], line[i + 1], g[j], g[j + 1]));
        }
        if (best <= r) return best;
        if (box.minx <= ext.minx && box.miny <= ext.miny && box.maxx >= ext.maxx && box.maxy >= ext.maxy) return best;
    }
}

std::string fids_text(const std::vector<SourceRef>& sources, std::uint32_t below) {
    std::string s;
    for (const auto& r : sources)
        if (r.source < below) s += (s.empty() ? "" : " ") + std::to_string(r.fid);
    return s;
}

struct LanduseColumns {
    std::string parcel_id, landuse, enterprise_id, enterprise_parcel;
};

LanduseColumns landuse_columns(const StudyConfig& config, const StudyData& data) {
    const auto& o = config.options.landuse;
    auto column = [&](const std::string& logical) -> std::string {
        if (auto it = o.field_overrides.find(logical); it != o.field_overrides.end()) return it->second;
        if (data.method) {
            if (auto it = data.method->fields.find(logical); it != data.method->fields.end()) return it->second;
        }
        return logical;
    };
    LanduseColumns c;
    c.parcel_id = !o.parcel_id_field.empty() ? o.parcel_id_field : column("parcel");
    c.landuse = !o.landuse_field.empty() ? o.landuse_field : column("landuse");
    c.enterprise_id = column("id");
    c.enterprise_parcel = !o.enterprise_parcel_field.empty() ? o.enterprise_parcel_field : column("parcel");
    return c;
}

/// A value of the same type as the column's existing values where possible.
FieldValue typed(const std::string& text, const FieldDef& def) {
    if (def.type == FieldType::integer) {
        try {
            std::size_t used = 0;
            const long long v = std::stoll(text, &used);
            if (used == text.size()) return std::int64_t{v};
        } catch (...) {
        }
    }
    return text;
}

class Applier {
public:
    Applier(const Scenario& s, const StudyConfig& c, const StudyData& d, const AnalysisResult* b)
        : scenario_(s), config_(c), data_(d), base_(b) {
        out_.network = d.network;
        out_.first_scenario_source = static_cast<std::uint32_t>(out_.network.sources().size());
        if (d.parcels) out_.parcels = *d.parcels;
        if (d.enterprises) out_.enterprises = *d.enterprises;
        cols_ = landuse_columns(c, d);
    }

    AppliedScenario run() {
        for (const auto& f : scenario_.files) {
            for (const auto& e : f.add) add(e);
            for (const auto& e : f.close) close(e);
            for (const auto& e : f.reclassify) reclassify(e);
            for (const auto& e : f.rezone) rezone(e);
            for (const auto& e : f.relocate) relocate(e);
            for (const auto& e : f.retire) retire(e);
        }
        // Added roads: the live pieces of the scenario's lines (after any later noding).
        const Network& net = out_.network;
        std::vector<RoadChange> added;
        for (EdgeId e = 0; e < net.edges().size(); ++e) {
            const Edge& ed = net.edge(e);
            if (ed.removed) continue;
            for (const auto& r : ed.sources) {
                if (r.source < out_.first_scenario_source) continue;
                const auto& a = add_sources_.at(r.source);
                RoadChange ch{"added", ed.geometry, ed.attributes.name, ed.attributes.road_class, ed.attributes.road_class,
                              ed.length, a.origin.file, a.origin.line, a.label, r.fid, {}};
                if (auto it = isolated_.find({r.source, r.fid}); it != isolated_.end()) ch.note = it->second;
                added.push_back(std::move(ch));
                break;
            }
        }
        added.insert(added.end(), std::make_move_iterator(out_.roads.begin()), std::make_move_iterator(out_.roads.end()));
        out_.roads = std::move(added);
        return std::move(out_);
    }

private:
    struct AddSource {
        EditOrigin origin;
        std::string label;
    };

    void warn(const std::string& w) {
        log::warn(w);
        out_.warnings.push_back(w);
    }

    void add(const AddEdit& e) {
        Network& net = out_.network;
        Layer layer = read_edit_layer(e.layer, e.read, "add.layer", net, GeometryKind::line, e.origin, out_.warnings);
        BuildOptions bo = config_.options.build;
        if (!e.class_field.empty()) {
            if (layer.field_index(e.class_field) < 0)
                fail(e.origin, "add.class_field", fmt::format("layer '{}' has no field '{}'", layer.name, e.class_field));
            bo.mapping.fields = {e.class_field};
            bo.mapping.fields_required = true;
        }
        auto require = [&](const std::string& f, const char* key) {
            if (!f.empty() && layer.field_index(f) < 0)
                fail(e.origin, key, fmt::format("layer '{}' has no field '{}'", layer.name, f));
        };
        require(e.name_field, "add.name_field");
        require(e.oneway_field, "add.oneway_field");
        if (!e.name_field.empty()) bo.fields.name = {e.name_field};
        if (!e.oneway_field.empty()) bo.fields.oneway = {e.oneway_field};
        netdetail::AttributeReader reader(layer, bo);
        if (e.road_class.empty() && !reader.has_class_field())
            fail(e.origin, "add.class",
                 fmt::format("layer '{}' has no road-class field the study's mapping knows", layer.name),
                 "give class = \"支路\" (one class for every line) or class_field = \"FIELD\"");
        const std::string label = fs::path(layer.source).filename().string() + ":" + layer.name;
        const std::uint32_t src = net.add_source(label);
        add_sources_[src] = {e.origin, label};
        if (layer.features.empty()) warn(fmt::format("{}: [[add]] at line {}: layer '{}' has no lines", e.origin.file, e.origin.line, layer.name));
        for (const auto& f : layer.features) {
            std::string value;
            RoadClass rc;
            if (!e.road_class.empty()) {
                value = e.road_class;
                rc = *road_class_from_text(e.road_class);
            } else {
                value = reader.class_value(f);
                bool known = true;
                rc = reader.classify(value, {}, known);
                if (!known || value.empty())
                    throw config_error(fmt::format("feature {} of layer '{}' has road class '{}', which the study's mapping "
                                                   "does not know",
                                                   f.fid, layer.name, value),
                                       {e.origin.file, layer.name, f.fid, e.origin.line, "add"},
                                       "give class = \"支路\" in the [[add]] table, or fix the feature's class");
            }
            const EdgeAttributes attrs = reader.attributes(f, value, rc);
            for (const auto& line : f.geometry.lines) {
                std::vector<EdgeId> pieces;
                const std::size_t n0 = net.edges().size();
                std::vector<char> live_before(n0);
                for (EdgeId x = 0; x < n0; ++x) live_before[x] = !net.edge(x).removed;
                try {
                    pieces = net.add_line(line, attrs, {SourceRef{src, f.fid}}, AddLineOptions{e.snap, true});
                } catch (const input_error& err) {
                    throw config_error(fmt::format("feature {} of layer '{}': {}", f.fid, layer.name, err.message()),
                                       {e.origin.file, layer.name, f.fid, e.origin.line, "add"});
                }
                note_splits(n0, live_before, pieces);
                // Isolated when no node of the new pieces touches any other edge.
                const std::set<EdgeId> mine(pieces.begin(), pieces.end());
                bool joined = false;
                for (EdgeId p : pieces)
                    for (NodeId n : {net.edge(p).from, net.edge(p).to})
                        for (EdgeId other : net.incident(n))
                            if (!mine.count(other)) joined = true;
                if (!joined) {
                    const double d = distance_to_network(net, line, mine);
                    const std::string note = std::isfinite(d)
                                                 ? fmt::format("isolated: {:.1f} m from the nearest road", d)
                                                 : std::string("isolated: the network has no other road");
                    isolated_[{src, f.fid}] = note;
                    warn(fmt::format("{}: [[add]] at line {}: feature {} of layer '{}'{} joins no road (snap {} m): kept "
                                     "as an isolated piece, {}",
                                     e.origin.file, e.origin.line, f.fid, layer.name,
                                     attrs.name.empty() ? "" : " (" + attrs.name + ")", e.snap,
                                     std::isfinite(d) ? fmt::format("{:.1f} m from the nearest road", d) : "no other road"));
                }
            }
        }
    }

    /// Records which edge each pair of halves add_line made was split from.
    /// split_edge removes an edge and appends its two halves together (the first
    /// from its `from` node, the second to its `to` node), before add_line adds
    /// the line's own pieces; an edge may be split again (a half split later).
    void note_splits(std::size_t n0, const std::vector<char>& live_before, const std::vector<EdgeId>& pieces) {
        const Network& net = out_.network;
        const std::set<EdgeId> mine(pieces.begin(), pieces.end());
        std::vector<EdgeId> gone; // removed during this call: the edges split
        for (EdgeId x = 0; x < n0; ++x)
            if (live_before[x] && net.edge(x).removed) gone.push_back(x);
        std::vector<EdgeId> halves;
        for (EdgeId x = static_cast<EdgeId>(n0); x < net.edges().size(); ++x)
            if (!mine.count(x)) halves.push_back(x);
        for (std::size_t k = 0; k + 1 < halves.size(); k += 2) {
            const EdgeId h1 = halves[k], h2 = halves[k + 1];
            if (h2 != h1 + 1) break; // not split_edge's pair: leave the rest untracked (their points re-snap)
            const Edge& a = net.edge(h1);
            const Edge& b = net.edge(h2);
            for (auto it = gone.begin(); it != gone.end(); ++it) {
                const Edge& x = net.edge(*it);
                if (x.from != a.from || x.to != b.to || a.to != b.from || out_.split_halves.count(*it)) continue;
                if (x.geometry.front() != a.geometry.front() || x.geometry.back() != b.geometry.back()) continue;
                if (a.geometry.size() < 2 || x.geometry.size() < a.geometry.size() - 1 ||
                    !std::equal(a.geometry.begin(), a.geometry.end() - 1, x.geometry.begin()))
                    continue;
                out_.split_halves[*it] = h1;
                gone.erase(it);
                break;
            }
            // halves are split again within the same line: they become candidates too
            if (net.edge(h1).removed) gone.push_back(h1);
            if (net.edge(h2).removed) gone.push_back(h2);
        }
    }

    /// Live edges an edit selects; each given fid / name must select one.
    std::vector<EdgeId> select(const RoadSelection& s, const EditOrigin& o) {
        const Network& net = out_.network;
        std::set<EdgeId> out;
        const std::uint32_t base_sources = out_.first_scenario_source;
        if (!s.fids.empty()) {
            std::map<std::int64_t, std::vector<EdgeId>> by_fid;
            for (EdgeId e = 0; e < net.edges().size(); ++e) {
                if (net.edge(e).removed) continue;
                for (const auto& r : net.edge(e).sources)
                    if (r.source < base_sources) by_fid[r.fid].push_back(e);
            }
            for (auto fid : s.fids) {
                auto it = by_fid.find(fid);
                if (it == by_fid.end())
                    fail(o, o.key + ".fids", fmt::format("no road of the network has source feature id {}", fid),
                         "fids are the feature ids (fid) of the study's road layer; the road may be filtered out by class, "
                         "or closed by an earlier edit");
                out.insert(it->second.begin(), it->second.end());
            }
        }
        for (const auto& name : s.names) {
            bool any = false;
            for (EdgeId e = 0; e < net.edges().size(); ++e)
                if (!net.edge(e).removed && net.edge(e).attributes.name == name) {
                    out.insert(e);
                    any = true;
                }
            if (!any) fail(o, o.key + ".names", fmt::format("no road of the network is named '{}'", name),
                           "names must match the road name exactly (e.g. 青年路东段, not 青年路)");
        }
        if (!s.within.empty()) {
            Layer poly = read_edit_layer(s.within, s.within_read, o.key + ".within", net, GeometryKind::polygon, o, out_.warnings);
            bool any = false;
            for (const auto& f : poly.features) {
                if (f.geometry.polygons.empty()) continue;
                for (EdgeId e : net.edges_in(f.geometry.envelope())) {
                    const auto& g = net.edge(e).geometry;
                    if (std::all_of(g.begin(), g.end(), [&](const Point& p) { return landuse::contains(f.geometry, p); })) {
                        out.insert(e);
                        any = true;
                    }
                }
            }
            if (!any) fail(o, o.key + ".within", fmt::format("no road lies inside the polygons of '{}'", s.within));
        }
        return {out.begin(), out.end()};
    }

    void close(const CloseEdit& e) {
        Network& net = out_.network;
        for (EdgeId id : select(e.select, e.origin)) {
            const Edge& ed = net.edge(id);
            out_.roads.push_back({"closed", ed.geometry, ed.attributes.name, ed.attributes.road_class, ed.attributes.road_class,
                                  ed.length, e.origin.file, e.origin.line, fids_text(ed.sources, out_.first_scenario_source), -1, {}});
            net.remove_edge(id);
        }
    }

    void reclassify(const ReclassifyEdit& e) {
        Network& net = out_.network;
        for (EdgeId id : select(e.select, e.origin)) {
            const Edge& ed = net.edge(id);
            if (ed.attributes.road_class == e.to) continue;
            out_.roads.push_back({"reclassified", ed.geometry, ed.attributes.name, e.to, ed.attributes.road_class, ed.length,
                                  e.origin.file, e.origin.line, fids_text(ed.sources, out_.first_scenario_source), -1, {}});
            net.reclassify(id, e.to);
        }
    }

    Layer& parcels(const EditOrigin& o) {
        if (!out_.parcels) fail(o, o.key, fmt::format("[[{}]] needs the study's parcels (inputs.parcels)", o.key));
        return *out_.parcels;
    }
    Layer& enterprises(const EditOrigin& o) {
        if (!out_.enterprises) fail(o, o.key, fmt::format("[[{}]] needs the study's enterprises (inputs.enterprises)", o.key));
        return *out_.enterprises;
    }
    int field(const Layer& l, const std::string& name, const EditOrigin& o, const char* what) {
        const int i = l.field_index(name);
        if (i < 0)
            fail(o, o.key, fmt::format("the {} layer '{}' has no field '{}'", what, l.name, name),
                 "set the column in the study's [landuse] options");
        return i;
    }
    std::vector<std::size_t> rows_with(const Layer& l, int field_index, const std::string& id) {
        std::vector<std::size_t> rows;
        for (std::size_t i = 0; i < l.features.size(); ++i)
            if (to_text(l.features[i].values[static_cast<std::size_t>(field_index)]) == id) rows.push_back(i);
        return rows;
    }

    void rezone(const RezoneEdit& e) {
        Layer& p = parcels(e.origin);
        const int idf = field(p, cols_.parcel_id, e.origin, "parcel");
        const int luf = field(p, cols_.landuse, e.origin, "parcel");
        for (const auto& id : e.parcels) {
            const auto rows = rows_with(p, idf, id);
            if (rows.empty()) fail(e.origin, "rezone.parcels", fmt::format("no parcel has id '{}'", id));
            for (auto r : rows) {
                auto& v = p.features[r].values[static_cast<std::size_t>(luf)];
                out_.land.push_back({"rezone", id, to_text(v), e.landuse, e.origin.file, e.origin.line});
                v = typed(e.landuse, p.fields[static_cast<std::size_t>(luf)]);
            }
        }
    }

    void move_enterprise(const EditOrigin& o, const std::string& id, const std::string& from, const std::string& to) {
        Layer& en = enterprises(o);
        const int idf = field(en, cols_.enterprise_id, o, "enterprise");
        const int pf = field(en, cols_.enterprise_parcel, o, "enterprise");
        const auto rows = rows_with(en, idf, id);
        if (rows.empty()) fail(o, o.key, fmt::format("no enterprise has id '{}'", id));
        std::optional<Point> target;
        if (out_.parcels) {
            const Layer& p = *out_.parcels;
            const int pid = p.field_index(cols_.parcel_id);
            if (pid >= 0) {
                const auto prow = rows_with(p, pid, to);
                if (prow.empty()) fail(o, o.key, fmt::format("enterprise '{}' is moved to parcel '{}', which does not exist", id, to));
                target = landuse::centroid(p.features[prow.front()].geometry);
            }
        }
        for (auto r : rows) {
            auto& f = en.features[r];
            auto& v = f.values[static_cast<std::size_t>(pf)];
            const std::string was = to_text(v);
            if (!from.empty() && was != from)
                warn(fmt::format("{}: [[relocate]] at line {}: enterprise '{}' is on parcel '{}', not '{}' as the edit says",
                                 o.file, o.line, id, was, from));
            out_.land.push_back({"relocate", id, was, to, o.file, o.line});
            v = typed(to, en.fields[static_cast<std::size_t>(pf)]);
            if (target && !f.geometry.points.empty()) f.geometry.points = {*target};
        }
    }

    void relocate(const RelocateEdit& e) {
        if (!e.layer.empty()) {
            const Layer moves = read_layer(e.layer, {}, e.layer_read);
            const int ef = moves.field_index("enterprise_id"), ff = moves.field_index("from_parcel"),
                      tf = moves.field_index("to_parcel");
            if (ef < 0 || tf < 0)
                throw config_error(fmt::format("relocation layer '{}' needs fields enterprise_id and to_parcel (from_parcel optional)",
                                               moves.name),
                                   {e.origin.file, moves.name, {}, e.origin.line, "relocate.layer"});
            for (const auto& f : moves.features) {
                const auto id = to_text(f.values[static_cast<std::size_t>(ef)]);
                const auto to = to_text(f.values[static_cast<std::size_t>(tf)]);
                const auto from = ff >= 0 ? to_text(f.values[static_cast<std::size_t>(ff)]) : std::string();
                move_enterprise(e.origin, id, from, to);
            }
            return;
        }
        for (const auto& id : e.enterprises) move_enterprise(e.origin, id, {}, e.to_parcel);
    }

    void retire(const RetireEdit& e) {
        Layer& en = enterprises(e.origin);
        const int idf = field(en, cols_.enterprise_id, e.origin, "enterprise");
        const int pf = en.field_index(cols_.enterprise_parcel);
        std::set<std::string> ids(e.enterprises.begin(), e.enterprises.end());
        for (const auto& id : e.enterprises)
            if (rows_with(en, idf, id).empty()) fail(e.origin, "retire.enterprises", fmt::format("no enterprise has id '{}'", id));
        if (e.zombies) {
            if (!base_ || !base_->landuse)
                fail(e.origin, "retire.zombies", "'zombies = true' needs the base land-use evaluation (inputs.enterprises)");
            std::size_t n = 0;
            for (const auto& r : base_->landuse->enterprises)
                if (r.zombie) {
                    ids.insert(r.id);
                    ++n;
                }
            if (n == 0) warn(fmt::format("{}: [[retire]] at line {}: the method flags no zombie enterprise", e.origin.file, e.origin.line));
        }
        std::vector<Feature> kept;
        for (auto& f : en.features) {
            const auto id = to_text(f.values[static_cast<std::size_t>(idf)]);
            if (ids.count(id)) {
                out_.land.push_back({"retire", id, pf >= 0 ? to_text(f.values[static_cast<std::size_t>(pf)]) : "", "",
                                     e.origin.file, e.origin.line});
                continue;
            }
            kept.push_back(std::move(f));
        }
        en.features = std::move(kept);
    }

    const Scenario& scenario_;
    const StudyConfig& config_;
    const StudyData& data_;
    const AnalysisResult* base_;
    AppliedScenario out_;
    LanduseColumns cols_;
    std::map<std::uint32_t, AddSource> add_sources_;
    std::map<std::pair<std::uint32_t, std::int64_t>, std::string> isolated_;
};

} // namespace

AppliedScenario apply_scenario(const Scenario& scenario, const StudyConfig& config, const StudyData& data,
                               const AnalysisResult* base) {
    return Applier(scenario, config, data, base).run();
}

} // namespace plan
