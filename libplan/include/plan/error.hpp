#pragma once
// One error hierarchy for libplan. Every error carries the context a planner
// needs to find the culprit (file, layer, feature, line) and maps to an exit
// code of the `plan` command: 1 for data or processing errors, 2 for usage.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace plan {

struct ErrorContext {
    std::string file;                   ///< file path or connection string
    std::string layer;                  ///< layer name
    std::optional<std::int64_t> feature; ///< feature id (FID) or table row number
    std::optional<std::int64_t> line;    ///< line number in a text file
    std::string field;                  ///< field or key name
};

class error : public std::runtime_error {
public:
    error(const std::string& message, ErrorContext context = {}, std::string hint = {});
    const ErrorContext& context() const noexcept { return context_; }
    const std::string& message() const noexcept { return message_; }
    /// A fix-it suggestion, shown by the CLI after the message ("" if none).
    const std::string& hint() const noexcept { return hint_; }
    /// The exit code the `plan` command uses for this error.
    virtual int exit_code() const noexcept { return 1; }

private:
    std::string message_;
    ErrorContext context_;
    std::string hint_;
};

/// A source that cannot be opened or read, or whose content is unusable.
class input_error : public error { using error::error; };
/// A coordinate reference system that is unknown, missing or cannot be used.
class crs_error : public error { using error::error; };
/// A configuration or specification file (TOML) that is malformed or inconsistent.
class config_error : public error { using error::error; };
/// An output that cannot be written.
class output_error : public error { using error::error; };
/// A processing failure not caused by the input (a broken invariant, a library failure).
class processing_error : public error { using error::error; };
/// A wrong command-line usage: bad option value, unknown field named by an option.
class usage_error : public error {
public:
    using error::error;
    int exit_code() const noexcept override { return 2; }
};

/// Formats "file: layer 'x': feature 12: line 3: field 'f'" from a context.
std::string describe(const ErrorContext& context);

} // namespace plan
