#pragma once
// A progress bar on stderr, drawn only when stderr is a terminal (never in
// pipes or logs) unless forced on or off (--progress / --no-progress).
#include <chrono>
#include <cstdint>
#include <string>

namespace plan {

class ProgressBar {
public:
    enum class Mode { automatic, on, off };
    static void set_mode(Mode mode);

    explicit ProgressBar(std::string label, std::int64_t total = -1);
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    void update(std::int64_t done, std::int64_t total = -2); ///< total -2 keeps the previous total
    /// Draws the label with a note ("…", "3 of 12") for work that has no count.
    void note(const std::string& text);
    void finish();
    bool active() const { return active_; }

private:
    std::string label_;
    std::int64_t total_;
    bool active_;
    bool finished_ = false;
    std::chrono::steady_clock::time_point last_draw_{};
    int last_percent_ = -1;
};

} // namespace plan
