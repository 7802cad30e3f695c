#pragma once
#include <string>

namespace plan {
/// libplan's version, and the versions of GDAL, GEOS and PROJ it runs with.
std::string version();
std::string library_versions();
} // namespace plan
