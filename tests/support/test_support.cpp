#include "test_support.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace plan::test {

fs::path source_dir() { return fs::path(PLAN_SOURCE_DIR); }

void skip(const std::string& why) {
    std::fprintf(stderr, "SKIPPED: %s\n", why.c_str());
    std::fflush(stderr);
    std::_Exit(PLAN_TEST_SKIP_CODE);
}

fs::path shared_data(const std::string& relative) {
    const fs::path root(PLAN_SHARED_DATA_DIR);
    const fs::path p = root / relative;
    if (!fs::exists(root))
        skip("real data folder " + root.string() + " is absent (set PLAN_SHARED_DATA_DIR); this test needs " + relative);
    if (!fs::exists(p)) skip("real data file " + p.string() + " is absent");
    return p;
}

fs::path scratch_dir(const std::string& name) {
    fs::path p = fs::path(PLAN_BINARY_DIR) / "test-scratch" / (name + "-" + std::to_string(::getpid()));
    fs::remove_all(p);
    fs::create_directories(p);
    return p;
}

std::string quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const fs::path& p, const std::string& content) {
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << content;
}

RunResult run_shell(const std::string& command) {
    static int counter = 0;
    const fs::path dir = fs::path(PLAN_BINARY_DIR) / "test-scratch" / "runs";
    fs::create_directories(dir);
    const std::string stem = std::to_string(::getpid()) + "-" + std::to_string(counter++);
    const fs::path out = dir / (stem + ".out"), err = dir / (stem + ".err");
    const std::string full = "( " + command + " ) >" + quote(out.string()) + " 2>" + quote(err.string()) + " </dev/null";
    const int status = std::system(full.c_str());
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_file(out);
    r.err = read_file(err);
    fs::remove(out);
    fs::remove(err);
    return r;
}

RunResult run_plan(const std::string& args) { return run_shell(quote(PLAN_CLI) + " " + args); }

RunResult run_python(const std::string& script_and_args) {
    if (!fs::exists(PLAN_SYSTEM_PYTHON)) skip(std::string(PLAN_SYSTEM_PYTHON) + " is absent; run scripts/install-deps.sh --oracles");
    return run_shell(std::string(PLAN_SYSTEM_PYTHON) + " " + script_and_args);
}

} // namespace plan::test
