// Reading a land-efficiency methodology from TOML: every key is checked, and
// every fault is reported with the file, line and key.
#include <cmath>
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "landuse/expression.hpp"
#include "landuse/method_text.hpp"
#include "plan/error.hpp"
#include "plan/landuse.hpp"

namespace plan::landuse {

namespace {

class Reader {
public:
    explicit Reader(std::string source) : source_(std::move(source)) {}

    [[noreturn]] void fail(const toml::node* node, const std::string& key, const std::string& what) const {
        ErrorContext c;
        c.file = source_;
        if (node) c.line = static_cast<std::int64_t>(node->source().begin.line);
        c.field = key;
        throw config_error(what, c, "see docs/landuse-method.md for the method file format");
    }

    void check_keys(const toml::table& t, const std::string& where, std::initializer_list<const char*> allowed) const {
        for (const auto& [k, v] : t) {
            const std::string key(k.str());
            if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; })) {
                std::string list;
                for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
                fail(&v, where.empty() ? key : (where.back() == '.' ? where + key : where + "." + key),
                     fmt::format("unknown key '{}' (allowed here: {})", key, list));
            }
        }
    }

    const toml::table* table(const toml::table& t, const char* key, const std::string& where) const {
        const toml::node* n = t.get(key);
        if (!n) return nullptr;
        if (!n->is_table()) fail(n, where + key, "must be a table");
        return n->as_table();
    }

    std::optional<std::string> text(const toml::table& t, const char* key, const std::string& where) const {
        const toml::node* n = t.get(key);
        if (!n) return std::nullopt;
        if (!n->is_string()) fail(n, where + key, "must be a text (in quotes)");
        return n->value<std::string>();
    }

    std::optional<double> number(const toml::table& t, const char* key, const std::string& where) const {
        const toml::node* n = t.get(key);
        if (!n) return std::nullopt;
        if (!n->is_number()) fail(n, where + key, "must be a number");
        return n->value<double>();
    }

    std::vector<std::string> texts(const toml::table& t, const char* key, const std::string& where) const {
        std::vector<std::string> out;
        const toml::node* n = t.get(key);
        if (!n) return out;
        if (!n->is_array()) fail(n, where + key, "must be a list of texts");
        for (const auto& e : *n->as_array()) {
            if (!e.is_string()) fail(&e, where + key, "must be a list of texts");
            out.push_back(*e.value<std::string>());
        }
        return out;
    }

    std::vector<double> numbers(const toml::table& t, const char* key, const std::string& where) const {
        std::vector<double> out;
        const toml::node* n = t.get(key);
        if (!n) return out;
        if (!n->is_array()) fail(n, where + key, "must be a list of numbers");
        for (const auto& e : *n->as_array()) {
            if (!e.is_number()) fail(&e, where + key, "must be a list of numbers");
            out.push_back(*e.value<double>());
        }
        return out;
    }

    /// Parses an expression now so that a typo is reported with its line.
    void check_expression(const toml::table& t, const char* key, const std::string& where) const {
        const toml::node* n = t.get(key);
        if (!n) return;
        try {
            (void)expr::Expression::parse(*n->value<std::string>());
        } catch (const config_error& e) {
            fail(n, where + key, e.message());
        }
    }

    std::int64_t line_of(const toml::node& n) const { return static_cast<std::int64_t>(n.source().begin.line); }

    const std::string& source() const { return source_; }

private:
    std::string source_;
};

/// Indicator settings that [defaults] and a [[group]] may give for all their indicators.
struct IndicatorDefaults {
    ScoringForm form = ScoringForm::benchmark_ratio;
    BenchmarkKind benchmark = BenchmarkKind::mean;
    double benchmark_value = 0.0;
    std::optional<double> cap_factor;
    std::optional<double> cap;
    double floor = 20.0;
    MissingRule missing = MissingRule::exclude;
};

