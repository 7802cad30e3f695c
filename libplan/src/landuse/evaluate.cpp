// The land-efficiency run: join enterprises to parcels, settle each
// enterprise's land, form evaluation units (shared parcels), assign scope
// groups, compute indicators, score each group, and carry the classes to
// parcels and aggregates. Row-level problems become Issues; nothing is dropped
// without a reason that the summary counts.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "landuse/evaluate_state.hpp"
#include "landuse/expression.hpp"
#include "landuse/parcel_geometry.hpp"
#include "landuse/scoring.hpp"
#include "plan/crs.hpp"
#include "plan/error.hpp"
#include "plan/landuse.hpp"
#include "plan/xy_points.hpp"

namespace plan::landuse {

const char* to_string(Status s) {
    switch (s) {
    case Status::graded: return "graded";
    case Status::measured: return "measured";
    default: return "excluded";
    }
}

namespace {

using namespace detail;
using expr::Missing;
using expr::Value;

const std::set<std::string> kLandNames{"land_mu", "land_m2", "land_ha", "eval_year"};

std::string trimmed(std::string s) {
    s.erase(0, s.find_first_not_of(" \t\r\n"));
    s.erase(s.find_last_not_of(" \t\r\n") + 1);
    return s;
}

/// The identity of a value as text, with integral reals printed without ".0"
/// (an XLSX parcel id 12 arrives as 12.0).
std::string key_text(const FieldValue& v) {
    if (auto d = std::get_if<double>(&v))
        if (std::isfinite(*d) && std::floor(*d) == *d && std::fabs(*d) < 1e15) return fmt::format("{}", static_cast<std::int64_t>(*d));
    return trimmed(to_text(v));
}

Value raw_value(const FieldValue& v) {
    if (std::holds_alternative<std::monostate>(v)) return Value::missing(Missing::blank);
    if (auto i = std::get_if<std::int64_t>(&v)) return Value::of(static_cast<double>(*i));
    if (auto d = std::get_if<double>(&v)) return Value::of(*d);
    const std::string t = trimmed(std::get<std::string>(v));
    if (t.empty()) return Value::missing(Missing::blank);
    return Value::of_text(t);
}

class Run {
public:
    Run(const Method& m, const Inputs& in) : m_(m), in_(in), t_(*in.enterprises) {}

    Evaluation run() {
        e_.method = m_;
        resolve_columns();
        read_parcels();
        read_rows();
        form_units();
        assign_groups();
        report_blanks();
        score();
        finish_enterprises();
        finish_parcels();
        aggregate(e_, m_, RegionDims{in_.parks || !park_field_.empty(), in_.zones || !zone_field_.empty()}, rows_, units_, parcels_);
        list_low_efficiency(e_, m_, rows_, units_);
        std::stable_sort(e_.issues.begin(), e_.issues.end(), [](const Issue& a, const Issue& b) {
            if (a.table != b.table) return a.table < b.table;
            if (a.row != b.row) return a.row < b.row;
            return a.code < b.code;
        });
        return std::move(e_);
    }

private:
    const Method& m_;
    const Inputs& in_;
    std::optional<int> year_; ///< the evaluation year: Inputs::year, else the method's
    const Layer& t_;
    Evaluation e_;
    std::vector<ParcelInfo> parcels_;
    std::vector<Row> rows_;
    std::vector<Unit> units_;
    std::map<std::pair<std::size_t, std::string>, Value> numeric_cache_;
    std::set<std::string> absent_warned_;
    std::string park_field_, zone_field_;
    /// Enterprise locations from --xy columns, in the parcels' CRS (empty = the table's geometry).
    std::vector<std::optional<Point>> xy_points_;
    bool use_xy_ = false;
    std::vector<expr::Expression> group_when_;
    std::vector<std::vector<expr::Expression>> indicator_expr_;
    std::vector<expr::Expression> veto_expr_, protect_expr_;
    expr::Expression zombie_expr_;

    // ---- columns ----------------------------------------------------------
    std::string column_name(const std::string& logical) const {
        if (auto it = in_.field_overrides.find(logical); it != in_.field_overrides.end()) return it->second;
        if (auto it = m_.fields.find(logical); it != m_.fields.end()) return it->second;
        return logical;
    }
    int column(const std::string& logical) const { return t_.field_index(column_name(logical)); }

    ErrorContext table_context(const std::string& field = {}) const {
        return ErrorContext{t_.source, t_.name, {}, {}, field};
    }

    void add_issue(Severity s, std::string code, std::string table, std::int64_t row, std::string id, std::string field,
                   std::string message) {
        e_.issues.push_back(Issue{s, std::move(code), std::move(table), row, std::move(id), std::move(field), std::move(message)});
    }

    [[noreturn]] void missing_column(const std::string& logical, const std::string& used_by) const {
        std::string known;
        for (const auto& f : t_.fields) known += (known.empty() ? "" : ", ") + f.name;
        const std::string col = column_name(logical);
        throw usage_error(fmt::format("the enterprise table has no column '{}'{}, which {} of method '{}' needs", col,
                                      col == logical ? "" : " (method field '" + logical + "')", used_by, m_.name),
                          table_context(col),
                          fmt::format("map it with --field {}=COLUMN; the table's columns: {}", logical, known));
    }

