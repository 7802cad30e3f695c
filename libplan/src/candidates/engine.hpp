#pragma once
// Private to the candidates module: the exact geometry of a link as
// Network::add_line would add it (replayed on a local copy of the nearby
// edges), and the incremental OD evaluator (docs/candidates.md).
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <limits>
#include <map>
#include <tuple>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "metrics/road_graph.hpp"
#include "plan/accessibility.hpp"
#include "plan/candidates.hpp"
#include "plan/network.hpp"
#include "plan/od.hpp"

namespace plan::cand {

constexpr std::int64_t kInf = std::int64_t{1} << 60;
/// Runs f(i) for i in [0, n) on up to `threads` threads; f writes only its own slot.
template <class F> void parallel_for(std::size_t n, unsigned threads, F&& f) {
    const unsigned k = static_cast<unsigned>(std::min<std::size_t>(std::max(1u, threads), std::max<std::size_t>(n, 1)));
    if (k <= 1) { for (std::size_t i = 0; i < n; ++i) f(i, 0u); return; }
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> pool;
    std::exception_ptr failure;
    std::mutex m;
    auto work = [&](unsigned w) {
        try {
            for (std::size_t i; (i = next.fetch_add(1)) < n;) f(i, w);
        } catch (...) {
            std::lock_guard<std::mutex> lock(m);
            if (!failure) failure = std::current_exception();
            next = n;
        }
    };
    for (unsigned w = 1; w < k; ++w) pool.emplace_back(work, w);
    work(0);
    for (auto& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
}

inline std::int64_t add(std::int64_t a, std::int64_t b) { return (a >= kInf || b >= kInf) ? kInf : a + b; }

/// What add_line does for a straight link from a dead end: join an existing
/// node, or split one edge into two halves at a new node.
struct LinkShape {
    NodeId u = kNoId;
    NodeId t_node = kNoId;     ///< existing node joined (no split)
    EdgeId split = kNoId;      ///< the edge split (then a, b are its ends)
    NodeId a = kNoId, b = kNoId;
    Point p;                   ///< the target point as added
    LineString half_a, half_b, link;
    double len_a = 0, len_b = 0, len_link = 0;
    std::int64_t mm_a = 0, mm_b = 0, mm_link = 0;
};

/// Replays add_line on a local copy of the edges near `line`; nullopt (with
/// the reason) when the result is not a single link from `u` (the line
/// crosses a road at grade, or its start does not stay at `u`).
std::optional<LinkShape> replay_link(const Network& net, NodeId u, const LineString& line,
                                     const EdgeAttributes& attributes, double snap, std::string* why);

/// A point's seat on the network, in whole millimetres (as od_distances).
struct Seat {
    EdgeId edge = kNoId;
    NodeId from = kNoId, to = kNoId; ///< node ids (or kVirtual for the link's new node)
    std::int64_t along = 0, len = 0, leg = 0;
};
Seat seat_from(EdgeId edge, NodeId from, NodeId to, double edge_length_m, const NetworkSnap& snap);

/// The incremental evaluator: a working copy of the network, the OD seats and
/// the current pair distances, updated exactly link by link.
class Engine {
public:
    /// reuse_rows: keep the rows of node distances between score() calls and
    /// update them exactly in apply() (false: fresh Dijkstras every call; the
    /// same results, tested).
    Engine(const Network& base, const OdPairs& pairs, double snap, unsigned threads, bool reuse_rows = true);

    struct Prep;  // a link's effect on seats, in the current state
    struct Score {
        bool ok = false;
        double saving_m = 0;
        std::size_t improved = 0, connected = 0, worse = 0;
        double reach_gain_m = 0;
        std::vector<std::int64_t> pair_mm; ///< when asked for
    };
    /// Scores each link (line from its dead end `u`) alone on the current state.
    std::vector<Score> score(const std::vector<std::pair<NodeId, LineString>>& links,
                             const std::vector<EdgeAttributes>& attributes, bool keep_pairs, double reach_radius_m,
                             std::vector<std::optional<LinkShape>>* shapes = nullptr);
    /// Adds link `index` of the last score() call (made with keep_pairs) for real.
    void apply(std::size_t index, const LineString& line, const EdgeAttributes& attributes, Score score);

    const Network& network() const { return net_; }
    const RoadGraph& graph() const { return g_; }
    const std::vector<std::int64_t>& pair_mm() const { return pair_mm_; }
    const std::vector<std::int64_t>& base_pair_mm() const { return base_pair_mm_; }
    double snap() const { return snap_; }

private:
    Network net_;
    RoadGraph g_;
    OdPairs pairs_;
    double snap_;
    unsigned threads_;
    bool reuse_rows_ = true;
    // rows of node distances at the columns cols_ (col_of_: node -> column, -1)
    std::vector<NodeId> cols_;
    std::vector<std::int32_t> col_of_;
    std::unordered_map<NodeId, std::vector<std::int64_t>> rows_;
    using VKey = std::tuple<EdgeId, std::int64_t, std::int64_t>; ///< split edge, la, lb: a virtual target's row
    std::map<VKey, std::vector<std::int64_t>> vrows_;
    struct LinkRows {
        NodeId u = kNoId, T = kNoId;
        EdgeId split = kNoId;
        NodeId a = kNoId, b = kNoId;
        std::int64_t L = 0, la = 0, lb = 0;
    };
    std::vector<LinkRows> last_links_;
    std::vector<NetworkSnap> snaps_;
    std::vector<Seat> seats_;
    std::vector<std::int64_t> pair_mm_, base_pair_mm_;
    std::unordered_map<EdgeId, std::vector<std::uint32_t>> on_edge_;
    std::vector<std::vector<std::pair<std::uint32_t, std::pair<NetworkSnap, Seat>>>> last_moved_;
    void reseat(std::uint32_t i, const NetworkSnap& s);
};

} // namespace plan::cand
