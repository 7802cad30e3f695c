#pragma once
// Hand-made scenes for the skeleton tests: roads built into a network in
// crossings mode, and specs written as TOML text.
#include <string>
#include <vector>

#include "../network/network_fixtures.hpp"
#include "plan/network_build.hpp"
#include "plan/skeleton.hpp"

namespace plan::test {

inline Network build_scene(const std::vector<Road>& roads) {
    BuildOptions o;
    o.noding = Noding::crossings;
    o.snap = 0.0;
    return build_network(make_roads(roads), o);
}

inline const SkeletonLineResult& line_of(const SkeletonResult& r, const std::string& id) {
    for (const auto& l : r.lines)
        if (l.id == id) return l;
    throw std::runtime_error("no line " + id);
}

} // namespace plan::test