    void warn_absent(const std::string& logical, const std::string& used_by, const std::string& consequence) {
        if (!absent_warned_.insert(logical + "|" + used_by).second) return;
        add_issue(Severity::warning, "absent_column", "enterprises", 0, {}, column_name(logical),
                  fmt::format("the table has no column '{}' for {}: {}", column_name(logical), used_by, consequence));
    }

    /// Checks every name the method reads against the table before any row is touched.
    void resolve_columns() {
        if (!in_.enterprises) throw usage_error("no enterprise table given");
        year_ = in_.year ? in_.year : m_.year;
        auto needs_year = [&](const expr::Expression& ex, const std::string& where) {
            const auto& ids = ex.identifiers();
            if (!year_ && std::find(ids.begin(), ids.end(), "eval_year") != ids.end())
                throw usage_error(fmt::format("method '{}': {} reads eval_year, but no evaluation year is set: "
                                              "add year = 2025 (say) to the method's [method] table or pass --year",
                                              m_.name, where));
        };
        for (const auto& l : m_.vetoes) needs_year(expr::Expression::parse(l.when), "veto '" + l.name + "'");
        for (const auto& l : m_.protections) needs_year(expr::Expression::parse(l.when), "protection '" + l.name + "'");
        if (!m_.zombie.empty()) needs_year(expr::Expression::parse(m_.zombie), "the zombie rule");
        for (const auto& g : m_.groups) {
            if (!g.when.empty()) needs_year(expr::Expression::parse(g.when), "the condition of group '" + g.id + "'");
            for (const auto& ind : g.indicators)
                needs_year(expr::Expression::parse(ind.expression), "indicator '" + ind.id + "'");
        }
        if (column("id") < 0) missing_column("id", "the enterprise id");
        for (const auto& g : m_.groups) {
            group_when_.push_back(g.when.empty() ? expr::Expression{} : expr::Expression::parse(g.when));
            for (const auto& name : group_when_.back().identifiers())
                if (!kLandNames.count(name) && column(name) < 0) missing_column(name, "the condition of group '" + g.id + "'");
            indicator_expr_.emplace_back();
            for (const auto& ind : g.indicators) {
                indicator_expr_.back().push_back(expr::Expression::parse(ind.expression));
                for (const auto& name : indicator_expr_.back().back().identifiers()) {
                    if (kLandNames.count(name) || column(name) >= 0) continue;
                    if (ind.missing == MissingRule::exclude)
                        missing_column(name, fmt::format("indicator '{}' ({}) of group '{}'", ind.id, ind.name, g.id));
                    warn_absent(name, fmt::format("indicator '{}' of group '{}'", ind.id, g.id),
                                ind.missing == MissingRule::zero ? "every sub-score is 0"
                                                                 : "every enterprise gets the group average sub-score (0)");
                }
            }
        }
        auto conditions = [&](const std::vector<ClassLimit>& limits, std::vector<expr::Expression>& out, const char* kind) {
            for (const auto& l : limits) {
                out.push_back(expr::Expression::parse(l.when));
                for (const auto& name : out.back().identifiers())
                    if (!kLandNames.count(name) && column(name) < 0)
                        warn_absent(name, fmt::format("{} '{}'", kind, l.name), "the rule applies to no enterprise");
            }
        };
        conditions(m_.vetoes, veto_expr_, "veto");
        conditions(m_.protections, protect_expr_, "protection");
        if (!m_.zombie.empty()) {
            zombie_expr_ = expr::Expression::parse(m_.zombie);
            for (const auto& name : zombie_expr_.identifiers())
                if (!kLandNames.count(name) && column(name) < 0)
                    warn_absent(name, "the zombie rule", "treated as blank");
        }
        if (m_.area == AreaSource::table && column("land_area") < 0) missing_column("land_area", "the land area (land.area = \"table\")");
        if (m_.area == AreaSource::geometry && !in_.parcels)
            throw usage_error(fmt::format("method '{}' takes land areas from parcel geometry, but no parcel layer is given", m_.name));
        if (!in_.parcels && column("land_area") < 0) missing_column("land_area", "the land area (no parcel layer given)");
        if (!in_.x_field.empty() || !in_.y_field.empty()) read_xy();
        if (!in_.enterprise_parcel_field.empty() && t_.field_index(in_.enterprise_parcel_field) < 0)
            (void)t_.require_field(in_.enterprise_parcel_field, "--enterprise-parcel-field");
    }

    /// Point locations from coordinate columns, transformed to the parcels' CRS.
    /// A blank or non-numeric coordinate leaves the row without a location.
    void read_xy() {
        if (in_.x_field.empty() || in_.y_field.empty()) throw usage_error("--xy needs two columns: X,Y", table_context(), "e.g. --xy lon,lat");
        if (!in_.parcels) throw usage_error("--xy joins enterprise points to parcels, but no parcel layer is given");
        const int xc = t_.require_field(in_.x_field, "--xy");
        const int yc = t_.require_field(in_.y_field, "--xy");
        use_xy_ = true;
        const CrsRef& to = in_.parcels->crs;
        const CrsRef from = in_.xy_crs.known() ? in_.xy_crs : to;
        xy_points_ = points_from_columns(t_, xc, yc, from, to); // rows without one: reported as no_location
    }

