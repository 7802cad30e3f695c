#pragma once
// New-link candidates for dead ends (打通断头路): for each dead end the shortest
// feasible straight link to another road within a maximum length, scored
// alone by an objective per km of new road (or per unit of cost), then a set
// chosen greedily under a budget, re-scoring after each pick. OD savings are
// evaluated incrementally and exactly (whole millimetres): the result equals
// the OD distances on the network with the link really added by
// Network::add_line, every OD point kept at its seat on the base network (a
// new link adds paths, it does not move origins, so no pair gets longer).
// Method and proof: docs/candidates.md.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "plan/network.hpp"
#include "plan/network_analysis.hpp"
#include "plan/od.hpp"
#include "plan/output.hpp"
#include "plan/skeleton.hpp"

namespace plan {

enum class CandidateObjective : std::uint8_t { od_saving, reach, components, dead_ends };
const char* to_string(CandidateObjective o);             ///< "od_saving", "reach", ...
CandidateObjective objective_from_text(const std::string& text); ///< throws usage_error

struct CandidateOptions {
    /// Longest link proposed (m).
    double max_length_m = 300.0;
    /// The snap tolerance (m) links are added with (Network::add_line); a
    /// scenario applying the output must use the same (plan's --snap).
    double snap_m = 0.01;
    /// Which dead ends get candidates: every class but `boundary` (they go on
    /// outside the study area) by default.
    bool include_boundary = false;
    DeadEndOptions dead_ends;
    /// Barriers a link must not cross (read in the network's CRS).
    std::vector<BarrierLayer> barriers;
    /// Barrier label -> cost factor of a bridge or underpass across it, at
    /// least 1 (a structure never costs less than a road at grade; below 1 is
    /// a usage_error); a barrier without a factor (buildings) is never crossed.
    std::map<std::string, double> crossing_factor{{"river", 8.0}, {"railway", 5.0}};
    /// Road classes a link may neither join nor cross at grade: expressways
    /// (快速路) and their ramps (匝道). Railways are barriers (crossing_factor).
    std::set<RoadClass> no_at_grade{RoadClass::expressway, RoadClass::ramp};
    /// Consider at most this many dead ends, in order (0 = all).
    std::size_t max_dead_ends = 0;
    /// Target options tried per dead end, nearest first.
    std::size_t max_targets = 64;
    /// A target point within this distance (m) of an end of its edge, or
    /// within snap_m if larger, joins that node instead of splitting the edge
    /// a few cm from it (no stub left behind; two dead ends facing each other
    /// then give one link, merged as duplicates).
    double node_snap_m = 0.5;
};

struct ScoringOptions {
    CandidateObjective objective = CandidateObjective::od_saving;
    double reach_radius_m = 800.0;       ///< for the reach objective
    /// Money per km by class of the new link; empty = score per km.
    std::map<RoadClass, double> cost_per_km;
    std::string cost_unit = "万元";       ///< unit of the money in cost_per_km (labels only)
    std::optional<double> budget_km;     ///< greedy selection budget in km of new road
    std::optional<double> budget_cost;   ///< ... or in money (needs cost_per_km)
    unsigned threads = 1;                ///< speed only, never the result
    /// Speed only, never the result: keep the rows of node distances between
    /// greedy rounds and update them exactly for each pick (false: fresh
    /// Dijkstras every round, the naive re-score the tests compare with).
    bool reuse_rows = true;
};

/// One proposed link. The line runs from the dead end to the target point.
struct Candidate {
    std::uint32_t id = 0;                 ///< 1.. in dead-end order
    NodeId dead_end = kNoId;
    DeadEndClass dead_end_kind = DeadEndClass::cul_de_sac;
    RoadClass road_class = RoadClass::local; ///< class of the new link (the dead end's; 支路 for other)
    RoadClass dead_end_road_class = RoadClass::other; ///< class of the dead end's own road
    std::string name;                     ///< the dead end's road name
    LineString line;                      ///< [dead end, target point]
    EdgeId target_edge = kNoId;           ///< the edge split at the target (kNoId: a node)
    NodeId target_node = kNoId;           ///< the node joined (when not splitting)
    std::string target_name;
    RoadClass target_class = RoadClass::other;
    /// True when the dead end's own edge or the target edge (for a node: any
    /// edge at it) is one-way: the ranking ignores one-way rules, check these.
    bool oneway_target = false;
    double length_m = 0.0;
    std::int64_t length_mm = 0;
    std::vector<std::string> crosses;     ///< barrier labels crossed ("river: 卫运河")
    bool bridge = false;                  ///< a bridge or underpass candidate
    /// A bridge or underpass candidate is grade-separated from every existing
    /// road it crosses (no junction): how many it passes over (a road crossed
    /// twice counts twice; crossings at one point, through a node, count once)
    /// and their names in order along the link, each once ("unnamed 支路" for a
    /// road without a name). Empty for a link at grade.
    std::size_t passes_over_roads = 0;
    std::vector<std::string> passes_over;
    double factor = 1.0;                  ///< cost factor of the barriers crossed
    /// Money (cost_per_km given), else km × factor (cost-weighted km). The
    /// whole link is priced at the factor: it is added on layer 1 from end to
    /// end, so its grade-separated span (first to last barrier or road passed
    /// over) lies within it.
    double cost = 0.0;
    // scores alone, on the base network
    double od_saving_m = 0.0;             ///< total OD distance saving (m)
    std::size_t pairs_improved = 0, pairs_connected = 0, pairs_worse = 0;
    double reach_gain_m = 0.0;            ///< whole millimetres (rounded), so equal gains tie exactly
    int components_joined = 0;
    int dead_ends_removed = 0;
    double score = 0.0;                   ///< the objective's value
    double score_per_unit = 0.0;          ///< per km (or per unit of cost)
    /// 1 = best score_per_unit; ties: more newly connected pairs
    /// (pairs_connected), then the lower id.
    std::size_t rank = 0;
};

struct Pick {
    std::uint32_t candidate = 0;          ///< Candidate::id of the dead end's alone candidate
    std::size_t order = 0;                ///< 1..
    Candidate link;                       ///< as picked (target re-found on the network so far)
    double marginal_score = 0.0;          ///< objective gain given the earlier picks
    double marginal_od_saving_m = 0.0;
    std::size_t marginal_pairs_improved = 0, marginal_pairs_connected = 0;
    double total_km = 0.0, total_cost = 0.0, total_score = 0.0, total_od_saving_m = 0.0;
    std::size_t total_pairs_improved = 0; ///< pairs shorter than on the base network
    std::size_t total_pairs_connected = 0; ///< pairs without a path on the base network that have one now
};

struct CandidateResult {
    CandidateObjective objective = CandidateObjective::od_saving;
    bool per_cost = false;
    std::size_t dead_ends = 0, dead_ends_considered = 0;
    std::map<std::string, std::size_t> rejected;   ///< dead ends without a candidate, by reason
    /// Links proposed twice (two dead ends each other's target): the one of the
    /// later dead end is dropped, the earlier (lower id) kept.
    std::size_t duplicates_merged = 0;
    std::vector<Candidate> candidates;             ///< in id order
    std::vector<Pick> picks;                       ///< greedy selection in order
    std::string od_basis;
    std::size_t od_pairs = 0, od_pairs_connected = 0;
    double base_od_total_m = 0.0;                  ///< over pairs connected on the base network
    std::optional<double> budget_km, budget_cost;
    std::set<RoadClass> no_at_grade;               ///< as given in the options
    double reach_radius_m = 0.0;
    std::string cost_unit;                         ///< money unit when per_cost
    /// Why the greedy selection stopped ("" without a budget): "budget" (no
    /// candidate left fits the budget left), "no_gain" (none of those that fit
    /// gains anything under the objective: gain <= 0), "none_left" (no dead
    /// end left with a feasible candidate).
    std::string stop_reason;
    /// Candidates left when the selection stopped that did not fit the budget left.
    std::size_t stop_over_budget = 0;
    /// Of those, the cheapest one's km and cost (0 when none).
    double stop_cheapest_km = 0.0, stop_cheapest_cost = 0.0;
};

/// Candidates for every dead end (near misses first in the report), scored
/// alone; then the greedy selection when a budget is given. Throws usage_error
/// for a non-positive budget or max length or a cost for a class no link can
/// have (check_cost_classes), config_error for a link class without cost.
CandidateResult plan_candidates(const Network& network, const OdPairs& pairs, const CandidateOptions& options,
                                const ScoringOptions& scoring);

/// The class of a new link from a dead end on a road of class `dead_end`: its
/// own for 主干路, 次干路, 支路 and 辅路; 支路 for 快速路, 匝道 and 其他. No link is
/// ever of class 快速路, 匝道 or 其他.
RoadClass link_class_for(RoadClass dead_end);
/// Throws usage_error (naming the class and the classes a link can have) when
/// `cost_per_km` prices a class no link can have: that price would price
/// nothing. plan_candidates() calls it; the command calls it before reading.
void check_cost_classes(const std::map<RoadClass, double>& cost_per_km);

/// The attributes a candidate link is added with (class, name, bridge, level).
EdgeAttributes candidate_attributes(const Candidate& c);

/// The OD pair distances (mm, -1 = no path) after adding `links` in order,
/// evaluated incrementally, the points kept at their base seats; exposed for
/// tests, which compare it with od_distances() on the network with the links
/// really added, from the points' base feet.
std::vector<std::int64_t> incremental_od_after(const Network& network, const OdPairs& pairs,
                                               const std::vector<Candidate>& links, double snap_m,
                                               unsigned threads = 1);

/// Layers `candidates` and `selection` (valid scenario add-road inputs).
std::vector<OutLayer> candidate_layers(const CandidateResult& result);
std::string to_json(const CandidateResult& result);
std::string to_text(const CandidateResult& result);

} // namespace plan
