#include "plan/error.hpp"

namespace plan {

std::string describe(const ErrorContext& c) {
    std::string out;
    auto add = [&out](const std::string& part) {
        if (!out.empty()) out += ": ";
        out += part;
    };
    if (!c.file.empty()) add(c.file);
    if (!c.layer.empty()) add("layer '" + c.layer + "'");
    if (c.feature) add("feature " + std::to_string(*c.feature));
    if (c.line) add("line " + std::to_string(*c.line));
    if (!c.field.empty()) add("field '" + c.field + "'");
    return out;
}

static std::string compose(const std::string& message, const ErrorContext& c) {
    const std::string where = describe(c);
    return where.empty() ? message : where + ": " + message;
}

error::error(const std::string& message, ErrorContext context, std::string hint)
    : std::runtime_error(compose(message, context)),
      message_(message),
      context_(std::move(context)),
      hint_(std::move(hint)) {}

} // namespace plan
