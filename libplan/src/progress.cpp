#include "plan/progress.hpp"

#include "progress_line.hpp"

#include <atomic>
#include <cstdio>
#include <unistd.h>

#include <fmt/format.h>

namespace plan {
namespace {
std::atomic<ProgressBar::Mode> g_mode{ProgressBar::Mode::automatic};
/// A bar is drawn on the current terminal line (no newline after it yet).
std::atomic<bool> g_on_line{false};
} // namespace

void detail::clear_progress_line() {
    if (!g_on_line.exchange(false)) return;
    std::fputs("\r\033[K", stderr);
}

void ProgressBar::set_mode(Mode mode) { g_mode = mode; }

ProgressBar::ProgressBar(std::string label, std::int64_t total) : label_(std::move(label)), total_(total) {
    const Mode m = g_mode.load();
    active_ = m == Mode::on || (m == Mode::automatic && ::isatty(STDERR_FILENO) == 1);
}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(std::int64_t done, std::int64_t total) {
    if (!active_ || finished_) return;
    if (total != -2) total_ = total;
    const auto now = std::chrono::steady_clock::now();
    int percent = total_ > 0 ? static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total_)) : -1;
    if (percent == last_percent_ && now - last_draw_ < std::chrono::milliseconds(200)) return;
    if (now - last_draw_ < std::chrono::milliseconds(50) && percent != 100) return;
    last_draw_ = now;
    last_percent_ = percent;
    if (percent >= 0) {
        const int width = 30;
        const int filled = std::min(width, percent * width / 100);
        std::fprintf(stderr, "\r%s [%s%s] %3d%%", label_.c_str(), std::string(static_cast<std::size_t>(filled), '#').c_str(),
                     std::string(static_cast<std::size_t>(width - filled), ' ').c_str(), percent);
    } else {
        std::fprintf(stderr, "\r%s %lld", label_.c_str(), static_cast<long long>(done));
    }
    g_on_line = true;
    std::fflush(stderr);
}

void ProgressBar::note(const std::string& text) {
    if (!active_ || finished_) return;
    last_draw_ = std::chrono::steady_clock::now();
    std::fprintf(stderr, "\r\033[K%s %s", label_.c_str(), text.c_str());
    g_on_line = true;
    std::fflush(stderr);
}

void ProgressBar::finish() {
    if (!active_ || finished_) return;
    finished_ = true;
    if (last_percent_ != -1 || last_draw_ != std::chrono::steady_clock::time_point{}) {
        std::fputs("\r\033[K", stderr);
        g_on_line = false;
        std::fflush(stderr);
    }
}

} // namespace plan
