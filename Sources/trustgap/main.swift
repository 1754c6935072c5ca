import Console
import Foundation

// The command line is `TrustgapCommandLine` (Console), which the tests also run in process.
exit(TrustgapCommandLine.run(Array(CommandLine.arguments.dropFirst()), terminal: .standard))
