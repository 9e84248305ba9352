// Linked only into electsim_with_test_algorithms: registers the test-only algorithms before
// main() runs, so the real command line can name them.
#include "tests/algorithms/bully_reuses_counter.h"
#include "tests/algorithms/check_tripper.h"
#include "tests/algorithms/ci_scale_global_counter.h"
#include "tests/algorithms/etcd_variants.h"
#include "tests/algorithms/fencing_variants.h"
#include "tests/algorithms/gate_raft_keeps_timer_on_vote.h"
#include "tests/algorithms/k8s_variants.h"
#include "tests/algorithms/multipaxos_promises_lower_ballots.h"
#include "tests/algorithms/multipaxos_support_variants.h"
#include "tests/algorithms/no_quorum_profile.h"
#include "tests/algorithms/planted_raft_bugs.h"
#include "tests/algorithms/raft_ignores_quorum_loss.h"
#include "tests/algorithms/raft_reuses_token.h"
#include "tests/algorithms/zab_variants.h"
#include "tests/algorithms/vr_starts_view_alone.h"
#include "tests/algorithms/zk_variants.h"
#include "tests/algorithms/support_variants.h"

namespace {

const bool kRegistered = [] {
  electsim::testing::register_check_tripper();
  electsim::testing::register_raft_ignores_quorum_loss();
  electsim::testing::register_no_quorum_profile();
  electsim::testing::register_global_counter();
  electsim::testing::register_raft_reuses_token();
  electsim::testing::register_fencing_variants();
  electsim::testing::register_raft_keeps_timer_on_vote();
  electsim::testing::register_zab_variants();
  electsim::testing::register_multipaxos_promises_lower_ballots();
  electsim::testing::register_multipaxos_support_variants();
  electsim::testing::register_vr_starts_view_alone();
  electsim::testing::register_bully_reuses_counter();
  electsim::testing::register_zk_variants();
  electsim::testing::register_etcd_variants();
  electsim::testing::register_k8s_variants();
  electsim::testing::register_support_variants();
  electsim::testing::register_planted_raft_bugs();
  return true;
}();

}  // namespace
