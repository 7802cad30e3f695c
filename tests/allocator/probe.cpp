// Checks the allocator settings of the plan process (tools/plan/allocator.cpp)
// in a process of its own, built without AddressSanitizer (which replaces
// malloc and so would make them a no-op). Exit 0 when every expectation holds.
//
//   test_allocator_probe                 tune_allocator() must take effect
//   test_allocator_probe --untouched     it must change nothing (run with the
//                                        user's GLIBC_TUNABLES set)
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "allocator.hpp"

namespace {

struct Range {
    std::uintptr_t lo = 0;
    std::uintptr_t hi = 0;
    bool huge = false; // VmFlags has "hg" (madvise MADV_HUGEPAGE)
};

// The heap's mappings, from /proc/self/smaps.
std::vector<Range> heap_ranges() {
    std::ifstream smaps("/proc/self/smaps");
    std::vector<Range> out;
    std::string line;
    bool in_heap = false;
    while (std::getline(smaps, line)) {
        if (line.find("VmFlags:") == 0) {
            if (in_heap && (line.find(" hg") != std::string::npos)) out.back().huge = true;
            continue;
        }
        const auto dash = line.find('-');
        const auto space = line.find(' ');
        if (dash == std::string::npos || space == std::string::npos || dash > space) continue;
        const bool hex = line.find_first_not_of("0123456789abcdef") == dash;
        if (!hex) continue;
        in_heap = line.find("[heap]") != std::string::npos;
        if (in_heap)
            out.push_back({std::stoull(line.substr(0, dash), nullptr, 16),
                           std::stoull(line.substr(dash + 1, space - dash - 1), nullptr, 16), false});
    }
    return out;
}

bool in_heap(const std::vector<Range>& heap, const void* p) {
    const auto a = reinterpret_cast<std::uintptr_t>(p);
    for (const Range& r : heap)
        if (a >= r.lo && a < r.hi) return true;
    return false;
}

int failures = 0;

void expect(bool ok, const char* what) {
    std::printf("%s: %s\n", ok ? "ok" : "FAILED", what);
    if (!ok) ++failures;
}

} // namespace

int main(int argc, char** argv) {
    const bool untouched = argc > 1 && std::string(argv[1]) == "--untouched";
    plan::cli::tune_allocator();

    // A 4 MiB block: glibc's default puts blocks over 128 KiB in a mapping of
    // their own; tuned, it comes from the heap.
    void* big = std::malloc(std::size_t{4} << 20);
    // Blocks allocated by other threads: by default each thread gets an arena
    // (a mapping) of its own; tuned, every thread shares the heap.
    std::vector<void*> from_threads(2 * 64, nullptr);
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t)
        threads.emplace_back([&from_threads, t] {
            for (int i = 0; i < 64; ++i) from_threads[static_cast<std::size_t>(t * 64 + i)] = std::malloc(1000 + i);
        });
    for (auto& t : threads) t.join();

    const std::vector<Range> heap = heap_ranges();
    bool threads_in_heap = true;
    for (void* p : from_threads) threads_in_heap = threads_in_heap && in_heap(heap, p);
    std::uintptr_t huge_bytes = 0;
    for (const Range& r : heap)
        if (r.huge) huge_bytes += r.hi - r.lo;

    if (untouched) {
        expect(!in_heap(heap, big), "with the user's GLIBC_TUNABLES, a 4 MiB block is mapped on its own (glibc's default)");
        expect(!threads_in_heap, "with the user's GLIBC_TUNABLES, other threads allocate in arenas of their own");
        expect(huge_bytes == 0, "with the user's GLIBC_TUNABLES, no part of the heap is marked for huge pages");
    } else {
        expect(in_heap(heap, big), "a 4 MiB block comes from the heap");
        expect(threads_in_heap, "other threads allocate from the same heap");
        expect(huge_bytes >= (std::uintptr_t{128} << 20), "at least 128 MiB of the heap is marked for transparent huge pages");
    }
    for (void* p : from_threads) std::free(p);
    std::free(big);
    std::printf("%d failed\n", failures);
    return failures == 0 ? 0 : 1;
}
