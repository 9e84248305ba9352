// The exit codes of the electsim command line (DESIGN.md, "The outside contract"; the 64..78
// range follows BSD sysexits.h). Every command returns one of these, and nothing else.
#pragma once

namespace electsim::scenarios {

inline constexpr int kExitPass = 0;
inline constexpr int kExitSafetyViolation = 1;
inline constexpr int kExitLivenessViolation = 2;
inline constexpr int kExitUsage = 64;         // EX_USAGE: a bad flag or argument
inline constexpr int kExitBadScenario = 65;   // EX_DATAERR: a bad scenario file
inline constexpr int kExitInternal = 70;      // EX_SOFTWARE: electsim's own fault
inline constexpr int kExitCannotCreate = 73;  // EX_CANTCREAT: an output cannot be created
inline constexpr int kExitIoError = 74;       // EX_IOERR: reading or writing failed midway
inline constexpr int kExitInterrupted = 130;  // 128 + SIGINT, as shells report it

}  // namespace electsim::scenarios
