// A program outside libplan's build that uses its installed package.
#include <cstdio>

#include "plan/geometry.hpp"
#include "plan/version.hpp"

int main() {
    const plan::LineString line{{0, 0}, {3, 4}};
    std::printf("libplan %s, length %.1f\n", plan::version().c_str(), plan::length(line));
    return plan::length(line) == 5.0 ? 0 : 1;
}