    // ---- parcels ----------------------------------------------------------
    std::string parcel_id_column() const {
        if (!in_.parcel_id_field.empty()) return in_.parcel_id_field;
        return column_name("parcel");
    }

    static int region_name_field(const Layer& l, const std::string& wanted) {
        if (!wanted.empty()) return l.require_field(wanted, "--region-field");
        int i = l.field_index("name");
        if (i >= 0) return i;
        for (std::size_t k = 0; k < l.fields.size(); ++k)
            if (l.fields[k].type == FieldType::string) return static_cast<int>(k);
        return -1;
    }

    std::vector<std::string> regions_of(const Layer* regions, const std::string& attr_field, const char* what) {
        const Layer& p = *in_.parcels;
        std::vector<std::string> out(p.features.size());
        if (regions) {
            const int nf = region_name_field(*regions, in_.region_name_field);
            std::vector<const Geometry*> geoms;
            for (const auto& f : regions->features) geoms.push_back(&f.geometry);
            const PolygonIndex index(geoms);
            for (std::size_t i = 0; i < p.features.size(); ++i) {
                const auto c = centroid(p.features[i].geometry);
                if (!c) continue;
                const auto hits = index.containing(*c);
                if (hits.empty()) continue;
                const auto& rf = regions->features[hits.front()];
                out[i] = nf >= 0 ? key_text(rf.values[static_cast<std::size_t>(nf)]) : fmt::format("{} {}", what, rf.fid);
            }
        } else if (!attr_field.empty()) {
            const int k = p.require_field(attr_field, std::string("--") + what + "-field");
            for (std::size_t i = 0; i < p.features.size(); ++i) out[i] = key_text(p.features[i].values[static_cast<std::size_t>(k)]);
        }
        return out;
    }

    void read_parcels() {
        if (!in_.parcels) return;
        const Layer& p = *in_.parcels;
        const int idf = p.field_index(parcel_id_column());
        const bool by_id_needed = !in_.enterprise_parcel_field.empty() || column("parcel") >= 0;
        if (idf < 0 && by_id_needed) (void)p.require_field(parcel_id_column(), "--parcel-id");
        std::string landuse_field = in_.landuse_field;
        if (landuse_field.empty() && p.field_index(column_name("landuse")) >= 0) landuse_field = column_name("landuse");
        // Park and zone names from parcel fields: the options, else the method's
        // "park" / "zone" fields when the parcel layer has them.
        park_field_ = in_.park_field;
        zone_field_ = in_.zone_field;
        if (park_field_.empty() && !in_.parks && p.field_index(column_name("park")) >= 0) park_field_ = column_name("park");
        if (zone_field_.empty() && !in_.zones && p.field_index(column_name("zone")) >= 0) zone_field_ = column_name("zone");
        const auto parks = regions_of(in_.parks, park_field_, "park");
        const auto zones = regions_of(in_.zones, zone_field_, "zone");
        const int luf = landuse_field.empty() ? -1 : p.require_field(landuse_field, "--landuse-field");
        std::unordered_map<std::string, std::size_t> seen;
        for (std::size_t i = 0; i < p.features.size(); ++i) {
            const Feature& f = p.features[i];
            ParcelResult r;
            r.row = static_cast<std::int64_t>(i + 1);
            r.id = idf >= 0 ? key_text(f.values[static_cast<std::size_t>(idf)]) : std::to_string(f.fid);
            r.park = parks[i];
            r.zone = zones[i];
            if (luf >= 0) r.landuse = key_text(f.values[static_cast<std::size_t>(luf)]);
            ParcelInfo info;
            info.id = r.id;
            const std::string bad = invalid_reason(f.geometry);
            r.area_m2 = polygon_area(f.geometry);
            if (r.id.empty()) {
                r.status = "missing_id";
                add_issue(Severity::excluded, "parcel_missing_id", "parcels", r.row, {}, parcel_id_column(),
                          "the parcel has no id: no enterprise can be joined to it by id");
            } else if (auto it = seen.find(r.id); it != seen.end()) {
                r.status = "duplicate_id";
                add_issue(Severity::excluded, "parcel_duplicate_id", "parcels", r.row, r.id, parcel_id_column(),
                          fmt::format("parcel id '{}' also on row {}: enterprises join the first", r.id, it->second + 1));
            } else if (f.geometry.kind == GeometryKind::polygon && r.area_m2 < 0.01) {
                // A collapsed polygon is also invalid for GEOS; its zero area is the useful message.
                r.status = "zero_area";
                add_issue(Severity::excluded, "parcel_zero_area", "parcels", r.row, r.id, {},
                          fmt::format("the parcel's area is {:.4g} m²; it holds no land", r.area_m2));
            } else if (!bad.empty()) {
                r.status = "invalid";
                add_issue(Severity::excluded, "parcel_invalid", "parcels", r.row, r.id, {},
                          "invalid geometry: " + bad + "; its area is not used");
            } else {
                r.status = "ok";
                info.usable = true;
            }
            if (!r.id.empty() && !seen.count(r.id)) seen.emplace(r.id, i);
            if (r.status == "invalid" || r.status == "zero_area") r.area_m2 = r.status == "invalid" ? r.area_m2 : 0.0;
            r.mu = mu_from_m2(r.area_m2);
            r.ha = ha_from_m2(r.area_m2);
            r.acres = acres_from_m2(r.area_m2);
            info.mu = r.mu;
            if (r.status != "ok") ++e_.parcel_problems[r.status];
            e_.parcels.push_back(std::move(r));
            parcels_.push_back(std::move(info));
        }
    }

