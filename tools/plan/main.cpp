// `plan`: the command line of libplan.
#include <cstdio>
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "allocator.hpp"
#include "command.hpp"
#include "plan/error.hpp"
#include "plan/log.hpp"
#include "plan/progress.hpp"
#include "plan/source.hpp"
#include "plan/version.hpp"

namespace plan::cli {

std::vector<CommandFactory>& registry() {
    static std::vector<CommandFactory> commands;
    return commands;
}

void CommonOptions::add_to(CLI::App& app) {
    app.add_flag("-q,--quiet", quiet, "Print only errors on stderr");
    app.add_flag("-v,--verbose", verbose, "Print debug messages and timings on stderr");
    app.add_flag("--progress", progress, "Show progress bars even when stderr is not a terminal");
    app.add_flag("--no-progress", no_progress, "Never show progress bars");
}

void CommonOptions::apply() const {
    log::set_level(quiet ? log::Level::error : verbose ? log::Level::debug : log::Level::info);
    if (no_progress || quiet) ProgressBar::set_mode(ProgressBar::Mode::off);
    else if (progress) ProgressBar::set_mode(ProgressBar::Mode::on);
}

} // namespace plan::cli

namespace {

constexpr const char* kExitCodes =
    "Exit codes:\n"
    "  0  success\n"
    "  1  data or processing error (unreadable input, bad data, failed output)\n"
    "  2  usage error (unknown option, bad option value, unknown field, layer or file named by an option)\n";

int report(const plan::error& e) {
    plan::log::error(e.what());
    if (!e.hint().empty()) std::fprintf(stderr, "plan: hint: %s\n", e.hint().c_str());
    return e.exit_code();
}

} // namespace

int main(int argc, char** argv) {
    using namespace plan::cli;
    tune_allocator();
    CLI::App app{"plan: road-network and land-use analysis for city renewal planning (libplan " + std::string(PLAN_VERSION) + ")", "plan"};
    app.footer(kExitCodes);
    app.require_subcommand(0, 1);
    bool show_version = false;
    app.add_flag("-V,--version", show_version, "Print the version of plan and of GDAL, GEOS, PROJ and GeographicLib");

    std::vector<std::unique_ptr<Command>> commands;
    std::map<std::string, std::pair<Command*, CLI::App*>> by_name;
    for (auto& make : registry()) {
        auto cmd = make();
        CLI::App* sub = app.add_subcommand(cmd->name(), cmd->summary());
        cmd->setup(*sub);
        // The listing of `plan help` shows one line per subcommand; a longer
        // description set by setup() moves to the subcommand's own help.
        const std::string long_text = sub->get_description();
        if (long_text != cmd->summary()) {
            sub->description(cmd->summary());
            sub->footer(long_text.substr(cmd->summary().size() < long_text.size() && long_text.rfind(cmd->summary(), 0) == 0
                                             ? cmd->summary().size() + 1
                                             : 0) +
                        "\n\n" + kExitCodes);
        } else {
            sub->footer(kExitCodes);
        }
        by_name[cmd->name()] = {cmd.get(), sub};
        commands.push_back(std::move(cmd));
    }
    std::string help_topic;
    CLI::App* help = app.add_subcommand("help", "Show help for plan or for one subcommand: plan help [CMD]");
    help->add_option("command", help_topic, "Subcommand to describe");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const plan::error& e) {
        return report(e); // an option check (e.g. existing_source) found a bad value while parsing
    } catch (const CLI::ParseError& e) {
        // Usage errors in the same one-line form as every other error.
        std::fprintf(stderr, "plan: error: %s\n", e.what());
        std::string cmd;
        for (const auto* sub : app.get_subcommands()) cmd = sub->get_name();
        std::fprintf(stderr, "plan: hint: run 'plan %s--help' for the options\n", cmd.empty() ? "" : (cmd + " ").c_str());
        return 2;
    }

    if (show_version) {
        std::printf("plan %s\n%s\n", PLAN_VERSION, plan::library_versions().c_str());
        return 0;
    }
    if (help->parsed()) {
        app.clear(); // otherwise CLI11 describes the selected `help` subcommand
        if (help_topic.empty()) {
            std::cout << app.help();
            return 0;
        }
        auto it = by_name.find(help_topic);
        if (it == by_name.end()) {
            std::fprintf(stderr, "plan: error: unknown command '%s'; run 'plan help' for the list\n", help_topic.c_str());
            return 2;
        }
        std::cout << it->second.second->help("plan");
        return 0;
    }
    for (auto& [name, entry] : by_name) {
        if (!entry.second->parsed()) continue;
        try {
            return entry.first->run(); // GDAL is set up where a command first needs it
        } catch (const plan::error& e) {
            return report(e);
        } catch (const std::bad_alloc&) {
            plan::log::error("out of memory");
            return 1;
        } catch (const std::exception& e) {
            plan::log::error(std::string("internal error: ") + e.what());
            return 1;
        }
    }
    std::cout << app.help();
    return 2;
}
