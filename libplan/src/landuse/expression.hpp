#pragma once
// A small, safe expression language for methodology files: arithmetic over
// table fields (+ - * / and × ÷), comparisons, and/or/not, and a few
// functions. No loops, no assignment, nothing that touches the machine, so a
// method file found on a colleague's disk can be evaluated without risk.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace plan::landuse::expr {

/// Why a value is missing; the first cause met is the one reported.
enum class Missing { none, blank, non_numeric, negative, division_by_zero, absent_column, other };
const char* to_string(Missing m);

/// A value during evaluation: a number, a text, or missing with its cause.
struct Value {
    enum class Kind { number, text, missing } kind = Kind::missing;
    double number = 0.0;
    std::string text;
    Missing cause = Missing::blank;
    std::string field; ///< the field that caused a missing value ("" if none)

    static Value of(double d) { Value v; v.kind = Kind::number; v.number = d; v.cause = Missing::none; return v; }
    static Value of_text(std::string s) { Value v; v.kind = Kind::text; v.text = std::move(s); v.cause = Missing::none; return v; }
    static Value missing(Missing why, std::string field = {}) { Value v; v.cause = why; v.field = std::move(field); return v; }
    bool is_number() const { return kind == Kind::number; }
    bool is_missing() const { return kind == Kind::missing; }
};

/// Looks up an identifier's value for one row.
using Environment = std::function<Value(const std::string& name)>;

struct Node;

/// A parsed expression. Parsing throws plan::config_error naming the column
/// (in UTF-8 bytes) of the fault; evaluation never throws for data reasons
/// (missing values propagate instead).
class Expression {
public:
    Expression() = default;
    static Expression parse(const std::string& text);

    const std::string& text() const { return text_; }
    /// The identifiers (field names) the expression reads, sorted, unique.
    const std::vector<std::string>& identifiers() const { return identifiers_; }
    bool empty() const { return !root_; }

    Value evaluate(const Environment& env) const;
    /// As a condition: true for a non-zero number or a "yes" text (1, true,
    /// yes, y, 是, 有); false for zero, "no" texts and missing values.
    bool test(const Environment& env) const;

private:
    std::string text_;
    std::shared_ptr<const Node> root_;
    std::vector<std::string> identifiers_;
};

/// Truthiness of a value as a condition (see Expression::test).
bool truthy(const Value& v);

} // namespace plan::landuse::expr
