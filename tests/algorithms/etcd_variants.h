// Test-only etcd-election variant (issue 11, acceptance 6), registered by name for
// electsim_with_test_algorithms and the tests:
// - etcd-election-no-wait: Campaign returns as soon as its key is put, without waiting until
//   every key created before it is deleted (client/v3/concurrency/key.go's waitDeletes left
//   out). Every candidate then leads at once: two leaders whenever two campaign together.
#pragma once

namespace electsim::testing {

void register_etcd_variants();

}  // namespace electsim::testing
