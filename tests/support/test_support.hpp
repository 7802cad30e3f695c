#pragma once
// Helpers shared by libplan's tests: where data lives, running the CLI,
// skipping when ../shared is absent, scratch folders.
#include <filesystem>
#include <string>

namespace plan::test {

/// The project's source folder (for data/ and docs/).
std::filesystem::path source_dir();
/// A file under ../shared/data/real; when that folder is absent the calling
/// test prints why and exits with the skip code (ctest reports it as skipped).
std::filesystem::path shared_data(const std::string& relative);
/// Skips the calling test with a message (exit code 77, ctest: skipped).
[[noreturn]] void skip(const std::string& why);
/// A fresh empty scratch folder for this test, under the build tree.
std::filesystem::path scratch_dir(const std::string& name);

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};
/// Runs the `plan` binary with a shell-quoted argument string.
RunResult run_plan(const std::string& args);
/// Runs a shell command and captures its output.
RunResult run_shell(const std::string& command);
/// Runs a script with Debian's /usr/bin/python3 (where the python3-* oracles import);
/// skips the test when a module it needs is not installed.
RunResult run_python(const std::string& script_and_args);

std::string read_file(const std::filesystem::path& p);
void write_file(const std::filesystem::path& p, const std::string& content);
std::string quote(const std::string& s);

} // namespace plan::test
