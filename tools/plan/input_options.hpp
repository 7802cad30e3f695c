#pragma once
// Options shared by every subcommand that reads layers.
#include <string>

#include <CLI/CLI.hpp>

#include "plan/source.hpp"

namespace plan::cli {

struct InputOptions {
    std::string where;
    std::string bbox;
    std::string src_crs;
    std::string crs;
    std::string encoding;

    /// Adds --where, --bbox, --src-crs, --crs, --encoding.
    void add_to(CLI::App& app);
    /// Validates the values (bbox syntax, CRS codes) and builds ReadOptions;
    /// throws usage_error (exit 2) naming the option.
    ReadOptions to_read_options() const;
};

/// Parses "minx,miny,maxx,maxy"; throws usage_error naming `option`.
Envelope parse_bbox(const std::string& text, const std::string& option);

} // namespace plan::cli