void read_defaults(const Reader& r, const toml::table& t, const std::string& where, IndicatorDefaults& d) {
    if (auto f = r.text(t, "form", where)) {
        if (*f == "benchmark_ratio") d.form = ScoringForm::benchmark_ratio;
        else if (*f == "min_max") d.form = ScoringForm::min_max;
        else r.fail(t.get("form"), where + "form", fmt::format("unknown form '{}' (benchmark_ratio, min_max)", *f));
    }
    if (const toml::node* b = t.get("benchmark")) {
        if (b->is_number()) {
            d.benchmark = BenchmarkKind::fixed;
            d.benchmark_value = *b->value<double>();
            if (!(d.benchmark_value > 0)) r.fail(b, where + "benchmark", "a fixed benchmark must be > 0");
        } else if (b->is_string()) {
            const std::string s = *b->value<std::string>();
            if (s == "mean") d.benchmark = BenchmarkKind::mean;
            else if (s == "median") d.benchmark = BenchmarkKind::median;
            else if (s == "percentile") d.benchmark = BenchmarkKind::percentile;
            else r.fail(b, where + "benchmark", fmt::format("unknown benchmark '{}' (mean, median, percentile, or a number)", s));
        } else {
            r.fail(b, where + "benchmark", "must be mean, median, percentile or a number");
        }
    }
    if (auto p = r.number(t, "percentile", where)) {
        if (*p < 0 || *p > 100) r.fail(t.get("percentile"), where + "percentile", "must be within 0..100");
        d.benchmark_value = *p;
        if (d.benchmark != BenchmarkKind::percentile)
            r.fail(t.get("percentile"), where + "percentile", "needs benchmark = \"percentile\"");
    } else if (t.get("benchmark") && d.benchmark == BenchmarkKind::percentile) {
        r.fail(t.get("benchmark"), where + "benchmark", "benchmark = \"percentile\" needs percentile = P (0..100)");
    }
    if (auto c = r.number(t, "cap_factor", where)) {
        if (!(*c > 0)) r.fail(t.get("cap_factor"), where + "cap_factor", "must be > 0");
        d.cap_factor = c;
        d.cap.reset();
    }
    if (auto c = r.number(t, "cap", where)) {
        if (!(*c > 0)) r.fail(t.get("cap"), where + "cap", "must be > 0");
        d.cap = c;
        d.cap_factor.reset();
    }
    if (auto f = r.number(t, "floor", where)) {
        if (*f < 0 || *f > 100) r.fail(t.get("floor"), where + "floor", "must be within 0..100");
        d.floor = *f;
    }
    if (auto m = r.text(t, "missing", where)) {
        if (*m == "exclude") d.missing = MissingRule::exclude;
        else if (*m == "zero") d.missing = MissingRule::zero;
        else if (*m == "group_average") d.missing = MissingRule::group_average;
        else r.fail(t.get("missing"), where + "missing", fmt::format("unknown missing rule '{}' (exclude, zero, group_average)", *m));
    }
}

const std::set<std::string> kBuiltinNames{"land_mu", "land_m2", "land_ha", "eval_year"};

ClassRule read_classes(const Reader& r, const toml::table& g, const std::string& where, std::size_t n_classes) {
    ClassRule rule;
    const toml::table* c = r.table(g, "classes", where);
    if (!c) r.fail(&g, where + "classes", "each group needs classes = { by = \"rank_share\" | \"threshold\", limits = [...] }");
    r.check_keys(*c, where + "classes", {"by", "limits"});
    const std::string by = r.text(*c, "by", where + "classes.").value_or("");
    if (by == "rank_share") rule.by = ClassBy::rank_share;
    else if (by == "threshold") rule.by = ClassBy::threshold;
    else r.fail(c->get("by") ? c->get("by") : c, where + "classes.by", "must be \"rank_share\" or \"threshold\"");
    rule.limits = r.numbers(*c, "limits", where + "classes.");
    const toml::node* ln = c->get("limits") ? c->get("limits") : c;
    if (rule.limits.size() + 1 != n_classes)
        r.fail(ln, where + "classes.limits", fmt::format("needs {} limits for {} classes (the last class takes the rest)",
                                                         n_classes - 1, n_classes));
    for (std::size_t i = 1; i < rule.limits.size(); ++i) {
        const bool ok = rule.by == ClassBy::rank_share ? rule.limits[i] > rule.limits[i - 1] : rule.limits[i] < rule.limits[i - 1];
        if (!ok) r.fail(ln, where + "classes.limits", rule.by == ClassBy::rank_share
                                                         ? "rank shares must increase (cumulative: 0.2, 0.6, 0.95)"
                                                         : "score thresholds must decrease (best class first)");
    }
    if (rule.by == ClassBy::rank_share)
        for (double l : rule.limits)
            if (l <= 0 || l > 1) r.fail(ln, where + "classes.limits", "rank shares must be within (0, 1]");
    return rule;
}

std::vector<ClassLimit> read_limits(const Reader& r, const toml::table& root, const char* key, const char* limit_key,
                                    const std::vector<std::string>& classes) {
    std::vector<ClassLimit> out;
    const toml::node* n = root.get(key);
    if (!n) return out;
    if (!n->is_array_of_tables()) r.fail(n, key, fmt::format("use [[{}]] tables", key));
    std::size_t i = 0;
    for (const auto& e : *n->as_array()) {
        const toml::table& t = *e.as_table();
        const std::string where = fmt::format("{}[{}].", key, i++);
        r.check_keys(t, where, {"name", "when", limit_key});
        ClassLimit l;
        l.name = r.text(t, "name", where).value_or(key);
        l.when = r.text(t, "when", where).value_or("");
        if (l.when.empty()) r.fail(&t, where + "when", "needs a condition");
        r.check_expression(t, "when", where);
        l.limit = r.text(t, limit_key, where).value_or("");
        if (std::find(classes.begin(), classes.end(), l.limit) == classes.end())
            r.fail(t.get(limit_key) ? t.get(limit_key) : &t, where + limit_key,
                   fmt::format("'{}' is not one of the method's classes", l.limit));
        out.push_back(std::move(l));
    }
    return out;
}

} // namespace

