// A toy leader election written outside electsim's tree, against the installed package
// (<electsim/algorithm.h>). A node that hears no heartbeat for an election timeout starts the
// next epoch. With `majority` it asks for votes, each node grants one vote per epoch (kept on
// disk), and a majority makes a leader: at most one leader per epoch. Without it, the planted
// bug: the node simply leads the next epoch, so two nodes that cannot hear each other (a
// partition) both lead the same epoch, which electsim's one_leader_per_epoch check reports.
#pragma once

#include <electsim/algorithm.h>

namespace toy {

// "toy-election" (majority votes) or "toy-election-no-votes" (the planted bug).
electsim::algorithms::AlgorithmInfo toy_election_info(bool majority);

}  // namespace toy
