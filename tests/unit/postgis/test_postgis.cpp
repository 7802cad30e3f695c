// PostGIS in and out of `plan run` (label postgis): the round trip against a
// throwaway PostgreSQL + PostGIS (scripts/postgis-roundtrip.sh), and an
// unreachable server failing fast with a clear message.
#include <chrono>

#include <catch2/catch.hpp>

#include "test_support.hpp"

namespace fs = std::filesystem;
using Catch::Contains;
using plan::test::quote;

namespace {
fs::path sample() { return plan::test::source_dir() / "data" / "sample-city"; }

/// A free TCP port on loopback with nothing listening.
std::string dead_port() {
    const auto r = plan::test::run_shell(
        "/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])'");
    REQUIRE(r.exit_code == 0);
    return r.out.substr(0, r.out.find('\n'));
}
} // namespace

TEST_CASE("plan run from PostGIS and into a schema matches the GeoPackage run", "[postgis]") {
    const fs::path dir = plan::test::scratch_dir("postgis");
    const auto r = plan::test::run_shell(quote((plan::test::source_dir() / "scripts" / "postgis-roundtrip.sh").string()) +
                                         " " + quote(PLAN_CLI) + " " + quote(dir.string()));
    if (r.exit_code == 77) plan::test::skip(r.out);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("match"));
}

TEST_CASE("an unreachable PostGIS server fails within the timeout with a clear message", "[postgis]") {
    const fs::path dir = plan::test::scratch_dir("postgis-unreachable");
    const std::string port = dead_port();
    SECTION("input: connection refused") {
        plan::test::write_file(dir / "s.toml", "[inputs]\nroads = [\"PG:dbname=city host=127.0.0.1 port=" + port +
                                                   " user=plan|layername=roads\"]\n");
        const auto t0 = std::chrono::steady_clock::now();
        const auto r = plan::test::run_plan("run " + quote((dir / "s.toml").string()) + " -o " + quote((dir / "out").string()));
        INFO(r.err);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Contains("PG:dbname=city"));
        CHECK_THAT(r.err, Contains(port));
        CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60)); // a guard against a hang, not a timing
    }
    SECTION("input: a host that never answers gives up after connect_timeout") {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never routed, so the connection waits until the timeout.
        plan::test::write_file(dir / "s.toml",
                               "[inputs]\nroads = [\"PG:dbname=city host=192.0.2.1 port=5432 connect_timeout=2|layername=roads\"]\n");
        const auto r = plan::test::run_shell("timeout 60 " + quote(PLAN_CLI) + " run " + quote((dir / "s.toml").string()) +
                                             " -o " + quote((dir / "out").string()));
        INFO(r.err);
        CHECK(r.exit_code == 1); // 124 would be the hang caught by timeout(1)
        CHECK_THAT(r.err, Contains("192.0.2.1"));
    }
    SECTION("output") {
        const auto r = plan::test::run_plan(
            "run " + quote((sample() / "plan.toml").string()) + " -o " +
            quote("PG:dbname=city host=127.0.0.1 port=" + port + " user=plan") + " --schema results");
        INFO(r.err);
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, Contains("cannot connect to PostgreSQL"));
        CHECK_THAT(r.err, Contains(port));
    }
    CHECK_FALSE(fs::exists(dir / "out"));
}
