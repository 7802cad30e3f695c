// A coarse outline of China, for choosing the metric CRS of an analysis
// (choose_metric_crs): inside it the CGCS2000 3-degree Gauss-Krüger zone,
// outside it UTM. Drawn by hand for libplan along the land borders and off
// the coasts (Hainan, Taiwan and the coastal islands inside, Korea, Japan,
// the Philippines and Vietnam's coast outside), to within some 30 km. Border
// towns that face each other across a river (Heihe and Blagoveshchensk,
// Dandong and Sinuiju, Hekou and Lao Cai ...) fall on the Chinese side. Both
// choices are accurate there (scale error under 0.03 %); the outline only
// decides which one a local planner would expect. Not a boundary for any
// other use.
#include "crs/china_outline.hpp"

#include <cstddef>

namespace plan::detail {

namespace {

// (longitude, latitude), in order around the outline.
constexpr double kOutline[][2] = {
    // The Argun and the Amur, with Russia
    {121.2, 53.5}, {123.5, 53.8}, {126.0, 53.0}, {127.9, 50.0}, {130.0, 49.1}, {130.8, 47.9}, {132.5, 47.75},
    {134.8, 48.7},
    // The Ussuri and Lake Khanka, with Russia
    {133.3, 45.6}, {131.4, 44.8}, {131.3, 43.0}, {130.7, 42.3},
    // The Tumen and the Yalu, with North Korea
    {129.9, 42.9}, {128.9, 42.0}, {128.3, 41.3}, {127.0, 41.6}, {126.2, 41.0}, {124.3, 39.8},
    // The Yellow Sea and the East China Sea, west of Korea and Japan's islands
    {124.0, 39.0}, {123.9, 37.0}, {124.5, 33.0}, {123.5, 30.0}, {122.5, 25.7}, {122.4, 24.0}, {121.9, 21.8},
    // The South China Sea, with Hainan and the Paracels, off the Philippines and Vietnam
    {120.5, 21.3}, {117.5, 20.0}, {113.5, 15.8}, {111.0, 15.8}, {110.8, 17.0}, {108.3, 17.8}, {108.0, 21.45},
    // Vietnam
    {106.6, 22.0}, {106.7, 22.6}, {105.9, 23.0}, {105.3, 23.35}, {104.0, 22.75}, {103.95, 22.45}, {102.2, 22.45},
    // Laos and Myanmar
    {101.8, 21.1}, {101.1, 21.45}, {100.1, 21.4}, {99.2, 22.1}, {98.8, 23.3}, {97.5, 23.95}, {97.6, 24.8},
    {97.9, 25.3}, {98.7, 26.0}, {98.7, 27.5}, {97.3, 28.3},
    // India, Bhutan (the Chumbi valley), Nepal, along the Himalaya
    {96.0, 29.0}, {94.0, 28.9}, {92.0, 27.85}, {90.0, 28.3}, {89.4, 28.0}, {89.0, 27.2}, {88.7, 27.9},
    {86.0, 27.9}, {84.0, 29.2}, {82.0, 30.15}, {81.3, 30.2}, {80.5, 30.55}, {79.0, 31.0}, {78.7, 32.6}, {78.4, 33.7},
    // Ladakh, Pakistan, Afghanistan, Tajikistan
    {77.8, 35.6}, {76.0, 36.2}, {75.4, 36.8}, {74.5, 37.2}, {74.8, 38.6}, {73.5, 39.5},
    // Kyrgyzstan and Kazakhstan
    {75.0, 40.6}, {77.0, 41.0}, {78.5, 41.6}, {80.2, 42.2}, {80.1, 43.0}, {80.2, 44.2}, {80.8, 45.2},
    {82.6, 45.4}, {83.0, 47.25}, {85.5, 47.1}, {85.7, 48.4}, {87.3, 49.2},
    // Mongolia
    {87.8, 49.2}, {90.5, 47.5}, {91.0, 45.3}, {93.5, 44.9}, {95.3, 44.2}, {96.4, 42.7}, {100.0, 42.6},
    {104.5, 41.8}, {106.8, 42.3}, {109.5, 42.45}, {112.0, 43.75}, {112.2, 44.8}, {113.5, 44.9}, {116.0, 45.7},
    {117.4, 46.6}, {119.7, 46.6}, {119.9, 47.6}, {118.4, 48.0}, {117.3, 47.65}, {115.5, 47.9},
    // Russia, back to the Argun
    {116.7, 49.8}, {117.8, 49.75}, {119.3, 50.35}, {120.1, 51.5}, {121.2, 52.9},
};

} // namespace

bool in_china_outline(double lon, double lat) {
    // Even-odd rule: a ray towards +longitude crosses the outline an odd
    // number of times from inside.
    constexpr std::size_t n = sizeof(kOutline) / sizeof(kOutline[0]);
    bool inside = false;
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
        const double xi = kOutline[i][0], yi = kOutline[i][1];
        const double xj = kOutline[j][0], yj = kOutline[j][1];
        if ((yi > lat) != (yj > lat) && lon < xj + (lat - yj) * (xi - xj) / (yi - yj)) inside = !inside;
    }
    return inside;
}

} // namespace plan::detail
