// Result layers, JSON and text of `plan candidates`.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "plan/candidates.hpp"

namespace plan {
namespace {

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

FieldValue I(std::int64_t v) { return FieldValue{v}; }
FieldValue S(std::string v) { return FieldValue{std::move(v)}; }
FieldValue R(double v) { return FieldValue{v}; }
/// Text, or null when empty (an unnamed road is null, never '').
FieldValue S_or_null(std::string v) { return v.empty() ? FieldValue{} : FieldValue{std::move(v)}; }

// The fields a scenario reads to add a road, as data/sample-city/scenarios.gpkg phase1_links.
std::vector<OutField> scenario_fields() {
    return {{"link_id", FieldType::string}, {"name", FieldType::string}, {"等级", FieldType::string},
            {"oneway", FieldType::string},  {"bridge", FieldType::string}, {"tunnel", FieldType::string},
            {"layer", FieldType::integer},  {"opens", FieldType::string}};
}

std::vector<FieldValue> scenario_values(const std::string& link_id, const Candidate& c) {
    return {S(link_id), S_or_null(c.name), S(road_class_label(c.road_class)), S("no"), S(c.bridge ? "yes" : "no"), S("no"),
            I(c.bridge ? 1 : 0), S(fmt::format("dead end {} ({})", c.dead_end, to_string(c.dead_end_kind)))};
}

std::vector<OutField> link_fields() {
    return {{"dead_end_node", FieldType::integer}, {"dead_end_class", FieldType::string},
            {"target", FieldType::string},         {"target_class", FieldType::string},
            {"target_kind", FieldType::string},    {"length_m", FieldType::real},
            {"crosses", FieldType::string},        {"passes_over_roads", FieldType::integer},
            {"passes_over", FieldType::string},    {"factor", FieldType::real},
            {"cost", FieldType::real},             {"oneway_target", FieldType::integer}};
}

std::vector<FieldValue> link_values(const Candidate& c) {
    return {I(c.dead_end), S(to_string(c.dead_end_kind)), S_or_null(c.target_name), S(road_class_key(c.target_class)),
            S(c.target_edge != kNoId ? "edge" : "node"), R(c.length_m), S(join(c.crosses, "; ")),
            I(static_cast<std::int64_t>(c.passes_over_roads)), S_or_null(join(c.passes_over, ", ")), R(c.factor),
            R(c.cost), I(c.oneway_target ? 1 : 0)};
}

/// A candidate's id as every output writes it: "C94" (text, JSON, layers).
std::string candidate_label(std::uint32_t id) { return fmt::format("C{}", id); }

Geometry line_geometry(const Candidate& c) {
    Geometry g;
    g.kind = GeometryKind::line;
    g.lines.push_back(c.line);
    return g;
}

double share(std::size_t a, std::size_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b); }

} // namespace

