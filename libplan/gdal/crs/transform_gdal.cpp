// The general case of plan::Transform: the coordinate operation GDAL chooses
// between two CRSs (the Chinese web-map offsets are handled by the caller).
#include <memory>

#include <cpl_error.h>
#include <ogr_spatialref.h>

#include "crs/srs.hpp"
#include "module_impl.hpp"
#include "plan/error.hpp"

namespace plan::detail {
namespace {

struct CoordinateTransformationDelete {
    void operator()(OGRCoordinateTransformation* ct) const { OGRCoordinateTransformation::DestroyCT(ct); }
};

class GdalTransformer final : public PointTransformer {
public:
    explicit GdalTransformer(OGRCoordinateTransformation* ct) : ct_(ct) {}
    bool apply(double& x, double& y) const override {
        int ok = 0;
        return ct_->Transform(1, &x, &y, nullptr, &ok) && ok;
    }
    std::string last_message() const override { return last_gdal_message(); }

private:
    std::unique_ptr<OGRCoordinateTransformation, CoordinateTransformationDelete> ct_;
};

} // namespace

std::unique_ptr<PointTransformer> make_gdal_transformer(const CrsRef& from, const CrsRef& to) {
    init_gdal_crs();
    auto source = to_spatial_reference(from);
    auto target = to_spatial_reference(to);
    if (source->IsSame(target.get())) return nullptr;
    CPLErrorReset();
    OGRCoordinateTransformation* ct = OGRCreateCoordinateTransformation(source.get(), target.get());
    if (!ct) throw crs_error("no transformation from " + from.label() + " to " + to.label() + ": " + last_gdal_message());
    return std::make_unique<GdalTransformer>(ct);
}

} // namespace plan::detail
