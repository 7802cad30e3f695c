#pragma once
// The sample city as the generator builds it. Everything is laid out in a
// "design plane" (metres, axis-aligned arterial grid) and then bent by a smooth
// warp into EPSG:4548 near Linqing. A point shared by two roads in the design
// plane is warped by the same arithmetic, so junctions stay exact, and the warp
// gives the network its curves and uneven spacing.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "plan/geometry.hpp"

namespace plan::samplecity {

enum class RoadClass { expressway, arterial, collector, local };
/// The Chinese 等级 value: 快速路 / 主干路 / 次干路 / 支路.
const char* grade_name(RoadClass c);

/// One road as drawn in the design plane, before noding.
struct RoadLine {
    LineString pts;
    std::string name;
    RoadClass cls = RoadClass::local;
    bool oneway = false;
    bool bridge = false;
    bool tunnel = false;
    int layer = 0;
    /// Drawn as one CAD polyline: not split at junctions, and no vertex where it
    /// crosses another road (a T-end that meets it still gets a vertex).
    bool cad = false;
    /// Name changes along the road: the last entry whose threshold is <= the
    /// piece's design midpoint (x for east-west roads, y for north-south) wins.
    std::vector<std::pair<double, std::string>> names_along;
    bool names_along_y = false;
    std::string tag; ///< bookkeeping: skeleton id, defect id, "oldtown", ...
};

/// A road feature as written: one piece of a RoadLine after noding.
struct RoadFeature {
    LineString design;
    LineString geom; ///< EPSG:4548, rounded to millimetres
    std::string name;
    RoadClass cls = RoadClass::local;
    bool oneway = false, bridge = false, tunnel = false;
    int layer = 0;
    int line = -1; ///< index of the RoadLine it comes from
};

/// The smooth bend from the design plane into EPSG:4548.
class Warp {
public:
    explicit Warp(std::uint64_t seed);
    Point operator()(const Point& design) const;
    /// Densified (at most `step` design metres between vertices), warped and
    /// rounded to millimetres; consecutive repeats removed.
    LineString line(const LineString& design, double step = 20.0) const;
    Ring ring(const Ring& design, double step = 20.0) const;

private:
    double phase_[6];
};

/// Kinds of planted defects (dead-end classes of issue 4, plus the rest).
struct PlantedDefect {
    std::string id;     ///< CD01, NM01, ST01, BD01, IS01, DU01, SG01
    std::string kind;   ///< cul_de_sac, near_miss, stub, boundary, isolated, duplicate, skeleton_gap
    Point at;           ///< design plane; converted on output
    std::optional<Point> at2;
    std::string road;   ///< the road the defect is on
    std::string target; ///< near miss: the road it stops short of; gap: the skeleton line
    double measure = 0.0; ///< near miss: distance; stub: length; gap: planned length (computed on output)
    std::string note;
    std::vector<std::int64_t> fids; ///< road feature ids involved (filled on output)
};

/// A parcel before warping: a design polygon with its use.
struct ParcelDraft {
    Ring design; ///< closed, counter-clockwise
    std::string use; ///< R, A, B, M1, M2, M3, W, S, G
    std::string zone;
    std::string park;
    bool oldtown = false;
    bool vacant = false; ///< reserved (relocation target): no enterprise
};

struct NamedArea {
    std::string name;
    Ring design;
    std::string kind;
};

/// Everything the generator decides, in the design plane.
struct CityDesign {
    std::vector<RoadLine> roads;
    std::vector<PlantedDefect> defects;
    std::vector<ParcelDraft> parcels;
    std::vector<std::pair<std::size_t, Ring>> buildings; ///< parcel index, footprint
    Ring boundary;
    Ring river;
    std::vector<std::pair<std::string, LineString>> railways; ///< name, line
    std::vector<NamedArea> zones;
    std::vector<NamedArea> parks;
    struct SkeletonLine {
        std::string id, name, orientation;
        std::vector<std::string> aliases;
        LineString planned;
    };
    std::vector<SkeletonLine> skeleton;
    struct Link { std::string id, name, layer; RoadClass cls; bool bridge = false; LineString design; std::string opens; };
    std::vector<Link> scenario_links;
};

/// Lays out the city (roads, land, barriers, plants) for a seed.
CityDesign design_city(std::uint64_t seed);

/// Splits the design roads at their junctions (see RoadLine::cad and grade
/// separation: an interior crossing joins only lines of the same layer) and
/// warps the pieces.
std::vector<RoadFeature> node_roads(const std::vector<RoadLine>& roads, const Warp& warp);

/// Sutherland-Hodgman clip of a polygon by a convex polygon (both closed rings).
Ring clip_convex(const Ring& subject, const Ring& convex_clip);

} // namespace plan::samplecity