std::vector<OutLayer> candidate_layers(const CandidateResult& r) {
    OutLayer cl{"candidates", GeometryKind::line, false, scenario_fields(), {}};
    cl.fields.push_back({"candidate_id", FieldType::string});
    for (auto& f : link_fields()) cl.fields.push_back(f);
    for (const char* n : {"od_saving_m", "pairs_improved", "pairs_connected", "pairs_worse", "reach_gain_m",
                          "components_joined", "dead_ends_removed", "score", "score_per_unit", "rank"})
        cl.fields.push_back({n, std::string(n) == "od_saving_m" || std::string(n) == "reach_gain_m" ||
                                        std::string(n) == "score" || std::string(n) == "score_per_unit"
                                    ? FieldType::real
                                    : FieldType::integer});
    for (const auto& c : r.candidates) {
        OutFeature f;
        f.geometry = line_geometry(c);
        f.values = scenario_values(candidate_label(c.id), c);
        f.values.push_back(S(candidate_label(c.id)));
        for (auto& v : link_values(c)) f.values.push_back(std::move(v));
        for (auto v : {R(c.od_saving_m), I(static_cast<std::int64_t>(c.pairs_improved)),
                       I(static_cast<std::int64_t>(c.pairs_connected)), I(static_cast<std::int64_t>(c.pairs_worse)),
                       R(c.reach_gain_m), I(c.components_joined), I(c.dead_ends_removed), R(c.score),
                       R(c.score_per_unit), I(static_cast<std::int64_t>(c.rank))})
            f.values.push_back(std::move(v));
        cl.features.push_back(std::move(f));
    }
    OutLayer sl{"selection", GeometryKind::line, false, scenario_fields(), {}};
    sl.fields.push_back({"pick", FieldType::integer});
    sl.fields.push_back({"candidate_id", FieldType::string});
    for (auto& f : link_fields()) sl.fields.push_back(f);
    sl.fields.push_back({"marginal_score", FieldType::real});
    sl.fields.push_back({"marginal_od_saving_m", FieldType::real});
    sl.fields.push_back({"marginal_pairs_improved", FieldType::integer});
    sl.fields.push_back({"marginal_pairs_connected", FieldType::integer});
    sl.fields.push_back({"total_km", FieldType::real});
    sl.fields.push_back({"total_cost", FieldType::real});
    sl.fields.push_back({"total_score", FieldType::real});
    sl.fields.push_back({"total_od_saving_m", FieldType::real});
    sl.fields.push_back({"total_pairs_improved", FieldType::integer});
    for (const auto& p : r.picks) {
        OutFeature f;
        f.geometry = line_geometry(p.link);
        f.values = scenario_values(fmt::format("S{}", p.order), p.link);
        f.values.push_back(I(static_cast<std::int64_t>(p.order)));
        f.values.push_back(S(candidate_label(p.candidate)));
        for (auto& v : link_values(p.link)) f.values.push_back(std::move(v));
        for (auto v : {R(p.marginal_score), R(p.marginal_od_saving_m),
                       I(static_cast<std::int64_t>(p.marginal_pairs_improved)),
                       I(static_cast<std::int64_t>(p.marginal_pairs_connected)), R(p.total_km), R(p.total_cost),
                       R(p.total_score), R(p.total_od_saving_m), I(static_cast<std::int64_t>(p.total_pairs_improved))})
            f.values.push_back(std::move(v));
        sl.features.push_back(std::move(f));
    }
    return {std::move(cl), std::move(sl)};
}

namespace {
std::vector<const Candidate*> top(const CandidateResult& r, std::size_t n) {
    std::vector<const Candidate*> v;
    for (const auto& c : r.candidates) v.push_back(&c);
    std::sort(v.begin(), v.end(), [](const Candidate* a, const Candidate* b) { return a->rank < b->rank; });
    if (v.size() > n) v.resize(n);
    return v;
}

/// What the score counts, in words with its unit.
std::string score_unit(const CandidateResult& r) {
    switch (r.objective) {
    case CandidateObjective::reach:
        return fmt::format("m of road reachable within {:g} m of the dead end, gained", r.reach_radius_m);
    case CandidateObjective::components: return "components joined";
    case CandidateObjective::dead_ends: return "dead ends removed";
    default: return "m of OD distance saved";
    }
}

/// What score_per_unit divides by.
/// Without prices: km of new road weighted by the bridge factor (a link at
/// grade weighs 1, a bridge over a river 8 by default); with prices: money.
std::string per_unit(const CandidateResult& r) {
    return r.per_cost ? fmt::format("{} (km × cost per km of the link's class × bridge factor)", r.cost_unit)
                      : std::string("cost-weighted km (km of new road × bridge factor; 1 at grade)");
}

/// What `cost` is: money in its unit, or km when no prices were given.
std::string cost_unit(const CandidateResult& r) {
    return r.per_cost ? r.cost_unit : std::string("km of new road (bridges × their factor; no prices given)");
}

/// A road's name, or "unnamed 支路" (its class): never an empty name.
std::string road_text(const std::string& name, RoadClass c) {
    return name.empty() ? fmt::format("unnamed {}", road_class_label(c)) : name;
}

std::string target_text(const Candidate& c) {
    return c.target_name.empty() ? road_text(c.target_name, c.target_class)
                                 : fmt::format("{} ({} {})", c.target_name, road_class_label(c.target_class),
                                               road_class_key(c.target_class));
}

/// OD saving per pair drawn (m): comparable across --pairs.
double mean_saving(const CandidateResult& r, const Candidate& c) {
    return r.od_pairs == 0 ? 0.0 : c.od_saving_m / static_cast<double>(r.od_pairs);
}

std::size_t oneway_count(const std::vector<Candidate>& cs) {
    std::size_t n = 0;
    for (const auto& c : cs) n += c.oneway_target ? 1 : 0;
    return n;
}

/// A figure with up to `decimals` decimals, trailing zeros dropped ("120", "0.1",
/// "0.005"): a small budget never reads as 0.
std::string trimmed(double v, int decimals) {
    std::string t = fmt::format("{:.{}f}", v, decimals);
    if (t.find('.') != std::string::npos) {
        while (t.back() == '0') t.pop_back();
        if (t.back() == '.') t.pop_back();
    }
    return t == "-0" ? "0" : t;
}

/// The budget left when the selection stopped, in words ("120 m", "0.1 m", "35 万元").
std::string budget_left(const CandidateResult& r) {
    const Pick* last = r.picks.empty() ? nullptr : &r.picks.back();
    if (r.budget_km)
        return trimmed(std::max(0.0, *r.budget_km - (last ? last->total_km : 0.0)) * 1000.0, 3) + " m of new road";
    if (r.budget_cost)
        return trimmed(std::max(0.0, *r.budget_cost - (last ? last->total_cost : 0.0)), 3) + " " + r.cost_unit;
    return "";
}

std::string stop_text(const CandidateResult& r) {
    const std::string& why = r.stop_reason;
    if (why == "budget" && r.picks.empty()) {
        const std::string cheapest = r.budget_km ? trimmed(r.stop_cheapest_km * 1000.0, 3) + " m"
                                                 : trimmed(r.stop_cheapest_cost, 3) + " " + r.cost_unit;
        return fmt::format("nothing could be spent: the budget ({}) is smaller than every candidate (the cheapest "
                           "costs {})",
                           budget_left(r), cheapest);
    }
    if (why == "budget")
        return r.stop_over_budget == 1
                   ? fmt::format("budget used up: the 1 remaining candidate costs more than the {} left", budget_left(r))
                   : fmt::format("budget used up: the {} remaining candidates cost more than the {} left",
                                 r.stop_over_budget, budget_left(r));
    if (why == "no_gain") return "no candidate that fits the budget left has a positive gain";
    if (why == "none_left") return "no dead end left with a feasible candidate";
    return why;
}

/// " bridge", " bridge over 2 roads" (the roads it passes over, grade-separated), or "".
std::string bridge_text(const Candidate& c) {
    if (!c.bridge) return "";
    if (c.passes_over_roads == 0) return " bridge";
    return fmt::format(" bridge over {} road{}", c.passes_over_roads, c.passes_over_roads == 1 ? "" : "s");
}

std::size_t newly_connecting(const CandidateResult& r) {
    std::size_t n = 0;
    for (const auto& c : r.candidates) n += c.pairs_connected > 0 ? 1 : 0;
    return n;
}

constexpr const char* kOdGraph = "undirected";
constexpr const char* kOdGraphText = "distances ignore one-way rules (undirected network)";
} // namespace