    // ---- enterprise rows ----------------------------------------------------
    std::optional<double> table_land_mu(std::size_t i, const Feature& f) {
        const int k = column("land_area");
        if (k < 0) return std::nullopt;
        const Value v = raw_value(f.values[static_cast<std::size_t>(k)]);
        if (v.is_missing()) return std::nullopt;
        const auto d = to_number(f.values[static_cast<std::size_t>(k)]);
        const std::string col = column_name("land_area");
        if (!d) {
            add_issue(Severity::warning, "non_numeric_value", "enterprises", rows_[i].row, rows_[i].id, col,
                      fmt::format("land area '{}' is not a number: not used", v.text));
            return std::nullopt;
        }
        if (*d <= 0) {
            add_issue(Severity::warning, *d < 0 ? "negative_value" : "zero_land_area", "enterprises", rows_[i].row,
                      rows_[i].id, col, fmt::format("land area {} is not positive: not used", *d));
            return std::nullopt;
        }
        if (m_.table_area_unit == "m2") return mu_from_m2(*d);
        if (m_.table_area_unit == "ha") return *d * 15.0;
        return *d;
    }

    void read_rows() {
        const int idc = column("id");
        const int namec = column("name");
        const int indc = column("industry");
        int parcelc = -1;
        if (use_xy_) parcelc = -1; // --xy: the spatial join, whatever parcel column the table has
        else if (!in_.enterprise_parcel_field.empty()) parcelc = t_.field_index(in_.enterprise_parcel_field);
        else parcelc = column("parcel");
        const bool spatial = in_.parcels && parcelc < 0;
        std::unordered_map<std::string, std::size_t> parcel_by_id;
        std::vector<const Geometry*> usable_geoms;
        std::vector<std::size_t> usable_index;
        if (in_.parcels) {
            for (std::size_t p = 0; p < parcels_.size(); ++p) {
                if (e_.parcels[p].status == "duplicate_id" || parcels_[p].id.empty()) continue;
                parcel_by_id.emplace(parcels_[p].id, p);
                usable_geoms.push_back(&in_.parcels->features[p].geometry);
                usable_index.push_back(p);
            }
        }
        std::optional<PolygonIndex> index;
        if (spatial) index.emplace(usable_geoms);
        const std::string parcel_col = parcelc >= 0 ? t_.fields[static_cast<std::size_t>(parcelc)].name : std::string();

        std::unordered_map<std::string, std::size_t> first_row;
        for (std::size_t i = 0; i < t_.features.size(); ++i) {
            const Feature& f = t_.features[i];
            Row r;
            r.row = static_cast<std::int64_t>(i + 1);
            r.id = key_text(f.values[static_cast<std::size_t>(idc)]);
            if (namec >= 0) r.name = key_text(f.values[static_cast<std::size_t>(namec)]);
            if (indc >= 0) r.industry = key_text(f.values[static_cast<std::size_t>(indc)]);
            rows_.push_back(r);
            Row& row = rows_.back();
            if (row.id.empty()) {
                row.exclusion = "missing_id";
                add_issue(Severity::excluded, "missing_id", "enterprises", row.row, {}, column_name("id"), "the enterprise has no id: not evaluated");
                continue;
            }
            if (auto it = first_row.find(row.id); it != first_row.end()) {
                row.exclusion = "duplicate_id";
                add_issue(Severity::excluded, "duplicate_id", "enterprises", row.row, row.id, column_name("id"),
                          fmt::format("enterprise id '{}' already on row {}: this row is not evaluated", row.id,
                                      rows_[it->second].row));
                continue;
            }
            first_row.emplace(row.id, i);
            row.table_mu = table_land_mu(i, f);

            // Join to a parcel.
            std::string problem, problem_code;
            if (in_.parcels && parcelc >= 0) {
                row.parcel_text = key_text(f.values[static_cast<std::size_t>(parcelc)]);
                if (row.parcel_text.empty()) {
                    problem_code = "missing_parcel_id";
                    problem = "no parcel id";
                } else if (auto it = parcel_by_id.find(row.parcel_text); it != parcel_by_id.end()) {
                    row.parcel = static_cast<int>(it->second);
                } else {
                    problem_code = "unknown_parcel";
                    problem = fmt::format("parcel '{}' is not in the parcel layer", row.parcel_text);
                }
            } else if (spatial) {
                std::optional<Point> at;
                if (use_xy_) at = xy_points_[i];
                else if (f.geometry.kind == GeometryKind::point && !f.geometry.points.empty()) at = f.geometry.points.front();
                if (!at) {
                    problem_code = "no_location";
                    problem = use_xy_ ? fmt::format("no usable coordinates in columns '{}', '{}'", in_.x_field, in_.y_field)
                                      : "the row has no point location for the spatial join";
                } else {
                    const auto hits = index->containing(*at);
                    if (hits.empty()) {
                        problem_code = "outside_parcels";
                        problem = "the enterprise's point lies in no parcel";
                    } else {
                        std::size_t best = usable_index[hits.front()];
                        for (std::size_t h : hits) // overlapping parcels: the one with the smallest id
                            if (parcels_[usable_index[h]].id < parcels_[best].id) best = usable_index[h];
                        row.parcel = static_cast<int>(best);
                        if (hits.size() > 1)
                            add_issue(Severity::warning, "in_several_parcels", "enterprises", row.row, row.id, {},
                                      fmt::format("the point lies in {} overlapping parcels: joined to '{}'", hits.size(),
                                                  parcels_[best].id));
                    }
                }
                if (row.parcel >= 0) row.parcel_text = parcels_[static_cast<std::size_t>(row.parcel)].id;
            }
            if (row.parcel >= 0 && !parcels_[static_cast<std::size_t>(row.parcel)].usable) {
                problem_code = "parcel_unusable";
                problem = fmt::format("parcel '{}' is {}", row.parcel_text,
                                      e_.parcels[static_cast<std::size_t>(row.parcel)].status == "invalid" ? "invalid" : "of zero area");
                row.parcel = -1;
            }
            const bool table_ok = row.table_mu && m_.area != AreaSource::geometry;
            if (!problem.empty()) {
                if (table_ok) {
                    add_issue(Severity::warning, problem_code, "enterprises", row.row, row.id, parcel_col,
                              problem + ": evaluated on the table's land area, without a parcel");
                } else {
                    row.exclusion = problem_code;
                    add_issue(Severity::excluded, problem_code, "enterprises", row.row, row.id, parcel_col,
                              problem + " and the method has no other land area: not evaluated");
                    continue;
                }
            }
            const bool geometry_ok = row.parcel >= 0;
            const bool has_land = m_.area == AreaSource::geometry ? geometry_ok
                                  : m_.area == AreaSource::table ? row.table_mu.has_value()
                                                                 : (row.table_mu || geometry_ok);
            if (!has_land) {
                row.exclusion = "no_land_area";
                add_issue(Severity::excluded, "no_land_area", "enterprises", row.row, row.id, column_name("land_area"),
                          m_.area == AreaSource::table ? "no usable land area in the table: not evaluated"
                                                       : "no land area (no parcel, no table figure): not evaluated");
                continue;
            }
            row.joined = true;
            if (row.parcel >= 0) parcels_[static_cast<std::size_t>(row.parcel)].rows.push_back(i);
        }
    }

