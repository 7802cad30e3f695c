#pragma once
// Land efficiency (亩均论英雄): per-mu indicators of enterprises, scored by a
// methodology held as data (a TOML file, see docs/landuse-method.md), ranked
// into A/B/C/D classes within scope groups, and carried to parcels, parks,
// zones, industries and land-use classes. Low-efficiency land (D class and
// zombie enterprises) is listed as the stock for 退城入园 and 腾笼换鸟.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "plan/crs.hpp"
#include "plan/layer.hpp"
#include "plan/output.hpp"

namespace plan::landuse {

// ---- units ---------------------------------------------------------------
inline constexpr double m2_per_mu = 10000.0 / 15.0;
inline constexpr double m2_per_ha = 10000.0;
inline constexpr double m2_per_acre = 4046.8564224;
inline double mu_from_m2(double m2) { return m2 / m2_per_mu; }
inline double ha_from_m2(double m2) { return m2 / m2_per_ha; }
inline double acres_from_m2(double m2) { return m2 / m2_per_acre; }

// ---- the methodology -------------------------------------------------------
enum class ScoringForm { benchmark_ratio, min_max };
enum class BenchmarkKind { fixed, mean, median, percentile };
/// What a missing indicator value (blank, non-numeric, negative, division by
/// zero) does to the enterprise.
enum class MissingRule {
    exclude,       ///< the enterprise is not graded (counted by reason)
    zero,          ///< the sub-score is 0
    group_average, ///< the sub-score is the mean sub-score of the scope group's others
};
enum class ClassBy { rank_share, threshold };
/// Where an enterprise's land area comes from.
enum class AreaSource { geometry, table, table_else_geometry };
/// Enterprises sharing one parcel: evaluated as one unit that they all share,
/// or each on an equal split of the parcel.
enum class SharedParcel { combine, split_equal };

struct Indicator {
    std::string id;          ///< short key, used in output column names
    std::string name;        ///< the planner's name, e.g. 亩均税收
    std::string expression;  ///< over table fields and land_mu / land_m2 / land_ha
    double weight = 0.0;
    ScoringForm form = ScoringForm::benchmark_ratio;
    BenchmarkKind benchmark = BenchmarkKind::mean;
    double benchmark_value = 0.0; ///< fixed: the benchmark; percentile: p in [0, 100]
    std::optional<double> cap;     ///< absolute cap on the sub-score
    double floor = 20.0;           ///< min_max: the score (of 100) the group's minimum gets
    MissingRule missing = MissingRule::exclude;
    std::int64_t line = 0;         ///< line in the method file (for messages)
};

struct ClassRule {
    ClassBy by = ClassBy::rank_share;
    /// rank_share: cumulative shares, one per class but the last (A 0.2, B 0.6, ...);
    /// threshold: minimum scores, one per class but the last, descending.
    std::vector<double> limits;
};

struct ScopeGroup {
    std::string id;
    std::string name;                 ///< e.g. 规上
    std::string when;                 ///< condition; "" = every enterprise
    double min_land_mu = 0.0;         ///< below: not graded (reason below_min_land)
    std::vector<std::string> exclude_industries; ///< exact names or code prefixes: measured, not graded
    std::vector<Indicator> indicators;
    ClassRule classes;
};

/// A condition that limits the class: veto (best allowed class) or protection
/// (worst allowed class).
struct ClassLimit {
    std::string name;  ///< e.g. "安全环保事故"
    std::string when;  ///< condition
    std::string limit; ///< class name
};

struct Method {
    std::string name;
    std::string title;
    std::string source; ///< file the method came from ("builtin:zhejiang" when embedded)
    std::vector<std::string> class_names{"A", "B", "C", "D"};
    /// Logical name -> table column. Expressions use logical names; a name
    /// with no entry is taken as a column name itself.
    std::map<std::string, std::string> fields;
    AreaSource area = AreaSource::table_else_geometry;
    std::string table_area_unit = "mu"; ///< mu, m2 or ha
    double area_tolerance = 0.2;        ///< relative table/geometry difference that is reported
    SharedParcel shared = SharedParcel::combine;
    std::vector<ScopeGroup> groups;
    std::vector<ClassLimit> vetoes;
    std::vector<ClassLimit> protections;
    std::string zombie;                 ///< condition for a zombie enterprise ("" = none)
    /// The evaluation year ([method] year), read by rules as `eval_year`
    /// (e.g. a new enterprise: founded >= eval_year). Inputs::year overrides it.
    std::optional<int> year;
};

/// Parses a method from TOML text. Throws config_error with file, line and key.
Method parse_method(const std::string& toml_text, const std::string& source_name);
/// Loads a method: a file path, or the name of a built-in one (zhejiang, shandong).
Method load_method(const std::string& path_or_name);
/// The built-in methods' names and TOML texts (identical to data/methods/*.toml).
std::vector<std::string> builtin_method_names();
const std::string& builtin_method_text(const std::string& name);

// ---- inputs ----------------------------------------------------------------
struct Inputs {
    /// The evaluation year (--year), overriding the method's `year`.
    std::optional<int> year;
    /// Enterprise table (any columns; point geometry when joined spatially).
    const Layer* enterprises = nullptr;
    /// Parcel polygons in a metric CRS; optional when the table has land areas.
    const Layer* parcels = nullptr;
    /// Parcel id column in the parcel layer; "" = join spatially (enterprise
    /// points inside parcels) when the table has no parcel field.
    std::string parcel_id_field;
    /// Column of the enterprise table naming the parcel; "" = method field "parcel".
    std::string enterprise_parcel_field;
    std::string landuse_field;   ///< parcel column: land-use class ("" = method field "landuse" if present)
    std::string park_field;      ///< parcel column: park name, when no park layer is given
    std::string zone_field;      ///< parcel column: zone name, when no zone layer is given
    const Layer* parks = nullptr;  ///< polygons; a parcel belongs to the one holding its centroid
    const Layer* zones = nullptr;
    std::string region_name_field; ///< name column of parks/zones ("" = "name", else first text field)
    /// Overrides of the method's field mapping (logical name -> column), e.g. from --field.
    std::map<std::string, std::string> field_overrides;
    /// Coordinate columns of the enterprise table (--xy X,Y): enterprise points
    /// for the spatial join, used instead of any parcel id column or geometry.
    std::string x_field, y_field;
    /// CRS of x_field / y_field (--xy-crs); unknown = the parcels' CRS.
    CrsRef xy_crs;
};

// ---- results ---------------------------------------------------------------
enum class Severity { warning, excluded };

/// One finding about the input, tied to a table row or a parcel.
struct Issue {
    Severity severity = Severity::warning;
    std::string code;     ///< stable key: unknown_parcel, duplicate_id, negative_value, ...
    std::string table;    ///< "enterprises" or "parcels"
    std::int64_t row = 0; ///< 1-based data row (header not counted); 0 when not about a row
    std::string id;       ///< enterprise or parcel id
    std::string field;
    std::string message;
};

struct IndicatorValue {
    std::optional<double> value;
    std::optional<double> sub_score;
    bool capped = false;
    std::string note;     ///< e.g. "missing (division by zero): group average sub-score"
};

enum class Status { graded, measured, excluded };
const char* to_string(Status s);

struct EnterpriseResult {
    std::int64_t row = 0;
    std::string id;
    std::string name;
    std::string parcel_id;
    std::string unit;       ///< evaluation unit: the enterprise id, or "parcel:<id>" when combined
    std::vector<std::string> shared_with; ///< other enterprises of the same unit
    std::string industry;
    std::string park, zone, landuse;
    Status status = Status::excluded;
    std::string reason;     ///< exclusion/measurement reason code ("" when graded)
    std::string group;      ///< scope group id ("" when none applies)
    double land_mu = 0.0;   ///< land of the unit used for the indicators
    std::string land_source;///< table, geometry, geometry (split n) ...
    double output = 0.0;    ///< the method's "output" field (0 when blank)
    double tax = 0.0;
    std::vector<IndicatorValue> indicators; ///< one per indicator of the group
    std::optional<double> score;
    int rank = 0;           ///< within the group (ties share the better rank); 0 when not graded
    int group_size = 0;
    std::string cls;        ///< class name, "" when not graded
    std::string rule;       ///< the rule that decided the class
    bool zombie = false;
};

struct ParcelResult {
    std::int64_t row = 0;   ///< 1-based feature position in the parcel layer
    std::string id;
    double area_m2 = 0.0;
    double mu = 0.0, ha = 0.0, acres = 0.0;
    std::string status;     ///< ok, zero_area, invalid, duplicate_id
    std::string landuse, park, zone;
    std::vector<std::string> enterprises;
    double output = 0.0, tax = 0.0;
    std::optional<double> score;
    std::string cls;        ///< the parcel's class per the shared-parcel rule ("" = none graded)
    std::string rule;
    bool low_efficiency = false;
};

struct Aggregate {
    std::string key;
    int parcels = 0;
    double parcel_mu = 0.0;     ///< all parcels of the key
    int enterprises = 0;        ///< enterprises with land (graded, measured or excluded)
    double land_mu = 0.0;       ///< land held by those enterprises
    double output = 0.0, tax = 0.0;
    std::optional<double> output_per_mu, tax_per_mu;
    int graded = 0;
    std::map<std::string, int> classes; ///< class name -> graded enterprises
    std::map<std::string, double> class_shares;
};

struct LowEfficiencyLand {
    std::string unit;
    std::string parcel_id;
    std::vector<std::string> enterprises;
    double mu = 0.0;
    std::string cls;
    std::vector<std::string> reasons; ///< "D class", "zombie"
    double output = 0.0, tax = 0.0;
    std::string park, zone;
};

/// What a scope group's benchmarks were, for the record.
struct IndicatorStats {
    std::string id, name;
    double weight = 0.0;
    std::string form;              ///< benchmark_ratio or min_max
    std::string benchmark_kind;    ///< fixed, mean, median, percentile (benchmark_ratio)
    std::optional<double> benchmark, min, max;
    int values = 0;                ///< graded enterprises with a value
    int missing = 0;               ///< graded enterprises without one (missing rule applied)
    int capped = 0;
};

struct GroupSummary {
    std::string id, name;
    int graded = 0;
    std::vector<IndicatorStats> indicators;
    std::map<std::string, int> classes;
};

struct Evaluation {
    Method method;
    std::vector<GroupSummary> groups;
    std::vector<std::string> indicator_columns; ///< union of group indicator ids, for tables
    std::vector<EnterpriseResult> enterprises;  ///< in table order
    std::vector<ParcelResult> parcels;          ///< in layer order
    /// dimension (park, zone, industry, landuse) -> aggregates sorted by key
    std::map<std::string, std::vector<Aggregate>> aggregates;
    std::vector<LowEfficiencyLand> low_efficiency; ///< by mu descending, then unit
    std::vector<Issue> issues;                  ///< by table, row, code
    std::map<std::string, int> excluded_by_reason; ///< enterprise rows not graded, by reason
    std::map<std::string, int> parcel_problems;    ///< parcels by problem
};

/// Runs the method over the inputs. Throws usage_error when the table lacks a
/// column the method needs (with the columns it has), input_error for
/// unusable layers; row-level problems become Issues and the run goes on.
Evaluation evaluate(const Method& method, const Inputs& inputs);

// ---- outputs ---------------------------------------------------------------
/// The summary object `plan landuse --json` prints (stable key order).
std::string summary_json(const Evaluation& e, int indent = 2);
/// A planner's text summary.
std::string summary_text(const Evaluation& e);
/// The per-enterprise table as CSV (UTF-8, header row, table order).
std::string enterprises_csv(const Evaluation& e);
/// Result layers `parcels` (polygons of `parcels`) and `enterprises`
/// (points when the table has them, else a table) for write_layers.
std::vector<OutLayer> result_layers(const Evaluation& e, const Layer* parcels, const Layer* enterprises);

} // namespace plan::landuse
