// Land-efficiency results as a planner reads them: the JSON summary (the same
// object `plan run` stores in summary.json), a text summary, the enterprise
// CSV and the two result layers.
#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "text_width.hpp"
#include "plan/landuse.hpp"

namespace plan::landuse {

namespace {

using json = nlohmann::ordered_json;

json opt(const std::optional<double>& d) { return d ? json(*d) : json(nullptr); }

const char* severity_name(Severity s) { return s == Severity::excluded ? "excluded" : "warning"; }

json aggregate_json(const Aggregate& a) {
    json j;
    j["key"] = a.key;
    j["parcels"] = a.parcels;
    j["parcel_mu"] = a.parcel_mu;
    j["enterprises"] = a.enterprises;
    j["land_mu"] = a.land_mu;
    j["output"] = a.output;
    j["tax"] = a.tax;
    j["output_per_mu"] = opt(a.output_per_mu);
    j["tax_per_mu"] = opt(a.tax_per_mu);
    j["graded"] = a.graded;
    j["classes"] = json::object();
    for (const auto& [c, n] : a.classes) j["classes"][c] = n;
    j["class_shares"] = json::object();
    for (const auto& [c, s] : a.class_shares) j["class_shares"][c] = s;
    return j;
}

std::string csv_cell(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string num(double d) { return fmt::format("{}", d); }

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

/// The enterprise columns shared by the CSV and the `enterprises` layer.
struct EnterpriseColumns {
    std::vector<OutField> fields;
    std::vector<std::vector<FieldValue>> rows;
};

EnterpriseColumns enterprise_columns(const Evaluation& e) {
    EnterpriseColumns t;
    auto F = [&](const std::string& n, FieldType ty) { t.fields.push_back({n, ty}); };
    F("row", FieldType::integer); F("id", FieldType::string); F("name", FieldType::string);
    F("parcel_id", FieldType::string); F("unit", FieldType::string); F("shared_with", FieldType::string);
    F("industry", FieldType::string); F("park", FieldType::string); F("zone", FieldType::string);
    F("landuse", FieldType::string); F("group", FieldType::string); F("status", FieldType::string);
    F("reason", FieldType::string); F("land_mu", FieldType::real); F("land_source", FieldType::string);
    F("output", FieldType::real); F("tax", FieldType::real);
    for (const auto& c : e.indicator_columns) {
        F(c, FieldType::real);
        F(c + "_score", FieldType::real);
    }
    F("score", FieldType::real); F("rank", FieldType::integer); F("group_size", FieldType::integer);
    F("class", FieldType::string); F("rule", FieldType::string); F("zombie", FieldType::integer);

    auto real = [](const std::optional<double>& d) { return d ? FieldValue(*d) : FieldValue(); };
    for (const auto& er : e.enterprises) {
        std::vector<FieldValue> v;
        v.emplace_back(std::int64_t{er.row});
        v.emplace_back(er.id); v.emplace_back(er.name); v.emplace_back(er.parcel_id); v.emplace_back(er.unit);
        v.emplace_back(join(er.shared_with, ";")); v.emplace_back(er.industry); v.emplace_back(er.park);
        v.emplace_back(er.zone); v.emplace_back(er.landuse); v.emplace_back(er.group);
        v.emplace_back(std::string(to_string(er.status))); v.emplace_back(er.reason);
        v.push_back(er.status == Status::excluded && er.unit.empty() ? FieldValue() : FieldValue(er.land_mu));
        v.emplace_back(er.land_source); v.emplace_back(er.output); v.emplace_back(er.tax);
        // Indicator columns by id; a group without the indicator leaves them empty.
        const auto* group = [&]() -> const ScopeGroup* {
            for (const auto& g : e.method.groups)
                if (g.id == er.group) return &g;
            return nullptr;
        }();
        for (const auto& c : e.indicator_columns) {
            std::optional<double> value, sub;
            if (group)
                for (std::size_t i = 0; i < group->indicators.size() && i < er.indicators.size(); ++i)
                    if (group->indicators[i].id == c) {
                        value = er.indicators[i].value;
                        sub = er.indicators[i].sub_score;
                    }
            v.push_back(real(value));
            v.push_back(real(sub));
        }
        v.push_back(real(er.score));
        v.push_back(er.rank > 0 ? FieldValue(std::int64_t{er.rank}) : FieldValue());
        v.push_back(er.group_size > 0 ? FieldValue(std::int64_t{er.group_size}) : FieldValue());
        v.emplace_back(er.cls); v.emplace_back(er.rule);
        v.emplace_back(std::int64_t{er.zombie ? 1 : 0});
        t.rows.push_back(std::move(v));
    }
    return t;
}

} // namespace

std::string summary_json(const Evaluation& e, int indent) {
    json j;
    j["method"] = {{"name", e.method.name}, {"title", e.method.title}, {"source", e.method.source},
                   {"classes", e.method.class_names}};
    int graded = 0, measured = 0, excluded = 0;
    std::map<std::string, int> classes;
    for (const auto& c : e.method.class_names) classes[c] = 0;
    double land = 0.0;
    for (const auto& er : e.enterprises) {
        if (er.status == Status::graded) {
            ++graded;
            ++classes[er.cls];
        } else if (er.status == Status::measured) {
            ++measured;
        } else {
            ++excluded;
        }
    }
    double parcel_mu = 0.0;
    int usable = 0;
    for (const auto& p : e.parcels)
        if (p.status == "ok") {
            ++usable;
            parcel_mu += p.mu;
        }
    std::set<std::string> units;
    for (const auto& er : e.enterprises)
        if (!er.unit.empty() && units.insert(er.unit).second) land += er.land_mu;
    j["counts"] = {{"enterprise_rows", e.enterprises.size()}, {"graded", graded}, {"measured", measured},
                   {"excluded", excluded}, {"parcels", e.parcels.size()}, {"parcels_usable", usable}};
    j["land"] = {{"parcel_mu", parcel_mu}, {"enterprise_land_mu", land}};
    j["excluded_by_reason"] = json::object();
    for (const auto& [k, n] : e.excluded_by_reason) j["excluded_by_reason"][k] = n;
    j["parcel_problems"] = json::object();
    for (const auto& [k, n] : e.parcel_problems) j["parcel_problems"][k] = n;
    j["classes"] = json::object();
    for (const auto& c : e.method.class_names) j["classes"][c] = classes[c];
    j["groups"] = json::array();
    for (const auto& g : e.groups) {
        json jg = {{"id", g.id}, {"name", g.name}, {"graded", g.graded}};
        jg["classes"] = json::object();
        for (const auto& c : e.method.class_names) jg["classes"][c] = g.classes.count(c) ? g.classes.at(c) : 0;
        jg["indicators"] = json::array();
        for (const auto& s : g.indicators)
            jg["indicators"].push_back({{"id", s.id}, {"name", s.name}, {"weight", s.weight}, {"form", s.form},
                                        {"benchmark_kind", s.benchmark_kind.empty() ? json(nullptr) : json(s.benchmark_kind)},
                                        {"benchmark", opt(s.benchmark)}, {"min", opt(s.min)}, {"max", opt(s.max)},
                                        {"values", s.values}, {"missing", s.missing}, {"capped", s.capped}});
        j["groups"].push_back(jg);
    }
    j["aggregates"] = json::object();
    for (const auto& [dim, list] : e.aggregates) {
        j["aggregates"][dim] = json::array();
        for (const auto& a : list) j["aggregates"][dim].push_back(aggregate_json(a));
    }
    double low_mu = 0.0;
    json items = json::array();
    for (const auto& l : e.low_efficiency) {
        low_mu += l.mu;
        items.push_back({{"unit", l.unit}, {"parcel_id", l.parcel_id}, {"enterprises", l.enterprises}, {"mu", l.mu},
                         {"class", l.cls}, {"reasons", l.reasons}, {"output", l.output}, {"tax", l.tax},
                         {"park", l.park}, {"zone", l.zone}});
    }
    j["low_efficiency"] = {{"units", e.low_efficiency.size()}, {"mu", low_mu}, {"items", items}};
    std::map<std::string, int> by_code;
    json list = json::array();
    for (const auto& i : e.issues) {
        ++by_code[i.code];
        list.push_back({{"severity", severity_name(i.severity)}, {"code", i.code}, {"table", i.table},
                        {"row", i.row}, {"id", i.id}, {"field", i.field}, {"message", i.message}});
    }
    j["issues"] = {{"count", e.issues.size()}, {"by_code", by_code}, {"items", list}};
    return j.dump(indent);
}

std::string summary_text(const Evaluation& e) {
    std::string out = fmt::format("land efficiency by method '{}' ({})\n", e.method.name, e.method.title);
    int graded = 0;
    for (const auto& er : e.enterprises) graded += er.status == Status::graded;
    int units = 0;
    for (const auto& g : e.groups) units += g.graded;
    out += fmt::format("  enterprise rows: {}, graded: {}, not graded: {}\n", e.enterprises.size(), graded,
                       e.enterprises.size() - static_cast<std::size_t>(graded));
    for (const auto& [k, n] : e.excluded_by_reason) out += fmt::format("    {:<22} {}\n", k, n);
    out += fmt::format("  graded units: {} (enterprises sharing a parcel are graded together as one unit; "
                       "the groups below count units, the tables by dimension count rows)\n", units);
    std::size_t usable = 0;
    for (const auto& p : e.parcels) usable += p.status == "ok";
    if (!e.parcels.empty()) {
        out += fmt::format("  parcels: {} ({} usable)\n", e.parcels.size(), usable);
        for (const auto& [k, n] : e.parcel_problems) out += fmt::format("    {:<22} {}\n", k, n);
    }
    for (const auto& g : e.groups) {
        out += fmt::format("  group {} ({}): {} units graded;", g.id, g.name, g.graded);
        for (const auto& c : e.method.class_names) out += fmt::format(" {} {}", c, g.classes.count(c) ? g.classes.at(c) : 0);
        out += "\n";
        for (const auto& s : g.indicators)
            out += fmt::format("    {:<22} weight {:>5g}  {}{}  min {}  max {}\n", s.id, s.weight, s.form,
                               s.benchmark ? fmt::format(" benchmark {:.4g} ({})", *s.benchmark, s.benchmark_kind) : "",
                               s.min ? fmt::format("{:.4g}", *s.min) : "-", s.max ? fmt::format("{:.4g}", *s.max) : "-");
    }
    if (!e.aggregates.empty())
        out += "  per mu figures are 万元/亩 a year on the enterprises' own land (亩 = 666.67 m²); parcel mu is all land "
               "of the key\n";
    for (const auto& [dim, list] : e.aggregates) {
        out += fmt::format("  by {}:\n", dim);
        out += fmt::format("    {} {:>12} {:>12} {:>12} {:>12} {:>9} {:>8}\n", detail::pad_right(dim, 18),
                           dim == "industry" ? "" : "parcel mu", "enterp. mu", "tax/mu", "output/mu", "rows", "graded");
        for (const auto& a : list) {
            std::string key = a.key;
            if (key.empty())
                key = dim == "industry" ? "(no industry)"
                      : a.parcels == 0  ? "(no parcel)"
                      : dim == "park"   ? "(not in a park)"
                      : dim == "zone"   ? "(no zone)"
                                        : "(none)";
            out += fmt::format("    {} {:>12} {:>12.2f} {:>12} {:>12} {:>9} {:>8}\n", detail::pad_right(key, 18),
                               dim == "industry" ? "" : fmt::format("{:.2f}", a.parcel_mu), a.land_mu,
                               a.tax_per_mu ? fmt::format("{:.2f}", *a.tax_per_mu) : "-",
                               a.output_per_mu ? fmt::format("{:.2f}", *a.output_per_mu) : "-", a.enterprises, a.graded);
        }
    }
    double mu = 0.0;
    for (const auto& l : e.low_efficiency) mu += l.mu;
    out += fmt::format("  low-efficiency land (退城入园 / 腾笼换鸟 candidates): {} units, {:.2f} mu\n", e.low_efficiency.size(), mu);
    for (const auto& l : e.low_efficiency)
        out += fmt::format("    {} parcel {:<10} {:>8.2f} mu  {}\n", detail::pad_right(l.unit, 16), l.parcel_id.empty() ? "-" : l.parcel_id, l.mu,
                           join(l.reasons, ", "));
    out += fmt::format("  issues: {}\n", e.issues.size());
    for (const auto& i : e.issues)
        out += fmt::format("    {} {} row {}{}: {}: {}\n", severity_name(i.severity), i.table, i.row,
                           i.id.empty() ? "" : " (" + i.id + ")", i.code, i.message);
    return out;
}

std::string enterprises_csv(const Evaluation& e) {
    const EnterpriseColumns t = enterprise_columns(e);
    std::string out;
    for (std::size_t i = 0; i < t.fields.size(); ++i) out += (i ? "," : "") + csv_cell(t.fields[i].name);
    out += "\n";
    for (const auto& row : t.rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            std::string cell;
            if (auto d = std::get_if<double>(&row[i])) cell = num(*d);
            else cell = to_text(row[i]);
            out += (i ? "," : "") + csv_cell(cell);
        }
        out += "\n";
    }
    return out;
}

std::vector<OutLayer> result_layers(const Evaluation& e, const Layer* parcels, const Layer* enterprises) {
    std::vector<OutLayer> layers;
    if (parcels) {
        OutLayer pl;
        pl.name = "parcels";
        pl.kind = GeometryKind::polygon;
        pl.multi = true;
        pl.fields = {{"parcel_id", FieldType::string}, {"area_m2", FieldType::real}, {"mu", FieldType::real},
                     {"ha", FieldType::real},          {"acres", FieldType::real},   {"status", FieldType::string},
                     {"landuse", FieldType::string},   {"park", FieldType::string},  {"zone", FieldType::string},
                     {"enterprises", FieldType::string}, {"output", FieldType::real}, {"tax", FieldType::real},
                     {"tax_per_mu", FieldType::real},  {"score", FieldType::real},   {"class", FieldType::string},
                     {"rule", FieldType::string},      {"low_efficiency", FieldType::integer}};
        for (std::size_t i = 0; i < e.parcels.size() && i < parcels->features.size(); ++i) {
            const ParcelResult& p = e.parcels[i];
            OutFeature f;
            f.geometry = parcels->features[i].geometry;
            f.values = {p.id, p.area_m2, p.mu, p.ha, p.acres, p.status, p.landuse, p.park, p.zone,
                        join(p.enterprises, ";"), p.output, p.tax,
                        p.mu > 0 && !p.enterprises.empty() ? FieldValue(p.tax / p.mu) : FieldValue(),
                        p.score ? FieldValue(*p.score) : FieldValue(), p.cls, p.rule,
                        std::int64_t{p.low_efficiency ? 1 : 0}};
            pl.features.push_back(std::move(f));
        }
        layers.push_back(std::move(pl));
    }
    EnterpriseColumns t = enterprise_columns(e);
    OutLayer el;
    el.name = "enterprises";
    el.fields = std::move(t.fields);
    const bool points = enterprises && std::any_of(enterprises->features.begin(), enterprises->features.end(), [](const Feature& f) {
        return f.geometry.kind == GeometryKind::point;
    });
    el.kind = points ? GeometryKind::point : GeometryKind::none;
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
        OutFeature f;
        if (points && i < enterprises->features.size() && enterprises->features[i].geometry.kind == GeometryKind::point)
            f.geometry = enterprises->features[i].geometry;
        f.values = std::move(t.rows[i]);
        el.features.push_back(std::move(f));
    }
    layers.push_back(std::move(el));
    return layers;
}

} // namespace plan::landuse