    // ---- units ----------------------------------------------------------------
    void form_units() {
        // Shared parcels first (parcel order), then enterprises alone (table order).
        std::vector<bool> placed(rows_.size(), false);
        for (std::size_t p = 0; p < parcels_.size(); ++p) {
            auto members = parcels_[p].rows;
            if (members.empty()) continue;
            std::sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) { return rows_[a].id < rows_[b].id; });
            compare_areas(p, members);
            if (m_.shared == SharedParcel::combine || members.size() == 1) {
                Unit u;
                u.id = members.size() == 1 ? rows_[members[0]].id : "parcel:" + parcels_[p].id;
                u.members = members;
                u.parcel = static_cast<int>(p);
                settle_land(u, parcels_[p].mu, members.size() == 1 ? "geometry" : fmt::format("geometry (shared by {})", members.size()));
                add_unit(std::move(u), placed);
            } else {
                for (std::size_t r : members) {
                    Unit u;
                    u.id = rows_[r].id;
                    u.members = {r};
                    u.parcel = static_cast<int>(p);
                    settle_land(u, parcels_[p].mu / static_cast<double>(members.size()),
                                fmt::format("geometry (1/{} of the parcel)", members.size()));
                    add_unit(std::move(u), placed);
                }
            }
        }
        for (std::size_t r = 0; r < rows_.size(); ++r) {
            if (!rows_[r].joined || placed[r]) continue;
            Unit u;
            u.id = rows_[r].id;
            u.members = {r};
            settle_land(u, std::nullopt, {});
            add_unit(std::move(u), placed);
        }
    }

    void add_unit(Unit u, std::vector<bool>& placed) {
        for (std::size_t r : u.members) {
            placed[r] = true;
            rows_[r].unit = static_cast<int>(units_.size());
        }
        units_.push_back(std::move(u));
    }

    /// The unit's land as the method says: table figures (all members must have one) or geometry.
    void settle_land(Unit& u, std::optional<double> geometry_mu, const std::string& geometry_source) {
        std::optional<double> table;
        double sum = 0.0;
        bool all = true;
        for (std::size_t r : u.members) {
            if (rows_[r].table_mu) sum += *rows_[r].table_mu;
            else all = false;
        }
        if (all) table = sum;
        const bool use_table = m_.area == AreaSource::table || (m_.area == AreaSource::table_else_geometry && table);
        if (use_table && table) {
            u.land_mu = *table;
            u.land_source = u.members.size() > 1 ? fmt::format("table (sum of {})", u.members.size()) : "table";
        } else if (geometry_mu) {
            u.land_mu = *geometry_mu;
            u.land_source = geometry_source;
        } else {
            u.land_mu = 0.0; // cannot happen for joined rows; kept defensive
            u.land_source = "none";
        }
    }

