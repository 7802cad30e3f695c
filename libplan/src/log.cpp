#include "plan/log.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "progress_line.hpp"

namespace plan::log {
namespace {
std::atomic<Level> g_level{Level::info};
std::mutex g_mutex;
std::function<void(Level, const std::string&)> g_sink;
thread_local Capture* t_capture = nullptr;

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

Capture::Capture() : outer_(t_capture) { t_capture = this; }
Capture::~Capture() {
    if (active_) t_capture = outer_;
}
std::vector<Capture::Message> Capture::stop() {
    if (active_) t_capture = outer_;
    active_ = false;
    return std::move(messages_);
}

void write(Level l, const std::string& message) {
    if (l < g_level.load()) return;
    if (t_capture && (l == Level::warning || l == Level::info)) {
        t_capture->messages_.push_back({l, message});
        return;
    }
    std::lock_guard lock(g_mutex);
    if (g_sink) {
        g_sink(l, message);
        return;
    }
    detail::clear_progress_line(); // a bar drawn on this line goes first; the next update redraws it below
    std::fputs(prefix(l), stderr);
    std::fputs(message.c_str(), stderr);
    std::fputc('\n', stderr);
}

} // namespace plan::log
