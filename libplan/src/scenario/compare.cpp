// The comparison table of many scenarios: ranked by an objective, written as
// JSON, CSV and Markdown with the same rows and figures.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "plan/error.hpp"
#include "plan/scenario.hpp"

using ojson = nlohmann::ordered_json;

namespace plan {
namespace {

struct Objective {
    const char* name;
    const char* figure;   ///< key in the evaluation's "figures"
    bool ascending;       ///< lower is better (cost)
};

const std::vector<Objective>& objectives() {
    static const std::vector<Objective> list = {
        {"od_saving", "od_saving_m", false},
        {"od_saving_per_km", "od_saving_per_km", false},
        {"od_mean_saving", "od_mean_saving_m", false},
        {"od_improved_share", "od_improved_share", false},
        {"newly_connected", "od_newly_connected", false},
        {"dead_ends_removed", "dead_ends_removed", false},
        {"components_joined", "components_joined", false},
        {"skeleton_completion", "skeleton_completion_change", false},
        {"cost", "cost", true},
    };
    return list;
}

const Objective& find_objective(const std::string& name) {
    for (const auto& o : objectives())
        if (name == o.name) return o;
    std::string list;
    for (const auto& o : objectives()) list += (list.empty() ? "" : ", ") + std::string(o.name);
    throw usage_error(fmt::format("unknown objective '{}'", name), {}, "objectives: " + list);
}

/// The objective's value; nullopt when not available (no cost given).
std::optional<double> value_of(const ScenarioFigures& f, const Objective& o) {
    const std::string k = o.figure;
    if (k == "od_saving_m") return f.od_saving_m;
    if (k == "od_saving_per_km") return f.od_saving_per_km;
    if (k == "od_mean_saving_m") return f.od_mean_saving_m;
    if (k == "od_improved_share") return f.od_improved_share;
    if (k == "od_newly_connected") return static_cast<double>(f.od_newly_connected);
    if (k == "dead_ends_removed") return static_cast<double>(f.dead_ends_removed);
    if (k == "components_joined") return static_cast<double>(f.components_joined);
    if (k == "skeleton_completion_change") return f.skeleton_completion_change;
    if (k == "cost") return f.cost;
    return std::nullopt;
}

std::optional<double> interaction_of(const ScenarioEvaluation& e) { return e.figures.interaction_od_saving_m; }

std::string fixed(double v, int decimals) {
    std::string s = fmt::format("{:.{}f}", v, decimals);
    if (s.find_first_not_of("-0.") == std::string::npos) s = fmt::format("{:.{}f}", 0.0, decimals); // no "-0.000"
    return s;
}

struct Row {
    int rank;
    const ScenarioEvaluation* e;
    std::optional<double> interaction;
};

std::vector<Row> rows(const std::vector<ScenarioEvaluation>& evaluations, const std::string& objective) {
    std::vector<Row> out;
    int r = 0;
    for (const auto* e : rank_scenarios(evaluations, objective)) out.push_back({++r, e, interaction_of(*e)});
    return out;
}

std::string csv_cell(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string o = "\"";
    for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
    return o + "\"";
}

const std::vector<std::string> kColumns = {
    "rank", "scenario", "title", "od_saving_m", "od_mean_saving_m", "od_improved_share", "od_newly_connected",
    "dead_ends_removed", "dead_ends_added", "components_joined", "skeleton_completion_change", "new_road_km", "cost",
    "od_saving_per_km", "interaction_od_saving_m"};

std::vector<std::string> cells(const Row& r) {
    const auto& f = r.e->figures;
    return {std::to_string(r.rank),
            r.e->name,
            r.e->title,
            fixed(f.od_saving_m, 3),
            fixed(f.od_mean_saving_m, 3),
            fixed(f.od_improved_share, 4),
            std::to_string(f.od_newly_connected),
            std::to_string(f.dead_ends_removed),
            std::to_string(f.dead_ends_added),
            std::to_string(f.components_joined),
            f.skeleton_completion_change ? fixed(*f.skeleton_completion_change, 4) : std::string(),
            fixed(f.new_road_km, 3),
            f.cost ? fixed(*f.cost, 2) : std::string(),
            fixed(f.od_saving_per_km, 3),
            r.interaction ? fixed(*r.interaction, 3) : std::string()};
}

} // namespace

const std::vector<std::string>& scenario_objectives() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n;
        for (const auto& o : objectives()) n.push_back(o.name);
        return n;
    }();
    return names;
}

