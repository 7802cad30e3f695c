#pragma once
// Memory allocator settings for the `plan` process.
//
// A short run (plan network on a city extract, about 0.1 s) touches some
// 15-30 MB of fresh memory. With glibc's defaults the heap grows 128 KiB at a
// time and every 4 KiB page costs a page fault on first touch: thousands of
// faults, a third of the run's CPU time on a virtual machine. tune_allocator()
// grows the heap in large steps and asks for transparent huge pages on its
// first GiB (madvise), which takes the faults to a few hundred. It changes no result
// and is skipped when the user sets glibc.malloc tunables or under
// AddressSanitizer. The library never calls it: the process owns its allocator.

namespace plan::cli {

/// Call first thing in main(), before any large allocation.
void tune_allocator();

} // namespace plan::cli
