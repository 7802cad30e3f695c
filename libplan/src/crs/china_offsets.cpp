// GCJ-02 and BD-09, the obfuscated coordinates of Chinese web maps, which PROJ
// deliberately does not support (PROJ issue #982). The forward formulas are
// public; they are written here from the math:
//
//  * GCJ-02 adds to WGS 84 a smooth offset of a few hundred metres, computed
//    as a polynomial-plus-sines function of (lon - 105, lat - 35) that yields
//    metres, turned into degrees with the meridian and prime-vertical radii of
//    curvature of the Krasovsky 1940 ellipsoid at the point's latitude.
//  * BD-09 perturbs GCJ-02 in polar form about (0, 0) and adds a constant
//    shift of (0.0065, 0.006) degrees.
//
// Neither has a closed-form inverse. Both forward maps are the identity plus a
// perturbation whose derivatives are small (a few hundredths at most), so the
// fixed point w = target - offset(w) converges geometrically (each step gains
// well over one digit) and a few iterations reach sub-millimetre agreement.
#include <cmath>
#include <numbers>

#include "plan/crs.hpp"

namespace plan {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kDeg = kPi / 180.0;

// Krasovsky 1940 ellipsoid as the GCJ-02 formulas use it.
constexpr double kKrasovskyA = 6378245.0;
constexpr double kKrasovskyE2 = 0.00669342162296594323;

// BD-09's angular constant: pi * 3000 / 180.
constexpr double kBdXPi = kPi * 3000.0 / 180.0;
constexpr double kBdShiftLon = 0.0065;
constexpr double kBdShiftLat = 0.006;

// Stop iterating once a step moves the estimate by less than this (degrees,
// about 0.1 mm); the cap only guards against a pathological input.
constexpr double kInverseTolerance = 1e-9;
constexpr int kInverseMaxSteps = 50;

// The shared periodic part of both offset components, in metres.
double periodic_term(double a) {
    return (20.0 * std::sin(6.0 * a * kPi) + 20.0 * std::sin(2.0 * a * kPi)) * 2.0 / 3.0;
}

// The GCJ-02 offset in metres along the meridian, x = lon - 105, y = lat - 35.
double gcj_north_metres(double x, double y) {
    double m = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::abs(x));
    m += periodic_term(x);
    m += (20.0 * std::sin(y * kPi) + 40.0 * std::sin(y / 3.0 * kPi)) * 2.0 / 3.0;
    m += (160.0 * std::sin(y / 12.0 * kPi) + 320.0 * std::sin(y / 30.0 * kPi)) * 2.0 / 3.0;
    return m;
}

// The GCJ-02 offset in metres along the parallel.
double gcj_east_metres(double x, double y) {
    double m = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::abs(x));
    m += periodic_term(x);
    m += (20.0 * std::sin(x * kPi) + 40.0 * std::sin(x / 3.0 * kPi)) * 2.0 / 3.0;
    m += (150.0 * std::sin(x / 12.0 * kPi) + 300.0 * std::sin(x / 30.0 * kPi)) * 2.0 / 3.0;
    return m;
}

// The GCJ-02 offset in degrees at a WGS 84 point (no bounding-box test).
Point gcj_offset_degrees(const Point& wgs) {
    const double x = wgs.x - 105.0;
    const double y = wgs.y - 35.0;
    const double phi = wgs.y * kDeg;
    const double s = std::sin(phi);
    const double w = 1.0 - kKrasovskyE2 * s * s;
    const double meridian_radius = kKrasovskyA * (1.0 - kKrasovskyE2) / (w * std::sqrt(w));
    const double parallel_radius = kKrasovskyA / std::sqrt(w) * std::cos(phi);
    return {gcj_east_metres(x, y) / (parallel_radius * kDeg), gcj_north_metres(x, y) / (meridian_radius * kDeg)};
}

Point gcj_forward(const Point& wgs) {
    const Point d = gcj_offset_degrees(wgs);
    return {wgs.x + d.x, wgs.y + d.y};
}

// BD-09 from GCJ-02 everywhere (the box test is done by the callers).
Point bd_forward(const Point& gcj) {
    const double r = std::hypot(gcj.x, gcj.y) + 0.00002 * std::sin(gcj.y * kBdXPi);
    const double theta = std::atan2(gcj.y, gcj.x) + 0.000003 * std::cos(gcj.x * kBdXPi);
    return {r * std::cos(theta) + kBdShiftLon, r * std::sin(theta) + kBdShiftLat};
}

// Solves forward(w) = target for w by the fixed point w += target - forward(w),
// starting from `start`.
template <class Forward>
Point invert(const Point& target, Point start, Forward forward) {
    Point w = start;
    for (int step = 0; step < kInverseMaxSteps; ++step) {
        const Point f = forward(w);
        const Point move{target.x - f.x, target.y - f.y};
        w.x += move.x;
        w.y += move.y;
        if (std::abs(move.x) < kInverseTolerance && std::abs(move.y) < kInverseTolerance) break;
    }
    return w;
}

} // namespace

bool in_china_box(const Point& lonlat) {
    return lonlat.x >= 72.004 && lonlat.x <= 137.8347 && lonlat.y >= 0.8293 && lonlat.y <= 55.8271;
}

Point wgs84_to_gcj02(const Point& lonlat) {
    if (!in_china_box(lonlat)) return lonlat;
    return gcj_forward(lonlat);
}

Point gcj02_to_wgs84(const Point& lonlat) {
    if (!in_china_box(lonlat)) return lonlat;
    return invert(lonlat, lonlat, gcj_forward);
}

Point gcj02_to_bd09(const Point& lonlat) {
    if (!in_china_box(lonlat)) return lonlat;
    return bd_forward(lonlat);
}

Point bd09_to_gcj02(const Point& lonlat) {
    if (!in_china_box(lonlat)) return lonlat;
    // Removing the constant shift is already within a few metres; iterate from there.
    return invert(lonlat, Point{lonlat.x - kBdShiftLon, lonlat.y - kBdShiftLat}, bd_forward);
}

Point bd09_to_wgs84(const Point& lonlat) { return gcj02_to_wgs84(bd09_to_gcj02(lonlat)); }

Point wgs84_to_bd09(const Point& lonlat) { return gcj02_to_bd09(wgs84_to_gcj02(lonlat)); }

} // namespace plan
