#include "landuse/expression.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "plan/error.hpp"

namespace plan::landuse::expr {

const char* to_string(Missing m) {
    switch (m) {
    case Missing::none: return "none";
    case Missing::blank: return "blank value";
    case Missing::non_numeric: return "non-numeric value";
    case Missing::negative: return "negative value";
    case Missing::division_by_zero: return "division by zero";
    case Missing::absent_column: return "absent column";
    default: return "missing value";
    }
}

enum class Op { add, sub, mul, div, neg, lt, le, gt, ge, eq, ne, and_, or_, not_ };

struct Node {
    enum class Kind { number, text, ident, unary, binary, call } kind = Kind::number;
    double number = 0.0;
    std::string name; ///< identifier, text literal or function name
    Op op = Op::add;
    std::vector<std::shared_ptr<const Node>> args;
};

namespace {

using NodePtr = std::shared_ptr<const Node>;

enum class Tok { number, ident, text, op, lparen, rparen, comma, end };

struct Token {
    Tok kind = Tok::end;
    std::string text;
    double number = 0.0;
    std::size_t column = 1;
};

bool ident_start(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool ident_char(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

[[noreturn]] void fail(const std::string& text, std::size_t column, const std::string& what) {
    throw config_error(fmt::format("expression '{}': column {}: {}", text, column, what));
}

std::vector<Token> tokenize(const std::string& s) {
    std::vector<Token> out;
    std::size_t i = 0;
    auto starts = [&](const char* lit) { return s.compare(i, std::char_traits<char>::length(lit), lit) == 0; };
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') { ++i; continue; }
        Token t;
        t.column = i + 1;
        // The multiplication and division signs planners type (× U+00D7, ÷ U+00F7).
        if (starts("\xC3\x97")) { t.kind = Tok::op; t.text = "*"; i += 2; out.push_back(t); continue; }
        if (starts("\xC3\xB7")) { t.kind = Tok::op; t.text = "/"; i += 2; out.push_back(t); continue; }
        if (std::isdigit(c) || (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
            char* end = nullptr;
            t.kind = Tok::number;
            t.number = std::strtod(s.c_str() + i, &end);
            const std::size_t len = static_cast<std::size_t>(end - (s.c_str() + i));
            t.text = s.substr(i, len);
            i += len;
            if (i < s.size() && ident_char(static_cast<unsigned char>(s[i])))
                fail(s, i + 1, "a number runs into a name");
            out.push_back(t);
            continue;
        }
        if (ident_start(c)) {
            std::size_t j = i;
            while (j < s.size() && ident_char(static_cast<unsigned char>(s[j]))) ++j;
            t.text = s.substr(i, j - i);
            i = j;
            if (t.text == "and" || t.text == "or" || t.text == "not") t.kind = Tok::op;
            else t.kind = Tok::ident;
            out.push_back(t);
            continue;
        }
        if (c == '`') { // a column name with spaces or symbols: `R&D 经费`
            const std::size_t j = s.find('`', i + 1);
            if (j == std::string::npos) fail(s, i + 1, "unclosed `quoted name`");
            t.kind = Tok::ident;
            t.text = s.substr(i + 1, j - i - 1);
            if (t.text.empty()) fail(s, i + 1, "empty `quoted name`");
            i = j + 1;
            out.push_back(t);
            continue;
        }
        if (c == '"' || c == '\'') {
            const std::size_t j = s.find(static_cast<char>(c), i + 1);
            if (j == std::string::npos) fail(s, i + 1, "unclosed text literal");
            t.kind = Tok::text;
            t.text = s.substr(i + 1, j - i - 1);
            i = j + 1;
            out.push_back(t);
            continue;
        }
        static const char* two[] = {"<=", ">=", "==", "!=", "&&", "||"};
        bool matched = false;
        for (const char* op : two)
            if (starts(op)) {
                t.kind = Tok::op;
                t.text = op;
                i += 2;
                matched = true;
                break;
            }
        if (matched) { out.push_back(t); continue; }
        switch (c) {
        case '+': case '-': case '*': case '/': case '<': case '>': case '!':
            t.kind = Tok::op; t.text = std::string(1, static_cast<char>(c)); break;
        case '(': t.kind = Tok::lparen; t.text = "("; break;
        case ')': t.kind = Tok::rparen; t.text = ")"; break;
        case ',': t.kind = Tok::comma; t.text = ","; break;
        case '=': fail(s, i + 1, "'=' is not an operator; compare with '=='");
        default: fail(s, i + 1, fmt::format("unexpected character '{}'", s.substr(i, 1)));
        }
        ++i;
        out.push_back(t);
    }
    Token end;
    end.column = s.size() + 1;
    out.push_back(end);
    return out;
}

struct FunctionSpec {
    const char* name;
    std::size_t min_args;
    std::size_t max_args;
};
constexpr FunctionSpec kFunctions[] = {
    {"min", 1, 64}, {"max", 1, 64}, {"abs", 1, 1}, {"if", 3, 3}, {"coalesce", 1, 64}, {"round", 1, 2},
};

class Parser {
public:
    Parser(const std::string& text, std::vector<Token> tokens) : text_(text), toks_(std::move(tokens)) {}

    NodePtr parse_all() {
        NodePtr n = parse_or();
        if (peek().kind != Tok::end) fail(text_, peek().column, fmt::format("unexpected '{}'", peek().text));
        return n;
    }
    std::vector<std::string> identifiers;

private:
    const std::string& text_;
    std::vector<Token> toks_;
    std::size_t pos_ = 0;

    const Token& peek() const { return toks_[pos_]; }
    Token take() { return toks_[pos_++]; }
    bool is_op(const char* a, const char* b = nullptr) const {
        return peek().kind == Tok::op && (peek().text == a || (b && peek().text == b));
    }
    static NodePtr binary(Op op, NodePtr l, NodePtr r) {
        auto n = std::make_shared<Node>();
        n->kind = Node::Kind::binary;
        n->op = op;
        n->args = {std::move(l), std::move(r)};
        return n;
    }
    static NodePtr unary(Op op, NodePtr a) {
        auto n = std::make_shared<Node>();
        n->kind = Node::Kind::unary;
        n->op = op;
        n->args = {std::move(a)};
        return n;
    }

    NodePtr parse_or() {
        NodePtr l = parse_and();
        while (is_op("or", "||")) { take(); l = binary(Op::or_, l, parse_and()); }
        return l;
    }
    NodePtr parse_and() {
        NodePtr l = parse_not();
        while (is_op("and", "&&")) { take(); l = binary(Op::and_, l, parse_not()); }
        return l;
    }
    NodePtr parse_not() {
        if (is_op("not", "!")) { take(); return unary(Op::not_, parse_not()); }
        return parse_comparison();
    }
    NodePtr parse_comparison() {
        NodePtr l = parse_additive();
        static const std::pair<const char*, Op> ops[] = {{"<", Op::lt}, {"<=", Op::le}, {">", Op::gt},
                                                         {">=", Op::ge}, {"==", Op::eq}, {"!=", Op::ne}};
        for (const auto& [s, op] : ops)
            if (is_op(s)) {
                take();
                NodePtr r = parse_additive();
                for (const auto& [s2, op2] : ops)
                    if (is_op(s2)) fail(text_, peek().column, "comparisons cannot be chained; use 'and'");
                return binary(op, l, r);
            }
        return l;
    }
    NodePtr parse_additive() {
        NodePtr l = parse_multiplicative();
        while (is_op("+", "-")) {
            const Op op = take().text == "+" ? Op::add : Op::sub;
            l = binary(op, l, parse_multiplicative());
        }
        return l;
    }
    NodePtr parse_multiplicative() {
        NodePtr l = parse_unary();
        while (is_op("*", "/")) {
            const Op op = take().text == "*" ? Op::mul : Op::div;
            l = binary(op, l, parse_unary());
        }
        return l;
    }
    NodePtr parse_unary() {
        if (is_op("-")) { take(); return unary(Op::neg, parse_unary()); }
        if (is_op("+")) { take(); return parse_unary(); }
        return parse_primary();
    }
    NodePtr parse_primary() {
        const Token t = take();
        auto n = std::make_shared<Node>();
        switch (t.kind) {
        case Tok::number: n->kind = Node::Kind::number; n->number = t.number; return n;
        case Tok::text: n->kind = Node::Kind::text; n->name = t.text; return n;
        case Tok::lparen: {
            NodePtr inner = parse_or();
            if (peek().kind != Tok::rparen) fail(text_, peek().column, "missing ')'");
            take();
            return inner;
        }
        case Tok::ident:
            if (peek().kind == Tok::lparen) return parse_call(t);
            n->kind = Node::Kind::ident;
            n->name = t.text;
            identifiers.push_back(t.text);
            return n;
        case Tok::end: fail(text_, t.column, "the expression ends too early");
        default: fail(text_, t.column, fmt::format("unexpected '{}'", t.text));
        }
    }
    NodePtr parse_call(const Token& name) {
        const FunctionSpec* spec = nullptr;
        for (const auto& f : kFunctions)
            if (name.text == f.name) spec = &f;
        if (!spec) {
            std::string known;
            for (const auto& f : kFunctions) known += std::string(known.empty() ? "" : ", ") + f.name;
            fail(text_, name.column, fmt::format("unknown function '{}' (known: {})", name.text, known));
        }
        take(); // (
        auto n = std::make_shared<Node>();
        n->kind = Node::Kind::call;
        n->name = name.text;
        if (peek().kind != Tok::rparen) {
            for (;;) {
                n->args.push_back(parse_or());
                if (peek().kind == Tok::comma) { take(); continue; }
                break;
            }
        }
        if (peek().kind != Tok::rparen) fail(text_, peek().column, "missing ')' after the arguments");
        take();
        if (n->args.size() < spec->min_args || n->args.size() > spec->max_args)
            fail(text_, name.column, fmt::format("{}() takes {} argument(s), got {}", spec->name,
                                                 spec->min_args == spec->max_args ? std::to_string(spec->min_args)
                                                 : std::to_string(spec->min_args) + " or more",
                                                 n->args.size()));
        return n;
    }
};

Value as_number(const Value& v) {
    if (v.kind != Value::Kind::text) return v;
    const char* b = v.text.c_str();
    char* end = nullptr;
    const double d = std::strtod(b, &end);
    if (end == b || *end != '\0' || !std::isfinite(d)) return Value::missing(Missing::non_numeric, v.field);
    return Value::of(d);
}

Value eval(const Node& n, const Environment& env);

Value compare(Op op, const Value& a, const Value& b) {
    if (a.is_missing()) return a;
    if (b.is_missing()) return b;
    int c = 0;
    const Value na = as_number(a), nb = as_number(b);
    if (na.is_number() && nb.is_number()) c = na.number < nb.number ? -1 : (na.number > nb.number ? 1 : 0);
    else if (a.kind == Value::Kind::text && b.kind == Value::Kind::text) c = a.text.compare(b.text) < 0 ? -1 : (a.text == b.text ? 0 : 1);
    else if (op == Op::eq) return Value::of(0.0); // a number is never equal to a non-numeric text
    else if (op == Op::ne) return Value::of(1.0);
    else return Value::missing(Missing::non_numeric, na.is_missing() ? a.field : b.field);
    bool r = false;
    switch (op) {
    case Op::lt: r = c < 0; break;
    case Op::le: r = c <= 0; break;
    case Op::gt: r = c > 0; break;
    case Op::ge: r = c >= 0; break;
    case Op::eq: r = c == 0; break;
    default: r = c != 0; break;
    }
    return Value::of(r ? 1.0 : 0.0);
}

Value arithmetic(Op op, const Value& a0, const Value& b0) {
    const Value a = as_number(a0);
    if (a.is_missing()) return a;
    const Value b = as_number(b0);
    if (b.is_missing()) return b;
    switch (op) {
    case Op::add: return Value::of(a.number + b.number);
    case Op::sub: return Value::of(a.number - b.number);
    case Op::mul: return Value::of(a.number * b.number);
    default:
        if (b.number == 0.0) return Value::missing(Missing::division_by_zero, b0.field);
        return Value::of(a.number / b.number);
    }
}

Value call(const Node& n, const Environment& env) {
    if (n.name == "if") {
        const Value c = eval(*n.args[0], env);
        if (c.is_missing()) return c;
        return eval(*n.args[truthy(c) ? 1 : 2], env);
    }
    if (n.name == "coalesce") {
        Value last;
        for (const auto& a : n.args) {
            last = eval(*a, env);
            if (!last.is_missing()) return last;
        }
        return last;
    }
    std::vector<double> xs;
    for (const auto& a : n.args) {
        const Value v = as_number(eval(*a, env));
        if (v.is_missing()) return v;
        xs.push_back(v.number);
    }
    if (n.name == "min") return Value::of(*std::min_element(xs.begin(), xs.end()));
    if (n.name == "max") return Value::of(*std::max_element(xs.begin(), xs.end()));
    if (n.name == "abs") return Value::of(std::fabs(xs[0]));
    // round(x, digits)
    const double scale = std::pow(10.0, xs.size() > 1 ? xs[1] : 0.0);
    return Value::of(std::round(xs[0] * scale) / scale);
}

Value eval(const Node& n, const Environment& env) {
    switch (n.kind) {
    case Node::Kind::number: return Value::of(n.number);
    case Node::Kind::text: return Value::of_text(n.name);
    case Node::Kind::ident: {
        Value v = env(n.name);
        if (v.field.empty()) v.field = n.name;
        return v;
    }
    case Node::Kind::call: return call(n, env);
    case Node::Kind::unary: {
        const Value a = eval(*n.args[0], env);
        if (n.op == Op::not_) return a.is_missing() ? a : Value::of(truthy(a) ? 0.0 : 1.0);
        const Value na = as_number(a);
        return na.is_missing() ? na : Value::of(-na.number);
    }
    case Node::Kind::binary: break;
    }
    if (n.op == Op::and_ || n.op == Op::or_) {
        const Value a = eval(*n.args[0], env);
        const bool ta = !a.is_missing() && truthy(a);
        if (n.op == Op::and_ && !ta) return a.is_missing() ? a : Value::of(0.0);
        if (n.op == Op::or_ && ta) return Value::of(1.0);
        const Value b = eval(*n.args[1], env);
        if (b.is_missing()) return (n.op == Op::or_ && a.is_missing()) ? a : b;
        return Value::of(truthy(b) ? 1.0 : 0.0);
    }
    const Value a = eval(*n.args[0], env);
    const Value b = eval(*n.args[1], env);
    switch (n.op) {
    case Op::add: case Op::sub: case Op::mul: case Op::div: return arithmetic(n.op, a, b);
    default: return compare(n.op, a, b);
    }
}

} // namespace

bool truthy(const Value& v) {
    if (v.is_missing()) return false;
    if (v.is_number()) return v.number != 0.0;
    std::string t = v.text;
    t.erase(0, t.find_first_not_of(" \t"));
    t.erase(t.find_last_not_of(" \t") + 1);
    for (auto& c : t)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    static const char* yes[] = {"1", "true", "yes", "y", "t", "是", "有"};
    for (const char* y : yes)
        if (t == y) return true;
    const Value n = as_number(v);
    return n.is_number() && n.number != 0.0;
}

Expression Expression::parse(const std::string& text) {
    Parser p(text, tokenize(text));
    Expression e;
    e.text_ = text;
    e.root_ = p.parse_all();
    e.identifiers_ = std::move(p.identifiers);
    std::sort(e.identifiers_.begin(), e.identifiers_.end());
    e.identifiers_.erase(std::unique(e.identifiers_.begin(), e.identifiers_.end()), e.identifiers_.end());
    return e;
}

Value Expression::evaluate(const Environment& env) const {
    if (!root_) return Value::missing(Missing::other);
    return eval(*root_, env);
}

bool Expression::test(const Environment& env) const { return truthy(evaluate(env)); }

} // namespace plan::landuse::expr
