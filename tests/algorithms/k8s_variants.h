// Test-only k8s-lease variant (issue 11, acceptance 6), registered by name for
// electsim_with_test_algorithms and the tests:
// - k8s-lease-renew-time: a candidate that judges the lease expired once the record's renewTime
//   (written on the holder's clock) plus LeaseDuration has passed on its own clock, instead of
//   timing LeaseDuration from when it observed the record change (client-go's observedTime).
//   Unsafe under clock offsets: client-go's own documentation says the election is "tolerant to
//   arbitrary clock skew" only because it never compares the two clocks.
#pragma once

namespace electsim::testing {

void register_k8s_variants();

}  // namespace electsim::testing
