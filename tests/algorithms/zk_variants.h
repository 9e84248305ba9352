// Test-only zk-recipe variants (issue 11, acceptance 6), registered by name for
// electsim_with_test_algorithms and the tests:
// - zk-recipe-ignores-suspended: a leader that keeps believing when its connection is
//   SUSPENDED, until LOST (Curator's SessionConnectionStateErrorPolicy instead of the default
//   StandardConnectionStateErrorPolicy). Unsafe: the server may expire the session and elect a
//   successor while the old leader still believes.
// - zk-recipe-herd: every candidate watches the leader's znode instead of its predecessor's.
//   Not a safety bug: the herd effect the ZooKeeper recipes page warns of, every candidate
//   woken and re-reading the children at every leader change.
#pragma once

namespace electsim::testing {

void register_zk_variants();

}  // namespace electsim::testing