    void compare_areas(std::size_t p, const std::vector<std::size_t>& members) {
        double sum = 0.0;
        for (std::size_t r : members) {
            if (!rows_[r].table_mu) return;
            sum += *rows_[r].table_mu;
        }
        const double g = parcels_[p].mu;
        if (g <= 0) return;
        const double rel = std::fabs(sum - g) / g;
        if (rel <= m_.area_tolerance) return;
        std::string ids;
        for (std::size_t r : members) ids += (ids.empty() ? "" : ", ") + rows_[r].id;
        const std::string what =
            fmt::format("table land {:.2f} mu ({}) differs from the geometry's {:.2f} mu by {:.0f} % (tolerance {:.0f} %)", sum, ids,
                        g, rel * 100.0, m_.area_tolerance * 100.0);
        add_issue(Severity::warning, "area_disagreement", "parcels", static_cast<std::int64_t>(p + 1), parcels_[p].id,
                  column_name("land_area"), what);
        // The same finding on each enterprise row, where the planner corrects it.
        for (std::size_t r : members)
            add_issue(Severity::warning, "area_disagreement", "enterprises", rows_[r].row, rows_[r].id, column_name("land_area"),
                      fmt::format("parcel '{}': {}; the method uses the {} figure", parcels_[p].id, what,
                                  m_.area == AreaSource::geometry ? "geometry's" : "table's"));
    }

    // ---- values ---------------------------------------------------------------
    /// A member row's field as a non-negative number (blank = missing); bad values are reported once.
    Value numeric(std::size_t r, const std::string& logical) {
        const auto key = std::make_pair(r, logical);
        if (auto it = numeric_cache_.find(key); it != numeric_cache_.end()) return it->second;
        Value v;
        const int k = column(logical);
        if (k < 0) {
            v = Value::missing(Missing::absent_column, logical);
        } else {
            const FieldValue& fv = t_.features[r].values[static_cast<std::size_t>(k)];
            v = raw_value(fv);
            v.field = logical;
            if (v.kind == Value::Kind::text) {
                const auto d = to_number(fv);
                if (!d) {
                    add_issue(Severity::warning, "non_numeric_value", "enterprises", rows_[r].row, rows_[r].id, column_name(logical),
                              fmt::format("'{}' is not a number: treated as missing", v.text));
                    v = Value::missing(Missing::non_numeric, logical);
                } else {
                    v = Value::of(*d);
                }
            }
            if (v.is_number() && v.number < 0) {
                add_issue(Severity::warning, "negative_value", "enterprises", rows_[r].row, rows_[r].id, column_name(logical),
                          fmt::format("{} is negative: treated as missing", v.number));
                v = Value::missing(Missing::negative, logical);
            }
        }
        numeric_cache_.emplace(key, v);
        return v;
    }

    Value land_value(const std::string& name, double mu) const {
        if (name == "eval_year") return Value::of(static_cast<double>(year_.value_or(0)));
        if (name == "land_mu") return Value::of(mu);
        if (name == "land_m2") return Value::of(mu * m2_per_mu);
        return Value::of(mu / 15.0);
    }

    /// The unit's numeric environment: members' figures summed (blank only when all are blank).
    expr::Environment unit_env(const Unit& u) {
        return [this, &u](const std::string& name) -> Value {
            if (kLandNames.count(name)) return land_value(name, u.land_mu);
            double sum = 0.0;
            bool any = false;
            for (std::size_t r : u.members) {
                const Value v = numeric(r, name);
                if (v.is_number()) {
                    sum += v.number;
                    any = true;
                } else if (v.cause != Missing::blank) {
                    return v;
                }
            }
            return any ? Value::of(sum) : Value::missing(Missing::blank, name);
        };
    }

    /// A member's own raw values, for conditions.
    expr::Environment row_env(std::size_t r, double land_mu) const {
        return [this, r, land_mu](const std::string& name) -> Value {
            if (kLandNames.count(name)) return land_value(name, land_mu);
            const int k = column(name);
            if (k < 0) return Value::missing(Missing::absent_column, name);
            Value v = raw_value(t_.features[r].values[static_cast<std::size_t>(k)]);
            v.field = name;
            return v;
        };
    }

    bool industry_excluded(const ScopeGroup& g, const std::string& industry) const {
        if (industry.empty()) return false;
        return std::any_of(g.exclude_industries.begin(), g.exclude_industries.end(),
                           [&](const std::string& x) { return industry == x || industry.rfind(x, 0) == 0; });
    }