std::vector<const ScenarioEvaluation*> rank_scenarios(const std::vector<ScenarioEvaluation>& evaluations,
                                                      const std::string& objective) {
    const Objective& o = find_objective(objective);
    std::vector<const ScenarioEvaluation*> out;
    for (const auto& e : evaluations) out.push_back(&e);
    std::stable_sort(out.begin(), out.end(), [&](const ScenarioEvaluation* a, const ScenarioEvaluation* b) {
        const auto va = value_of(a->figures, o), vb = value_of(b->figures, o);
        if (va.has_value() != vb.has_value()) return va.has_value(); // scenarios without a value last
        if (va && *va != *vb) return o.ascending ? *va < *vb : *va > *vb;
        return a->name < b->name;
    });
    return out;
}

std::string comparison_json(const std::vector<ScenarioEvaluation>& evaluations, const std::string& objective) {
    ojson j;
    j["objective"] = objective;
    j["od_graph"] = "undirected";
    ojson table = ojson::array();
    ojson all = ojson::object();
    for (const auto& r : rows(evaluations, objective)) {
        ojson row;
        const auto ev = ojson::parse(r.e->json);
        row["rank"] = r.rank;
        row["scenario"] = r.e->name;
        row["title"] = r.e->title;
        row["figures"] = ev["figures"];
        row["interaction_od_saving_m"] = r.interaction ? ojson(*r.interaction) : ojson();
        table.push_back(row);
        all[r.e->name] = ev;
    }
    j["ranking"] = table;
    j["scenarios"] = all;
    return j.dump(2) + "\n";
}

std::string comparison_csv(const std::vector<ScenarioEvaluation>& evaluations, const std::string& objective) {
    std::string s;
    for (std::size_t i = 0; i < kColumns.size(); ++i) s += (i ? "," : "") + kColumns[i];
    s += "\n";
    for (const auto& r : rows(evaluations, objective)) {
        const auto c = cells(r);
        for (std::size_t i = 0; i < c.size(); ++i) s += (i ? "," : "") + csv_cell(c[i]);
        s += "\n";
    }
    return s;
}

std::string comparison_markdown(const std::vector<ScenarioEvaluation>& evaluations, const std::string& objective) {
    std::string s = fmt::format("# Scenario comparison\n\nRanked by `{}` (best first).\n\n", objective);
    s += "|";
    for (const auto& c : kColumns) s += " " + c + " |";
    s += "\n|";
    for (std::size_t i = 0; i < kColumns.size(); ++i) s += i < 3 ? "---|" : "---:|";
    s += "\n";
    for (const auto& r : rows(evaluations, objective)) {
        s += "|";
        for (auto c : cells(r)) {
            for (std::size_t p = 0; (p = c.find('|', p)) != std::string::npos; p += 2) c.replace(p, 1, "\\|");
            s += " " + c + " |";
        }
        s += "\n";
    }
    const std::int64_t pairs = evaluations.empty() ? 0 : ojson::parse(evaluations.front().json)["od"]["pairs"].get<std::int64_t>();
    s += fmt::format("\nod_saving_m: total network-distance saving over the OD pairs connected before and after; "
                     "od_improved_share: share of all {} OD pairs drawn that got shorter; "
                     "od_newly_connected: OD pairs without a path before that have one after, the same two points (a pair "
                     "with a point re-seated because its road was closed is not counted); "
                     "dead_ends_removed: base dead ends the scenario opens, dead_ends_added: dead ends it creates "
                     "(both counts, never negative); components_joined: base components joined to another; "
                     "interaction_od_saving_m: a combined scenario's saving minus the sum of its parts' savings "
                     "(empty: it extends no scenario). "
                     "Distances ignore one-way rules (undirected network).\n",
                     pairs);
    bool no_skeleton = false, no_cost = false;
    for (const auto& e : evaluations) {
        no_skeleton = no_skeleton || !e.figures.skeleton_completion_change;
        no_cost = no_cost || !e.figures.cost;
    }
    if (no_skeleton)
        s += "\nskeleton_completion_change is empty: the study has no skeleton (inputs.skeleton), so there is no "
             "completion to change (not a change of 0).\n";
    if (no_cost)
        s += "\ncost is empty where the study gives no cost per km ([cost] per_km) for a class of the new roads.\n";
    return s;
}

} // namespace plan