std::string to_json(const CandidateResult& r) {
    using nlohmann::ordered_json;
    ordered_json j;
    j["objective"] = to_string(r.objective);
    j["per"] = r.per_cost ? "cost" : "km";
    j["per_unit"] = per_unit(r); // what score_per_unit divides by, in words
    j["score_unit"] = score_unit(r);
    j["cost_unit"] = cost_unit(r);
    j["dead_ends"] = r.dead_ends;
    j["dead_ends_considered"] = r.dead_ends_considered;
    j["candidates"] = r.candidates.size();
    std::size_t bridges = 0;
    for (const auto& c : r.candidates) bridges += c.bridge ? 1 : 0;
    j["bridge_candidates"] = bridges;
    j["candidates_newly_connecting"] = newly_connecting(r);
    j["candidates_oneway_target"] = oneway_count(r.candidates);
    j["duplicates_merged"] = r.duplicates_merged;
    ordered_json nag = ordered_json::array();
    for (RoadClass c : r.no_at_grade) nag.push_back(road_class_key(c));
    j["no_at_grade"] = nag;
    ordered_json rej = ordered_json::object();
    for (const auto& [why, n] : r.rejected) rej[why] = n;
    j["rejected"] = rej;
    j["od"] = {{"basis", r.od_basis}, {"pairs", r.od_pairs}, {"pairs_connected", r.od_pairs_connected},
               {"base_total_km", r.base_od_total_m / 1000.0}};
    j["od_graph"] = kOdGraph;
    ordered_json t = ordered_json::array();
    for (const Candidate* c : top(r, 10))
        t.push_back({{"rank", c->rank},
                     {"candidate_id", candidate_label(c->id)},
                     {"name", c->name.empty() ? ordered_json(nullptr) : ordered_json(c->name)},
                     {"dead_end_class", to_string(c->dead_end_kind)},
                     {"target", c->target_name.empty() ? ordered_json(nullptr) : ordered_json(c->target_name)},
                     {"target_class", road_class_key(c->target_class)},
                     {"oneway_target", c->oneway_target},
                     {"length_m", c->length_m},
                     {"bridge", c->bridge},
                     {"crosses", c->crosses},
                     {"passes_over_roads", c->passes_over_roads},
                     {"passes_over", c->passes_over.empty() ? ordered_json(nullptr) : ordered_json(join(c->passes_over, ", "))},
                     {"cost", c->cost},
                     {"od_saving_m", c->od_saving_m},
                     {"mean_saving_m", mean_saving(r, *c)},
                     {"pairs_worse", c->pairs_worse},
                     {"pairs_improved", c->pairs_improved},
                     {"newly_connected", c->pairs_connected},
                     {"score", c->score},
                     {"score_per_unit", c->score_per_unit}});
    j["top"] = t;
    ordered_json s;
    s["budget_km"] = r.budget_km ? ordered_json(*r.budget_km) : ordered_json(nullptr);
    s["budget_cost"] = r.budget_cost ? ordered_json(*r.budget_cost) : ordered_json(nullptr);
    s["picks"] = r.picks.size();
    const Pick* last = r.picks.empty() ? nullptr : &r.picks.back();
    s["km"] = last ? last->total_km : 0.0;
    s["cost"] = last ? last->total_cost : 0.0;
    s["score"] = last ? last->total_score : 0.0;
    s["od_saving_m"] = last ? last->total_od_saving_m : 0.0;
    // share of all OD pairs drawn (od.pairs), as plan compare's od_improved_share
    s["share_of_pairs_improved"] = share(last ? last->total_pairs_improved : 0, r.od_pairs);
    s["pairs_improved"] = last ? last->total_pairs_improved : 0;
    s["newly_connected"] = last ? last->total_pairs_connected : 0;
    s["stop_reason"] = r.stop_reason.empty() ? ordered_json(nullptr) : ordered_json(r.stop_reason);
    s["candidates_over_budget"] = r.stop_over_budget; // left when it stopped, not fitting the budget left
    std::size_t ow = 0;
    for (const auto& p : r.picks) ow += p.link.oneway_target ? 1 : 0;
    s["picks_oneway_target"] = ow;
    ordered_json ps = ordered_json::array();
    for (const auto& p : r.picks)
        ps.push_back({{"pick", p.order},
                      {"candidate_id", candidate_label(p.candidate)},
                      {"name", p.link.name.empty() ? ordered_json(nullptr) : ordered_json(p.link.name)},
                      {"target", p.link.target_name.empty() ? ordered_json(nullptr) : ordered_json(p.link.target_name)},
                      {"target_class", road_class_key(p.link.target_class)},
                      {"oneway_target", p.link.oneway_target},
                      {"length_m", p.link.length_m},
                      {"cost", p.link.cost},
                      {"marginal_score", p.marginal_score},
                      {"marginal_od_saving_m", p.marginal_od_saving_m},
                      {"marginal_newly_connected", p.marginal_pairs_connected},
                      {"total_km", p.total_km},
                      {"total_od_saving_m", p.total_od_saving_m}});
    s["list"] = ps;
    j["selection"] = s;
    return j.dump(2);
}