    // ---- scope and scoring ------------------------------------------------------
    void assign_groups() {
        for (auto& u : units_) {
            for (std::size_t g = 0; g < m_.groups.size() && u.group < 0; ++g) {
                const bool in = group_when_[g].empty() ||
                                std::any_of(u.members.begin(), u.members.end(),
                                            [&](std::size_t r) { return group_when_[g].test(row_env(r, u.land_mu)); });
                if (in) u.group = static_cast<int>(g);
            }
            if (u.group < 0) {
                u.status = Status::excluded;
                u.reason = "out_of_scope";
                u.note = "no scope group applies";
                continue;
            }
            const ScopeGroup& g = m_.groups[static_cast<std::size_t>(u.group)];
            const bool all_excluded_industry = std::all_of(u.members.begin(), u.members.end(), [&](std::size_t r) {
                return industry_excluded(g, rows_[r].industry);
            });
            if (all_excluded_industry) {
                u.status = Status::measured;
                u.reason = "excluded_industry";
                u.note = fmt::format("industry '{}' is measured, not graded, in group '{}'", rows_[u.members[0]].industry, g.id);
            } else if (u.land_mu < g.min_land_mu) {
                u.status = Status::excluded;
                u.reason = "below_min_land";
                u.note = fmt::format("{:.2f} mu is below the group's minimum of {} mu", u.land_mu, g.min_land_mu);
            } else {
                u.status = Status::graded;
            }
            const auto env = unit_env(u);
            for (const auto& ex : indicator_expr_[static_cast<std::size_t>(u.group)]) u.scored.values.push_back(ex.evaluate(env));
            u.scored.id = u.id;
            for (std::size_t k = 0; k < m_.vetoes.size(); ++k)
                if (std::any_of(u.members.begin(), u.members.end(), [&](std::size_t r) { return veto_expr_[k].test(row_env(r, u.land_mu)); }))
                    u.scored.vetoes.emplace_back(m_.vetoes[k].name, m_.vetoes[k].limit);
            for (std::size_t k = 0; k < m_.protections.size(); ++k)
                if (std::all_of(u.members.begin(), u.members.end(), [&](std::size_t r) { return protect_expr_[k].test(row_env(r, u.land_mu)); }))
                    u.scored.protections.emplace_back(m_.protections[k].name, m_.protections[k].limit);
            report_divisions(u);
        }
        for (auto& u : units_)
            if (!zombie_expr_.empty()) u.zombie = zombie_expr_.test(unit_env(u));
    }

    /// Every blank cell of a column the method's indicators read is reported
    /// with its row, saying what the method does with it for that row.
    void report_blanks() {
        std::vector<std::string> names; // logical names read by any indicator, first use order
        for (const auto& g : indicator_expr_)
            for (const auto& ex : g)
                for (const auto& n : ex.identifiers())
                    if (!kLandNames.count(n) && column(n) >= 0 && std::find(names.begin(), names.end(), n) == names.end())
                        names.push_back(n);
        for (std::size_t r = 0; r < rows_.size(); ++r) {
            const Row& row = rows_[r];
            for (const auto& n : names) {
                if (!raw_value(t_.features[r].values[static_cast<std::size_t>(column(n))]).is_missing()) continue;
                std::string effect;
                if (row.unit < 0) {
                    effect = "the row is not evaluated";
                } else {
                    const Unit& u = units_[static_cast<std::size_t>(row.unit)];
                    if (u.group < 0) {
                        effect = "no scope group applies";
                    } else {
                        const ScopeGroup& g = m_.groups[static_cast<std::size_t>(u.group)];
                        std::string uses;
                        for (std::size_t k = 0; k < g.indicators.size(); ++k) {
                            const auto& ids = indicator_expr_[static_cast<std::size_t>(u.group)][k].identifiers();
                            if (std::find(ids.begin(), ids.end(), n) == ids.end()) continue;
                            const auto& ind = g.indicators[k];
                            const char* rule = ind.missing == MissingRule::exclude ? "the enterprise is not graded"
                                               : ind.missing == MissingRule::zero  ? "sub-score 0"
                                                                                   : "group average sub-score";
                            uses += fmt::format("{}{} ({}): {}", uses.empty() ? "" : "; ", ind.id, ind.name, rule);
                        }
                        if (uses.empty()) effect = fmt::format("not read by group '{}' ({})", g.id, g.name);
                        else if (u.members.size() > 1 && unit_env(u)(n).is_number())
                            effect = fmt::format("the {} enterprises of parcel '{}' are evaluated together on the others' figures",
                                                 u.members.size(), parcels_[static_cast<std::size_t>(u.parcel)].id);
                        else effect = uses;
                    }
                }
                add_issue(Severity::warning, "blank_value", "enterprises", row.row, row.id, column_name(n),
                          fmt::format("'{}' is blank: {}", column_name(n), effect));
            }
        }
    }

    void report_divisions(const Unit& u) {
        const ScopeGroup& g = m_.groups[static_cast<std::size_t>(u.group)];
        for (std::size_t i = 0; i < g.indicators.size(); ++i) {
            const Value& v = u.scored.values[i];
            if (v.cause != Missing::division_by_zero) continue;
            const auto& ind = g.indicators[i];
            const char* rule = ind.missing == MissingRule::exclude ? "the enterprise is not graded"
                               : ind.missing == MissingRule::zero  ? "sub-score 0"
                                                                   : "group average sub-score";
            for (std::size_t r : u.members)
                add_issue(u.status == Status::graded && ind.missing == MissingRule::exclude ? Severity::excluded : Severity::warning,
                          "division_by_zero", "enterprises", rows_[r].row, rows_[r].id, column_name(v.field),
                          fmt::format("indicator {} ({} = {}): division by zero ('{}' is 0): {}", ind.id, ind.name,
                                      ind.expression, column_name(v.field), rule));
        }
    }

