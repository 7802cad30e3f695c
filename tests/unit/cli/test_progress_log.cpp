// A log line never shares a terminal line with a progress bar: the bar drawn
// while reading is cleared before the first log line that follows it.
#include <catch2/catch.hpp>

#include <string>

#include "test_support.hpp"

using namespace plan::test;

TEST_CASE("cli: a log line clears an active progress bar first", "[cli]") {
    // reading the GBK shapefile draws the reading bar and, while it is drawn,
    // logs that the text is decoded as GB18030
    const auto path = shared_data("tianjin_hexi_gbk/roads.shp");
    const auto r = run_plan("network --progress " + quote(path.string()));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.err.find("reading ") != std::string::npos); // the bar was drawn
    REQUIRE(r.err.find("decoding it as GB18030") != std::string::npos);
    std::size_t lines = 0;
    for (auto at = r.err.find("plan: "); at != std::string::npos; at = r.err.find("plan: ", at + 1)) {
        ++lines;
        INFO("log line at " << at << ": ..." << r.err.substr(at >= 40 ? at - 40 : 0, at >= 40 ? 40 : at));
        // at the start of a line, or right after the bar was erased (\r, erase to end of line)
        CHECK((at == 0 || r.err[at - 1] == '\n' || (at >= 4 && r.err.compare(at - 4, 4, "\r\033[K") == 0)));
    }
    CHECK(lines >= 2);
    CHECK(r.err.find("%plan: ") == std::string::npos);
}

#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

#include "plan/log.hpp"
#include "plan/progress.hpp"

TEST_CASE("cli: a log line written while a bar is drawn erases the bar first, the next update redraws it", "[cli]") {
    const auto dir = scratch_dir("progress-log");
    const auto file = (dir / "stderr.txt").string();
    std::fflush(stderr);
    const int saved = ::dup(STDERR_FILENO);
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    REQUIRE(saved >= 0);
    REQUIRE(fd >= 0);
    ::dup2(fd, STDERR_FILENO);
    ::close(fd);
    plan::ProgressBar::set_mode(plan::ProgressBar::Mode::on);
    {
        plan::ProgressBar bar("reading x", 100);
        bar.update(50);
        plan::log::write(plan::log::Level::warning, "in the middle");
        bar.update(100);
        bar.finish();
        plan::log::write(plan::log::Level::info, "after");
    }
    plan::ProgressBar::set_mode(plan::ProgressBar::Mode::automatic);
    std::fflush(stderr);
    ::dup2(saved, STDERR_FILENO);
    ::close(saved);
    const std::string err = read_file(file);
    INFO(err);
    CHECK(err.find("50%\r\033[Kplan: warning: in the middle\n") != std::string::npos);
    CHECK(err.find("%plan:") == std::string::npos);
    CHECK(err.find("100%\r\033[Kplan: after\n") != std::string::npos);
    // after finish() the line is clear: no second erase before "after"
    CHECK(err.find("\r\033[K\r\033[K") == std::string::npos);
}
