#include "plan/log.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace plan::log {
namespace {
std::atomic<Level> g_level{Level::info};
std::mutex g_mutex;
std::function<void(Level, const std::string&)> g_sink;

const char* prefix(Level l) {
    switch (l) {
    case Level::debug: return "plan: debug: ";
    case Level::info: return "plan: ";
    case Level::warning: return "plan: warning: ";
    case Level::error: return "plan: error: ";
    default: return "plan: ";
    }
}
} // namespace

void set_level(Level level) { g_level = level; }
Level level() { return g_level; }

void set_sink(std::function<void(Level, const std::string&)> sink) {
    std::lock_guard lock(g_mutex);
    g_sink = std::move(sink);
}

void write(Level l, const std::string& message) {
    if (l < g_level.load()) return;
    std::lock_guard lock(g_mutex);
    if (g_sink) {
        g_sink(l, message);
        return;
    }
    std::fputs(prefix(l), stderr);
    std::fputs(message.c_str(), stderr);
    std::fputc('\n', stderr);
}

} // namespace plan::log
