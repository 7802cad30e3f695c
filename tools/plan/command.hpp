#pragma once
// The `plan` command's subcommands. Each is a class in its own file with a
// parse-only setup() and a run() that calls libplan; main() only dispatches and
// turns exceptions into exit codes (0 ok, 1 data/processing error, 2 usage).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace plan::cli {

class Command {
public:
    virtual ~Command() = default;
    virtual std::string name() const = 0;
    virtual std::string summary() const = 0;
    /// Declares options and arguments on the subcommand's CLI::App; parses nothing.
    virtual void setup(CLI::App& app) = 0;
    /// Runs the command after parsing; returns the exit code.
    virtual int run() = 0;
};

using CommandFactory = std::function<std::unique_ptr<Command>()>;

/// All subcommands, in the order they are listed by `plan help`.
std::vector<CommandFactory>& registry();

struct Registration {
    explicit Registration(CommandFactory factory) { registry().push_back(std::move(factory)); }
};

/// Options every subcommand has: verbosity and progress display.
struct CommonOptions {
    bool quiet = false;
    bool verbose = false;
    bool progress = false;
    bool no_progress = false;
    void add_to(CLI::App& app);
    void apply() const;
};


} // namespace plan::cli
