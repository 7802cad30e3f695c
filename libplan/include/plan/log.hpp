#pragma once
// The logger: every message for the user goes to stderr through here, GDAL's
// included (see gdal_errors.cpp), so that levels and --quiet apply everywhere.
#include <functional>
#include <string>

namespace plan::log {

enum class Level { debug = 0, info = 1, warning = 2, error = 3, silent = 4 };

void set_level(Level level);
Level level();
/// Replace the sink (tests capture messages); nullptr restores stderr.
void set_sink(std::function<void(Level, const std::string&)> sink);

void write(Level level, const std::string& message);
inline void debug(const std::string& m) { write(Level::debug, m); }
inline void info(const std::string& m) { write(Level::info, m); }
inline void warn(const std::string& m) { write(Level::warning, m); }
inline void error(const std::string& m) { write(Level::error, m); }

} // namespace plan::log