std::string to_text(const CandidateResult& r) {
    std::string out;
    out += fmt::format("dead ends: {} ({} considered: near misses first, boundary ends left out)\n", r.dead_ends,
                       r.dead_ends_considered);
    std::size_t bridges = 0;
    for (const auto& c : r.candidates) bridges += c.bridge ? 1 : 0;
    out += fmt::format("candidates: {} ({} bridge or underpass)\n", r.candidates.size(), bridges);
    for (const auto& [why, n] : r.rejected) out += fmt::format("  no candidate: {} ({})\n", why, n);
    std::vector<std::string> nag;
    for (RoadClass c : r.no_at_grade) nag.push_back(road_class_label(c));
    out += fmt::format("not met or crossed at grade: {}\n", nag.empty() ? std::string("(none)") : join(nag, ", "));
    out += fmt::format("OD pairs: {} from {} ({} connected, {:.1f} km in total)\n", r.od_pairs, r.od_basis,
                       r.od_pairs_connected, r.base_od_total_m / 1000.0);
    out += std::string(kOdGraphText) + "\n";
    out += fmt::format("objective: {} per {}\n", to_string(r.objective),
                       r.per_cost ? "unit of cost" : "cost-weighted km (km × bridge factor)");
    out += fmt::format("cost: {}\n", cost_unit(r));
    out += fmt::format("candidates that newly connect pairs: {} (not counted in the OD saving; --objective components "
                       "ranks links that join separate pieces)\n",
                       newly_connecting(r));
    if (r.duplicates_merged > 0)
        out += fmt::format("duplicates merged: {} (two dead ends each other's target: one link kept, the lower id)\n",
                           r.duplicates_merged);
    if (r.candidates.empty()) {
        if (r.dead_ends_considered == 0 && r.dead_ends > 0)
            out += fmt::format("no candidates: all {} dead ends are on the boundary of the study area (they go on "
                               "outside it); --include-boundary proposes links for them, --study-area sets the area\n",
                               r.dead_ends);
        else if (r.dead_ends == 0)
            out += "no candidates: the network has no dead ends\n";
        else
            out += "no candidates: no dead end has a feasible link (reasons above)\n";
    } else {
        if (r.objective == CandidateObjective::od_saving)
            out += fmt::format("top {} (score: {}, a total over the {} OD pairs drawn; mean: per pair drawn; per {}: score "
                               "per {}; ties: more newly connected pairs first):\n",
                               std::min<std::size_t>(10, r.candidates.size()), score_unit(r), r.od_pairs,
                               r.per_cost ? r.cost_unit : "km", per_unit(r));
        else
            out += fmt::format("top {} (score: {}; per {}: score per {}; ties: more newly connected pairs first):\n",
                               std::min<std::size_t>(10, r.candidates.size()), score_unit(r),
                               r.per_cost ? r.cost_unit : "km", per_unit(r));
    }
    const bool od_obj = r.objective == CandidateObjective::od_saving;
    for (const Candidate* c : top(r, 10))
        out += fmt::format("  {:>3}. C{} {} ({}) -> {}: {:.1f} m{}{}, score {:.1f}{}, per {} {:.1f}, newly connected {}{}\n",
                           c->rank, c->id, road_text(c->name, c->dead_end_road_class), to_string(c->dead_end_kind),
                           target_text(*c), c->length_m, bridge_text(*c), c->oneway_target ? " one-way" : "",
                           c->score,
                           od_obj ? fmt::format(" (mean {:.3f} m per pair)", mean_saving(r, *c)) : std::string(),
                           r.per_cost ? r.cost_unit : "km", c->score_per_unit, c->pairs_connected,
                           c->pairs_worse > 0 ? fmt::format(", worse {}", c->pairs_worse) : std::string());
    if (r.budget_km || r.budget_cost) {
        const Pick* last = r.picks.empty() ? nullptr : &r.picks.back();
        out += fmt::format("selection: {} link{}, {:.3f} km, cost {:.3f} {}, OD saving {:.1f} km, improved: {:.1f} % of {} "
                           "pairs, newly connected: {} pairs{}\n",
                           r.picks.size(), r.picks.size() == 1 ? "" : "s", last ? last->total_km : 0.0, last ? last->total_cost : 0.0, cost_unit(r),
                           (last ? last->total_od_saving_m : 0.0) / 1000.0,
                           100.0 * share(last ? last->total_pairs_improved : 0, r.od_pairs), r.od_pairs,
                           last ? last->total_pairs_connected : 0,
                           r.budget_km ? fmt::format("; budget {} km of new road (bridge factors not applied)",
                                                     trimmed(*r.budget_km, 6))
                                       : std::string());
        out += fmt::format("stopped: {}{}\n", stop_text(r),
                           r.stop_reason == "no_gain" && r.stop_over_budget > 0
                               ? fmt::format(" ({} more {} not fit the budget left)", r.stop_over_budget,
                                             r.stop_over_budget == 1 ? "does" : "do")
                               : std::string());
        std::size_t ow = 0;
        for (const auto& p : r.picks) ow += p.link.oneway_target ? 1 : 0;
        if (ow > 0)
            out += fmt::format("{} of the picks touch one-way roads: check them (distances ignore one-way rules)\n", ow);
        const bool od = r.objective == CandidateObjective::od_saving;
        if (!r.picks.empty()) out += fmt::format("picks (gain: {}, given the earlier picks):\n", score_unit(r));
        for (const auto& p : r.picks)
            out += fmt::format("  {}. C{} {} -> {}: {:.1f} m{}, gain {:.3f}{}, newly connected {}\n", p.order, p.candidate,
                               road_text(p.link.name, p.link.dead_end_road_class), target_text(p.link),
                               p.link.length_m, p.link.oneway_target ? " one-way" : "", p.marginal_score,
                               od ? std::string() : fmt::format(", OD saving {:.3f} m", p.marginal_od_saving_m),
                               p.marginal_pairs_connected);
    }
    return out;
}

} // namespace plan
