#pragma once
// The road network every analysis runs on: nodes and edges held in vectors,
// each edge keeping its full geometry, length, road class, name, direction,
// level and the source features it came from. Edits (add a line noded into the
// network, remove, reclassify) change only what they touch; graph views for
// Boost.Graph are built from these vectors on demand (plan/network_graph.hpp).
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plan/crs.hpp"
#include "plan/geometry.hpp"

namespace plan {

using NodeId = std::uint32_t;
using EdgeId = std::uint32_t;
inline constexpr std::uint32_t kNoId = 0xFFFFFFFFu;

/// Road classes of GB/T 51328-2018 plus ramps, side roads and everything else.
enum class RoadClass : std::uint8_t { expressway, arterial, collector, local, ramp, side_road, other };
inline constexpr int kRoadClassCount = 7;
/// "expressway", "arterial", "collector", "local", "ramp", "side_road", "other".
const char* road_class_key(RoadClass c);
/// "快速路", "主干路", "次干路", "支路", "匝道", "辅路", "其他".
const char* road_class_label(RoadClass c);
/// Accepts a key or a Chinese label; nullopt when unknown.
std::optional<RoadClass> road_class_from_text(std::string_view text);

/// Direction of travel relative to the edge's geometry (from -> to).
enum class Oneway : std::int8_t { both = 0, forward = 1, backward = -1 };
const char* to_string(Oneway o);

/// A source feature: which input (index into Network::sources()) and its feature id.
struct SourceRef {
    std::uint32_t source = 0;
    std::int64_t fid = -1;
    friend auto operator<=>(const SourceRef&, const SourceRef&) = default;
};

/// What an edge is, apart from where it is.
struct EdgeAttributes {
    RoadClass road_class = RoadClass::other;
    std::string name;
    std::string source_class; ///< the source's own value ("primary", "主干路", ...)
    Oneway oneway = Oneway::both;
    bool bridge = false;
    bool tunnel = false;
    std::int32_t level = 0;   ///< grade: the layer value, else +1 bridge / -1 tunnel / 0
    friend bool operator==(const EdgeAttributes&, const EdgeAttributes&) = default;
};

struct Node {
    Point position;
};

struct Edge {
    NodeId from = kNoId;
    NodeId to = kNoId;
    LineString geometry;          ///< starts at node `from`, ends at node `to`
    double length = 0.0;          ///< metres, along the geometry
    EdgeAttributes attributes;
    std::vector<SourceRef> sources; ///< every source feature merged into this edge
    std::uint32_t duplicates_merged = 0; ///< identical source segments merged into it
    bool removed = false;
    bool self_loop() const { return from == to; }
};

/// How Network::add_line joins a new line to the network.
struct AddLineOptions {
    double snap = 0.0;     ///< ends within this distance of a node or an edge join it
    bool at_grade = true;  ///< also node where it crosses edges of the same level
};

class Network {
public:
    Network();
    ~Network();
    Network(Network&&) noexcept;
    Network& operator=(Network&&) noexcept;
    Network(const Network&);
    Network& operator=(const Network&);

    // --- reading -------------------------------------------------------------
    const std::vector<Node>& nodes() const { return nodes_; }
    const std::vector<Edge>& edges() const { return edges_; }
    const Node& node(NodeId n) const { return nodes_[n]; }
    const Edge& edge(EdgeId e) const { return edges_[e]; }
    /// Live (not removed) edges at a node; a self-loop appears twice.
    std::span<const EdgeId> incident(NodeId n) const;
    /// Physical streets at a node, as OSMnx counts them: live undirected edges,
    /// a self-loop counting twice.
    int street_count(NodeId n) const { return static_cast<int>(incident(n).size()); }
    /// The other end of edge e seen from node n.
    NodeId opposite(EdgeId e, NodeId n) const { return edges_[e].from == n ? edges_[e].to : edges_[e].from; }
    std::size_t live_edge_count() const { return live_edges_; }
    /// Nodes that have at least one live edge.
    std::size_t live_node_count() const;
    double total_length() const; ///< metres over live edges, each physical edge once
    Envelope extent() const;
    /// An envelope holding every live edge, kept with the spatial index: cheap to ask
    /// again and again, but it may be larger than extent() after edges were removed.
    /// For bounding searches (nearest edge), never for measures.
    Envelope search_bounds() const;
    /// Increases on every edit; views built earlier are stale when it differs.
    std::uint64_t revision() const { return revision_; }

    /// Labels of the inputs ("roads.shp:roads") that SourceRef::source indexes.
    const std::vector<std::string>& sources() const { return sources_; }
    std::uint32_t add_source(std::string label);
    const CrsRef& crs() const { return crs_; }
    void set_crs(CrsRef crs) { crs_ = std::move(crs); }

    // --- building and editing -------------------------------------------------
    NodeId add_node(Point p);
    /// The node at exactly this position, if any.
    std::optional<NodeId> find_node(Point p) const;
    /// Adds an edge between existing nodes; the geometry is adjusted to start and
    /// end exactly at their positions. Length is computed.
    EdgeId add_edge(NodeId from, NodeId to, LineString geometry, EdgeAttributes attributes,
                    std::vector<SourceRef> sources);
    /// Marks an edge removed and detaches it from its nodes. Idempotent.
    void remove_edge(EdgeId e);
    void reclassify(EdgeId e, RoadClass road_class);
    /// Records that `count` identical source pieces were merged into edge e (builder bookkeeping).
    void note_duplicates(EdgeId e, std::uint32_t count) { edges_.at(e).duplicates_merged = count; }
    /// Splits a live edge at a point on (or projected onto) its geometry; returns
    /// the node there (an existing end when the point is one). The two halves
    /// replace the edge, which is marked removed.
    NodeId split_edge(EdgeId e, Point at);
    /// Adds a line (for scenarios): its ends join the node or edge within
    /// `snap`, and it is noded where it crosses live edges of the same level.
    /// Returns the new edges in order along the line.
    std::vector<EdgeId> add_line(const LineString& line, const EdgeAttributes& attributes,
                                 const std::vector<SourceRef>& sources, const AddLineOptions& options = {});
    /// Live edges whose envelope meets `box` (uses a lazily built grid index).
    std::vector<EdgeId> edges_in(const Envelope& box) const;

private:
    struct Index;
    std::vector<Node> nodes_;
    std::vector<Edge> edges_;
    std::vector<std::vector<EdgeId>> incident_;
    std::vector<std::string> sources_;
    CrsRef crs_;
    std::size_t live_edges_ = 0;
    std::uint64_t revision_ = 0;
    mutable std::unique_ptr<Index> index_; ///< node positions and edge grid, built on demand
    void index_edge(EdgeId e) const;
};

} // namespace plan
