#include "plan/layer.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "plan/error.hpp"

namespace plan {

const char* to_string(FieldType type) {
    switch (type) {
    case FieldType::integer: return "integer";
    case FieldType::real: return "real";
    case FieldType::string: return "string";
    case FieldType::date: return "date";
    default: return "other";
    }
}

bool is_null(const FieldValue& v) { return std::holds_alternative<std::monostate>(v); }

std::string to_text(const FieldValue& v) {
    if (auto i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (auto d = std::get_if<double>(&v)) return fmt::format("{}", *d);
    if (auto s = std::get_if<std::string>(&v)) return *s;
    return {};
}

std::optional<double> to_number(const FieldValue& v) {
    if (auto i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    if (auto d = std::get_if<double>(&v)) return *d;
    if (auto s = std::get_if<std::string>(&v)) {
        std::string t = *s;
        t.erase(0, t.find_first_not_of(" \t"));
        t.erase(t.find_last_not_of(" \t") + 1);
        if (t.empty()) return std::nullopt;
        char* end = nullptr;
        const double d = std::strtod(t.c_str(), &end);
        if (end != t.c_str() + t.size() || !std::isfinite(d)) return std::nullopt;
        return d;
    }
    return std::nullopt;
}

static std::string lower_ascii(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

int Layer::field_index(const std::string& field_name) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name == field_name) return static_cast<int>(i);
    const std::string lname = lower_ascii(field_name);
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (lower_ascii(fields[i].name) == lname) return static_cast<int>(i);
    return -1;
}

int Layer::require_field(const std::string& field_name, const std::string& option) const {
    const int i = field_index(field_name);
    if (i >= 0) return i;
    std::string known;
    for (const auto& f : fields) known += (known.empty() ? "" : ", ") + f.name;
    throw usage_error(option.empty() ? std::string("no such field") : option + " names a field that does not exist",
                      ErrorContext{source, name, {}, {}, field_name},
                      "fields of this layer: " + (known.empty() ? std::string("(none)") : known));
}

Envelope Layer::extent() const {
    Envelope e;
    for (const auto& f : features) e.expand(f.geometry.envelope());
    return e;
}

} // namespace plan
