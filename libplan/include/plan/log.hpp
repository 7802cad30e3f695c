#pragma once
// The logger: every message for the user goes to stderr through here, GDAL's
// included (see gdal_errors.cpp), so that levels and --quiet apply everywhere.
#include <functional>
#include <string>
#include <vector>

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

/// While alive, warnings and info messages written by this thread are kept in
/// `messages()` instead of being printed (debug and error messages still go
/// out). Lets a caller that runs the same analysis several times, possibly on
/// worker threads, print each message once, attributed and in a fixed order.
/// Scopes nest: the innermost one on the thread collects; they end in reverse order.
class Capture {
public:
    struct Message {
        Level level;
        std::string text;
    };
    Capture();
    ~Capture();
    Capture(const Capture&) = delete;
    Capture& operator=(const Capture&) = delete;
    /// Ends the capture early (this thread's messages are printed again) and hands
    /// over what was kept.
    std::vector<Message> stop();

private:
    friend void write(Level, const std::string&);
    std::vector<Message> messages_;
    Capture* outer_ = nullptr;
    bool active_ = true;
};

} // namespace plan::log
