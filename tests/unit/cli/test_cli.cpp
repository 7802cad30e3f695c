// The command line's contract: version, help for every subcommand (and
// `plan help CMD` agreeing with `plan CMD --help`), exit codes for usage errors.
#include <regex>
#include <sstream>

#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace plan::test;

namespace {
std::vector<std::string> subcommands() {
    const auto r = run_plan("help");
    REQUIRE(r.exit_code == 0);
    std::vector<std::string> names;
    std::istringstream in(r.out);
    std::string line;
    bool in_list = false;
    while (std::getline(in, line)) {
        if (line.rfind("Subcommands:", 0) == 0) {
            in_list = true;
            continue;
        }
        if (in_list) {
            std::smatch m;
            if (std::regex_match(line, m, std::regex(R"(\s+([a-z][a-z0-9-]*)\s+.*)"))) names.push_back(m[1]);
            else if (!line.empty() && line[0] != ' ') in_list = false;
        }
    }
    return names;
}
} // namespace

TEST_CASE("cli: --version names plan and the libraries", "[cli]") {
    const auto r = run_plan("--version");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("plan 0.") == 0);
    CHECK(r.out.find("GDAL 3.") != std::string::npos);
    CHECK(r.out.find("GEOS 3.") != std::string::npos);
    CHECK(r.out.find("PROJ 9.") != std::string::npos);
}

TEST_CASE("cli: every subcommand has help, and plan help CMD agrees with CMD --help", "[cli]") {
    const auto names = subcommands();
    REQUIRE(std::find(names.begin(), names.end(), "info") != names.end());
    for (const auto& n : names) {
        if (n == "help") continue;
        INFO("subcommand " << n);
        const auto a = run_plan(n + " --help");
        const auto b = run_plan("help " + n);
        CHECK(a.exit_code == 0);
        CHECK(b.exit_code == 0);
        CHECK(a.out == b.out);
        CHECK(a.out.find("Usage: plan " + n) != std::string::npos);
        CHECK(a.out.find("Exit codes:") != std::string::npos);
    }
}

TEST_CASE("cli: usage errors exit with 2", "[cli]") {
    CHECK(run_plan("no-such-command").exit_code == 2);
    CHECK(run_plan("info --no-such-option x").exit_code == 2);
    CHECK(run_plan("info").exit_code == 2); // SOURCE is required
    const auto r = run_plan("help no-such-command");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("unknown command") != std::string::npos);
}

TEST_CASE("cli: results go to stdout, logs to stderr", "[cli]") {
    const auto d = scratch_dir("streams");
    write_file(d / "l.csv", "id,WKT\n1,\"LINESTRING (115.70 36.80,115.71 36.81)\"\n");
    const auto r = run_plan("info --json --expect lines " + quote((d / "l.csv").string()));
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.rfind("{", 0) == 0);            // stdout is pure JSON
    CHECK(r.err.find("WGS84 assumed") != std::string::npos); // the warning is on stderr
    CHECK(r.err.find("\r") == std::string::npos);            // no progress bar in a pipe
    const auto q = run_plan("info --quiet --json --expect lines " + quote((d / "l.csv").string()));
    CHECK(q.err.empty());
}

TEST_CASE("cli: a wrong option gets the one-line error form and a hint", "[cli]") {
    const auto r = run_plan("info --samples 3 x.shp");
    CHECK(r.exit_code == 2);
    CHECK(r.err.rfind("plan: error: ", 0) == 0);
    CHECK(r.err.find("--samples") != std::string::npos);
    CHECK(r.err.find("plan: hint: run 'plan info --help'") != std::string::npos);
}

TEST_CASE("cli: --version works without the GDAL module and says so", "[cli]") {
    const auto r = plan::test::run_shell("PLAN_GDAL_MODULE=/nonexistent/libplan_gdal.so " + plan::test::quote(PLAN_CLI) +
                                         " --version");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("GDAL not available (cannot load libplan's GDAL module") != std::string::npos);
    CHECK(r.out.find("PROJ ") != std::string::npos);
    // And a command that needs GDAL fails with the documented exit code 1, naming the file.
    const auto n = plan::test::run_shell("PLAN_GDAL_MODULE=/nonexistent/libplan_gdal.so " + plan::test::quote(PLAN_CLI) +
                                         " info " + plan::test::quote((plan::test::source_dir() / "data/sample-city/roads.gpkg").string()));
    CHECK(n.exit_code == 1);
    CHECK(n.err.find("/nonexistent/libplan_gdal.so") != std::string::npos);
}
