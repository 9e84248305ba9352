#include "reports/run_result.h"

#include "absl/strings/str_format.h"

namespace electsim::reports {

const char* verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass: return "pass";
    case Verdict::kSafetyViolation: return "safety_violation";
    case Verdict::kLivenessViolation: return "liveness_violation";
    case Verdict::kInternalError: return "internal_error";
    case Verdict::kBudgetExceeded: return "budget_exceeded";
  }
  return "unknown";
}

int verdict_exit_code(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass: return 0;
    case Verdict::kSafetyViolation: return 1;
    case Verdict::kLivenessViolation: return 2;
    case Verdict::kInternalError: return 70;
    case Verdict::kBudgetExceeded: return 65;
  }
  return 70;
}

std::string format_fingerprint(uint64_t fingerprint) {
  return absl::StrFormat("%016x", fingerprint);
}

}  // namespace electsim::reports