Method parse_method(const std::string& toml_text, const std::string& source_name) {
    toml::table root;
    try {
        root = toml::parse(toml_text, source_name);
    } catch (const toml::parse_error& e) {
        ErrorContext c;
        c.file = source_name;
        c.line = static_cast<std::int64_t>(e.source().begin.line);
        throw config_error(fmt::format("TOML syntax error at column {}: {}", e.source().begin.column, e.description()), c,
                           "see docs/landuse-method.md for the method file format");
    }
    const Reader r(source_name);
    r.check_keys(root, "", {"method", "fields", "land", "defaults", "group", "veto", "protect", "zombie"});
    Method m;
    m.source = source_name;

    const toml::table* meta = r.table(root, "method", "");
    if (!meta) r.fail(nullptr, "method", "the file needs a [method] table with name = \"...\"");
    r.check_keys(*meta, "method", {"name", "title", "classes", "year"});
    m.name = r.text(*meta, "name", "method.").value_or("");
    if (m.name.empty()) r.fail(meta, "method.name", "the method needs a name");
    m.title = r.text(*meta, "title", "method.").value_or(m.name);
    if (meta->get("classes")) m.class_names = r.texts(*meta, "classes", "method.");
    if (m.class_names.size() < 2) r.fail(meta, "method.classes", "needs at least two classes");
    if (meta->get("year")) {
        const auto y = r.number(*meta, "year", "method.");
        if (!y || *y != std::floor(*y) || *y < 1900 || *y > 2200)
            r.fail(meta->get("year"), "method.year", "must be a whole year such as 2025");
        m.year = static_cast<int>(*y);
    }

    if (const toml::table* f = r.table(root, "fields", "")) {
        for (const auto& [k, v] : *f) {
            if (!v.is_string()) r.fail(&v, "fields." + std::string(k.str()), "must be a column name (text)");
            if (kBuiltinNames.count(std::string(k.str())))
                r.fail(&v, "fields." + std::string(k.str()), "is computed by plan and cannot name a column");
            m.fields[std::string(k.str())] = *v.value<std::string>();
        }
    }

    if (const toml::table* land = r.table(root, "land", "")) {
        r.check_keys(*land, "land", {"area", "table_unit", "tolerance", "shared_parcel"});
        if (auto a = r.text(*land, "area", "land.")) {
            if (*a == "geometry") m.area = AreaSource::geometry;
            else if (*a == "table") m.area = AreaSource::table;
            else if (*a == "table_else_geometry") m.area = AreaSource::table_else_geometry;
            else r.fail(land->get("area"), "land.area", "must be geometry, table or table_else_geometry");
        }
        if (auto u = r.text(*land, "table_unit", "land.")) {
            if (*u != "mu" && *u != "m2" && *u != "ha") r.fail(land->get("table_unit"), "land.table_unit", "must be mu, m2 or ha");
            m.table_area_unit = *u;
        }
        if (auto t = r.number(*land, "tolerance", "land.")) {
            if (*t < 0) r.fail(land->get("tolerance"), "land.tolerance", "must be >= 0");
            m.area_tolerance = *t;
        }
        if (auto s = r.text(*land, "shared_parcel", "land.")) {
            if (*s == "combine") m.shared = SharedParcel::combine;
            else if (*s == "split_equal") m.shared = SharedParcel::split_equal;
            else r.fail(land->get("shared_parcel"), "land.shared_parcel", "must be combine or split_equal");
        }
    }

    static constexpr std::initializer_list<const char*> kIndicatorDefaultKeys = {
        "form", "benchmark", "percentile", "cap_factor", "cap", "floor", "missing"};
    IndicatorDefaults defaults;
    if (const toml::table* d = r.table(root, "defaults", "")) {
        r.check_keys(*d, "defaults", kIndicatorDefaultKeys);
        read_defaults(r, *d, "defaults.", defaults);
    }

    const toml::node* groups = root.get("group");
    if (!groups || !groups->is_array_of_tables() || groups->as_array()->empty())
        r.fail(groups, "group", "the method needs at least one [[group]] with its [[group.indicator]]s");
    std::set<std::string> group_ids;
    for (const auto& gn : *groups->as_array()) {
        const toml::table& g = *gn.as_table();
        const std::string gwhere = fmt::format("group[{}].", m.groups.size());
        r.check_keys(g, gwhere, {"id", "name", "when", "min_land_mu", "exclude_industries", "classes", "indicator",
                                 "form", "benchmark", "percentile", "cap_factor", "cap", "floor", "missing"});
        ScopeGroup sg;
        sg.id = r.text(g, "id", gwhere).value_or(fmt::format("group{}", m.groups.size() + 1));
        if (!group_ids.insert(sg.id).second) r.fail(g.get("id"), gwhere + "id", fmt::format("duplicate group id '{}'", sg.id));
        sg.name = r.text(g, "name", gwhere).value_or(sg.id);
        sg.when = r.text(g, "when", gwhere).value_or("");
        r.check_expression(g, "when", gwhere);
        sg.min_land_mu = r.number(g, "min_land_mu", gwhere).value_or(0.0);
        sg.exclude_industries = r.texts(g, "exclude_industries", gwhere);
        sg.classes = read_classes(r, g, gwhere, m.class_names.size());
        IndicatorDefaults gd = defaults;
        read_defaults(r, g, gwhere, gd);

        const toml::node* inds = g.get("indicator");
        if (!inds || !inds->is_array_of_tables() || inds->as_array()->empty())
            r.fail(inds ? inds : &g, gwhere + "indicator", "each group needs at least one [[group.indicator]]");
        std::set<std::string> ids;
        for (const auto& in : *inds->as_array()) {
            const toml::table& t = *in.as_table();
            const std::string where = fmt::format("{}indicator[{}].", gwhere, sg.indicators.size());
            r.check_keys(t, where, {"id", "name", "expr", "weight", "form", "benchmark", "percentile", "cap_factor",
                                    "cap", "floor", "missing"});
            Indicator ind;
            ind.line = r.line_of(t);
            ind.id = r.text(t, "id", where).value_or("");
            if (ind.id.empty()) r.fail(&t, where + "id", "each indicator needs an id (used in column names)");
            if (!ids.insert(ind.id).second) r.fail(t.get("id"), where + "id", fmt::format("duplicate indicator id '{}'", ind.id));
            ind.name = r.text(t, "name", where).value_or(ind.id);
            ind.expression = r.text(t, "expr", where).value_or("");
            if (ind.expression.empty()) r.fail(&t, where + "expr", "each indicator needs an expression");
            r.check_expression(t, "expr", where);
            const auto w = r.number(t, "weight", where);
            if (!w || !(*w > 0)) r.fail(t.get("weight") ? t.get("weight") : &t, where + "weight", "each indicator needs a weight > 0");
            ind.weight = *w;
            IndicatorDefaults d = gd;
            read_defaults(r, t, where, d);
            ind.form = d.form;
            ind.benchmark = d.benchmark;
            ind.benchmark_value = d.benchmark_value;
            ind.floor = d.floor;
            ind.missing = d.missing;
            if (d.cap) ind.cap = d.cap;
            else if (d.cap_factor) ind.cap = *d.cap_factor * ind.weight;
            sg.indicators.push_back(std::move(ind));
        }
        m.groups.push_back(std::move(sg));
    }

    m.vetoes = read_limits(r, root, "veto", "best", m.class_names);
    m.protections = read_limits(r, root, "protect", "worst", m.class_names);
    if (const toml::table* z = r.table(root, "zombie", "")) {
        r.check_keys(*z, "zombie", {"when"});
        m.zombie = r.text(*z, "when", "zombie.").value_or("");
        r.check_expression(*z, "when", "zombie.");
    }
    return m;
}

std::vector<std::string> builtin_method_names() { return {"shandong", "zhejiang"}; }

const std::string& builtin_method_text(const std::string& name) {
    static const std::string zhejiang(detail::kZhejiangMethod);
    static const std::string shandong(detail::kShandongMethod);
    if (name == "zhejiang") return zhejiang;
    if (name == "shandong") return shandong;
    throw usage_error(fmt::format("unknown built-in method '{}'", name), {}, "built-in methods: shandong, zhejiang; or give a TOML file");
}

Method load_method(const std::string& path_or_name) {
    const auto names = builtin_method_names();
    if (std::find(names.begin(), names.end(), path_or_name) != names.end())
        return parse_method(builtin_method_text(path_or_name), "builtin:" + path_or_name);
    std::ifstream in(path_or_name, std::ios::binary);
    if (!in)
        throw usage_error("cannot open the method file", ErrorContext{path_or_name, {}, {}, {}, {}},
                          "give a TOML file or a built-in method: shandong, zhejiang");
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_method(ss.str(), path_or_name);
}

} // namespace plan::landuse
