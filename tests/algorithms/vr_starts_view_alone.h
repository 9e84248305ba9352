// A test-only VR whose new primary starts a view on its own DoViewChange, without waiting for
// f+1 (issue 10, acceptance 4). Liskov & Cowling 2012, 4.2 step 3, makes the new primary wait
// for f+1 DoViewChange messages so that one of them comes from a replica that holds every
// committed op; without that wait the primary may start the view with a log that lacks a
// committed op, which leader_completeness must catch.
#pragma once

namespace electsim::testing {

inline constexpr char kVrStartsViewAloneName[] = "vr-starts-view-alone";
// A new primary that counts its own DoViewChange twice (4.2 step 3 counts f + 1 messages "including
// one from itself", once): it starts the view with f from distinct replicas, which
// leader_had_a_quorum catches at the moment it starts the view.
inline constexpr char kVrCountsOwnDoViewChangeTwiceName[] = "vr-counts-own-do-view-change-twice";

// Registers both (register_algorithm_for_tests).
void register_vr_starts_view_alone();

}  // namespace electsim::testing
