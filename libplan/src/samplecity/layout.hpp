#pragma once
// Private to the layout: the design-plane grid of the sample city.
#include <string>
#include <vector>

#include "samplecity/model.hpp"
#include "samplecity/random.hpp"
#include <cstdint>

namespace plan::samplecity::layout {

// Design-plane positions (metres) of the named lines. East-west: H4 (south) to
// H1 (north); north-south: V1 (west, across the river) to V7, then the railway,
// the development zone and the expressway.
inline constexpr double V1 = 1000, RW = 1650, RE = 2150, V2 = 2700, V3 = 3700, V4 = 4800,
                        V4W = 4770, V4E = 4830, V5 = 5900, V6 = 7100, V7 = 8300, RAILW = 8850,
                        RAIL = 9000, FR = 9150, PE = 10900, EXP = 11300;
inline constexpr double H4 = 1500, H3 = 3100, H2 = 4600, H1 = 6400, NORTH = 7500, PARKS = 500,
                        V5GAP = 5600;
inline constexpr double FAR_S = -600, FAR_N = 9600, FAR_W = -600, FAR_E = 12600;

enum class CellKind { residential, centre, industry, logistics, park, oldtown };

struct SubBlock {
    double x0, x1, y0, y1;
    double in_w, in_e, in_s, in_n; ///< parcel setback from each side (half road width + verge)
    std::vector<double> splits;     ///< x of planted roads running into the block
    bool arterial_front = false;
};

struct Cell {
    double x0, x1, y0, y1;
    CellKind kind;
    std::string zone, park;
    double in_w, in_e, in_s, in_n;
    std::vector<SubBlock> blocks;
};

/// A line that crosses whole cells: a collector or a CAD line of the park.
struct Through {
    bool horizontal;
    double pos, lo, hi;
    bool cad;
};

/// The centreline of the Wei canal (卫运河) at a design y, and its half-width.
double river_centre(double y, double phase);
double river_half_width(double y, double phase);

/// Builds the design: roads first (roads.cpp), then plants (plants.cpp), then
/// land and areas (land.cpp), so that later steps can see earlier ones.
class Builder {
public:
    explicit Builder(std::uint64_t seed);
    CityDesign build();

private:
    // roads.cpp
    void arterials();
    void throughs();
    void cells();
    void fill(Cell& cell, Rng& rng);
    void oldtown();
    void oldtown_patch(double x0, double x1, double y0, double y1, int nx, int ny,
                       const std::vector<std::string>& rows, const std::vector<std::string>& cols,
                       const std::vector<double>& avoid_west, std::vector<double>* west_nodes, Rng& rng,
                       int factories);
    int add(RoadLine road);
    RoadLine road(LineString pts, const std::string& name, RoadClass cls) const;
    LineString clip(const LineString& line) const;
    std::string local_name(Rng& rng);
    // plants.cpp
    void plants();
    double clearance(const Point& p, const std::vector<int>& exclude) const;
    int line_at(const Point& p, int exclude) const;
    void plant_dead_end(const std::string& id, const std::string& kind, Cell& cell, double gap, Rng& rng);
    void plant_gap_pair(const std::string& id1, const std::string& id2, Cell& cell, double gap);
    void plant_stub(const std::string& id, double length, Rng& rng);
    void plant_isolated();
    // land.cpp
    void parcels();
    void oldtown_parcel(const std::vector<Point>& quad, const std::string& use);
    void areas();
    void skeleton();

    std::uint64_t seed_;
    Rng rng_;
    Warp warp_;
    CityDesign city_;
    std::vector<Cell> cells_;
    std::vector<Through> throughs_;
    std::vector<std::string> names_;
    std::size_t next_name_ = 0;
    double river_phase_ = 0.0;
    /// Verticals that end on a horizontal line (candidates for overshoot stubs).
    std::vector<int> t_verticals_;
    /// Old-town lattice cells: corner points and the land use drawn for them.
    std::vector<std::pair<std::vector<Point>, std::string>> oldtown_cells_;
};

} // namespace plan::samplecity::layout