    void score() {
        e_.groups.resize(m_.groups.size());
        for (std::size_t g = 0; g < m_.groups.size(); ++g) {
            std::vector<ScoredUnit> batch;
            std::vector<std::size_t> owners;
            for (std::size_t k = 0; k < units_.size(); ++k)
                if (units_[k].group == static_cast<int>(g) && units_[k].status == Status::graded) {
                    batch.push_back(units_[k].scored);
                    owners.push_back(k);
                }
            score_group(m_.groups[g], m_.class_names, batch, e_.groups[g]);
            for (std::size_t k = 0; k < batch.size(); ++k) {
                Unit& u = units_[owners[k]];
                u.scored = std::move(batch[k]);
                if (u.scored.excluded) {
                    u.status = Status::excluded;
                    u.reason = "missing_value";
                    u.note = u.scored.exclusion_note;
                }
            }
            // Units not graded still show their indicator values.
            for (auto& u : units_)
                if (u.group == static_cast<int>(g) && u.status != Status::graded && u.scored.indicators.empty())
                    for (const auto& v : u.scored.values) {
                        IndicatorValue iv;
                        if (v.is_number()) iv.value = v.number;
                        else iv.note = std::string("missing (") + expr::to_string(v.cause) + ")";
                        u.scored.indicators.push_back(iv);
                    }
        }
    }

    // ---- results -----------------------------------------------------------------
    double figure(std::size_t r, const std::string& logical) {
        if (column(logical) < 0) return 0.0;
        const Value v = numeric(r, logical);
        return v.is_number() ? v.number : 0.0;
    }

    void finish_enterprises() {
        std::set<std::string> ids;
        for (const auto& g : m_.groups)
            for (const auto& ind : g.indicators)
                if (ids.insert(ind.id).second) e_.indicator_columns.push_back(ind.id);
        for (std::size_t r = 0; r < rows_.size(); ++r) {
            const Row& row = rows_[r];
            EnterpriseResult er;
            er.row = row.row;
            er.id = row.id;
            er.name = row.name;
            er.industry = row.industry;
            er.parcel_id = row.parcel_text;
            if (row.parcel >= 0) {
                const auto& pr = e_.parcels[static_cast<std::size_t>(row.parcel)];
                er.park = pr.park;
                er.zone = pr.zone;
                er.landuse = pr.landuse;
            }
            if (row.unit < 0) {
                er.status = Status::excluded;
                er.reason = row.exclusion;
            } else {
                const Unit& u = units_[static_cast<std::size_t>(row.unit)];
                er.unit = u.id;
                for (std::size_t m : u.members)
                    if (m != r) er.shared_with.push_back(rows_[m].id);
                er.status = u.status;
                er.reason = u.status == Status::graded ? "" : u.reason;
                if (u.group >= 0) {
                    er.group = m_.groups[static_cast<std::size_t>(u.group)].id;
                    er.group_size = e_.groups[static_cast<std::size_t>(u.group)].graded;
                }
                er.land_mu = u.land_mu;
                er.land_source = u.land_source;
                er.indicators = u.scored.indicators;
                er.zombie = u.zombie;
                if (u.status == Status::graded) {
                    er.score = u.scored.score;
                    er.rank = u.scored.rank;
                    er.cls = u.scored.cls;
                    er.rule = u.scored.rule;
                } else {
                    er.rule = u.note;
                    if (u.status == Status::excluded && u.reason == "missing_value")
                        add_issue(Severity::excluded, "missing_value", "enterprises", row.row, row.id, {},
                                  u.note + ": the method excludes the enterprise");
                    else
                        add_issue(u.status == Status::measured ? Severity::warning : Severity::excluded, u.reason,
                                  "enterprises", row.row, row.id, {}, u.note + ": not graded");
                }
            }
            er.output = row.unit >= 0 ? figure(r, "output") : 0.0;
            er.tax = row.unit >= 0 ? figure(r, "tax") : 0.0;
            if (er.status != Status::graded) ++e_.excluded_by_reason[er.reason];
            e_.enterprises.push_back(std::move(er));
        }
    }

    void finish_parcels() {
        for (std::size_t p = 0; p < parcels_.size(); ++p) {
            ParcelResult& pr = e_.parcels[p];
            std::size_t worst = 0;
            bool any_graded = false;
            std::set<int> units;
            for (std::size_t r : parcels_[p].rows) {
                pr.enterprises.push_back(rows_[r].id);
                pr.output += e_.enterprises[r].output;
                pr.tax += e_.enterprises[r].tax;
                units.insert(rows_[r].unit);
            }
            std::sort(pr.enterprises.begin(), pr.enterprises.end());
            for (int ui : units) {
                const Unit& u = units_[static_cast<std::size_t>(ui)];
                if (u.status != Status::graded) continue;
                const auto c = static_cast<std::size_t>(
                    std::find(m_.class_names.begin(), m_.class_names.end(), u.scored.cls) - m_.class_names.begin());
                if (!any_graded || c > worst || (c == worst && *u.scored.score < *pr.score)) {
                    worst = c;
                    pr.score = u.scored.score;
                }
                any_graded = true;
            }
            if (any_graded) {
                pr.cls = m_.class_names[worst];
                if (units.size() == 1) {
                    const Unit& u = units_[static_cast<std::size_t>(*units.begin())];
                    pr.rule = u.members.size() > 1 ? fmt::format("shared by {} enterprises, evaluated together", u.members.size())
                                                   : "the enterprise's class";
                } else {
                    pr.rule = fmt::format("split among {} enterprises: the worst class", units.size());
                }
            }
        }
    }
};

} // namespace

Evaluation evaluate(const Method& method, const Inputs& inputs) {
    if (!inputs.enterprises) throw usage_error("no enterprise table given");
    Run run(method, inputs);
    return run.run();
}

} // namespace plan::landuse
