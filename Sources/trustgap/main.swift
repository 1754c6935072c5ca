import Console
import Foundation
#if canImport(Glibc)
import CMalloc

// One malloc arena instead of glibc's eight per core: loads decode on worker threads, and each thread's arena kept
// its freed blocks, so a million-row load + chisq all peaked at 240–262 MB instead of 215 MB, at the same speed
// (BENCHMARKS.md, generic CSV row).
_ = mallopt(M_ARENA_MAX, 1)
#endif

// The command line is `TrustgapCommandLine` (Console), which the tests also run in process.
exit(TrustgapCommandLine.run(Array(CommandLine.arguments.dropFirst()), terminal: .standard))
