// The allocator settings of the `plan` process (allocator.hpp says why).
#include "allocator.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>

#if defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace plan::cli {

void tune_allocator() {
#if defined(__GLIBC__)
    // Settings the user made through glibc's own tunables win.
    if (const char* t = std::getenv("GLIBC_TUNABLES"); t && std::strstr(t, "glibc.malloc.")) return;
    constexpr std::size_t kPad = std::size_t{64} << 20;
    constexpr std::size_t kFirst = std::size_t{1} << 30;
    constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
    // Grow the heap in steps of 64 MiB rather than 128 KiB, never give it back
    // (a run is short; the memory is returned at exit), and keep blocks up to
    // 32 MiB (the OSM reader's buffers among them) in the heap rather than in
    // mappings of their own that are unmapped when freed. Address space
    // reserved this way and never touched costs no memory.
    // Under AddressSanitizer, which brings its own allocator, mallopt fails
    // and nothing here is done.
    if (mallopt(M_TOP_PAD, static_cast<int>(kFirst)) != 1) return;
    mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
    mallopt(M_MMAP_THRESHOLD, static_cast<int>(kPad / 2));
    // One heap for every thread: the OSM reader's threads would otherwise
    // each fault in an arena of their own. plan's parallel work allocates
    // per task, not per step, so the shared lock costs nothing measurable
    // (scripts/bench_network.sh and bench_metrics compare).
    mallopt(M_ARENA_MAX, 1);
    // Make the heap take its first step (1 GiB of address space) now, and ask the kernel for
    // transparent huge pages there: one page fault per 2 MiB instead of one per
    // 4 KiB, which in a short run is a third of the CPU time. Where THP is
    // disabled this changes nothing.
    // The step starts on a huge-page boundary (glibc takes the gap below as
    // a foreign sbrk, which it supports): the blocks at its start fault in
    // huge pages too. The gap is address space, never touched.
    auto before = reinterpret_cast<std::uintptr_t>(sbrk(0));
    if (const std::uintptr_t aligned = (before + kHuge - 1) & ~(kHuge - 1); aligned > before) {
        if (sbrk(static_cast<intptr_t>(aligned - before)) != reinterpret_cast<void*>(-1)) before = aligned;
    }
    void* probe = std::malloc(std::size_t{1} << 20);
    const auto after = reinterpret_cast<std::uintptr_t>(sbrk(0));
    if (probe && after > before + 2 * kHuge) {
        const std::uintptr_t from = (before + kHuge - 1) & ~(kHuge - 1);
        const std::uintptr_t to = after & ~(kHuge - 1);
        if (to > from) madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
    }
    std::free(probe);
    mallopt(M_TOP_PAD, static_cast<int>(kPad));
#endif
}

} // namespace plan::cli
