// World records what algorithms report about support and logs (issue 14, "Support is
// recorded"): Supported as `supported`, Committed as `committed`, and Elected::log_end as
// `leader_log_end` right after its `became_leader`; TRACE.md names every support kind.
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "algorithms/raft/raft.h"
#include "algorithms/registry.h"
#include "sim/trace_records.h"
#include "sim/world.h"

namespace electsim::sim {
namespace {

class Keep final : public TraceObserver {
 public:
  void on_record(const TraceRecord& record) override { records.push_back(record); }
  std::vector<TraceRecord> records;
};

// Five Raft members on constant 5 ms links, run for two seconds: one election, its no-op
// replicated and committed everywhere.
std::vector<TraceRecord> raft_run(uint64_t seed) {
  const algorithms::AlgorithmInfo* raft = algorithms::find_algorithm("raft");
  auto params = algorithms::resolve_params(*raft, {}, 5);
  EXPECT_TRUE(params.ok());
  const auto factory = raft->make_factory(*params, 5);
  Link link;
  link.latency = LatencyModel::constant(Duration::milliseconds(5));
  World world(seed, 5, link, *factory);
  Keep keep;
  world.trace().add_observer(&keep, mask_of(RecordKind::kBecameLeader) |
                                        mask_of(RecordKind::kLeaderLogEnd) |
                                        mask_of(RecordKind::kSupported) |
                                        mask_of(RecordKind::kCommitted));
  world.start();
  world.run_until(Instant::zero() + Duration::seconds(2));
  return keep.records;
}

TEST(SupportTrace, ALeadersLogEndFollowsItsElectionAndItsSupportersPrecedeIt) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    SCOPED_TRACE(seed);
    const std::vector<TraceRecord> records = raft_run(seed);
    size_t elections = 0;
    for (size_t i = 0; i < records.size(); ++i) {
      if (records[i].kind != RecordKind::kBecameLeader) continue;
      ++elections;
      const LeaderElected elected = records[i].as<LeaderElected>();
      ASSERT_LT(i + 1, records.size());
      ASSERT_EQ(records[i + 1].kind, RecordKind::kLeaderLogEnd);
      const LeaderLogEnd log_end = records[i + 1].as<LeaderLogEnd>();
      EXPECT_EQ(log_end.process, elected.process);
      EXPECT_EQ(log_end.epoch, elected.epoch);
      EXPECT_EQ(records[i + 1].time, records[i].time);
      EXPECT_EQ(log_end.log_index, 1u) << "the first leader won with the initial log";
      std::set<ProcessId> voters;
      for (size_t j = 0; j < i; ++j) {
        if (records[j].kind != RecordKind::kSupported) continue;
        const SupportGiven support = records[j].as<SupportGiven>();
        if (support.candidate == elected.process && support.epoch == elected.epoch &&
            support.support == SupportKind::kVote) {
          voters.insert(support.process);
        }
      }
      EXPECT_GE(voters.size(), 3u) << "a majority of five, the leader's own vote included";
      EXPECT_TRUE(voters.contains(elected.process));
    }
    EXPECT_GE(elections, 1u);
  }
}

TEST(SupportTrace, EveryMemberRecordsTheCommitOfTheLeadersNoOp) {
  const std::vector<TraceRecord> records = raft_run(1);
  std::optional<LeaderElected> leader;
  std::map<ProcessId, std::vector<EntryCommitted>> commits;
  for (const TraceRecord& record : records) {
    if (record.kind == RecordKind::kBecameLeader) leader = record.as<LeaderElected>();
    if (record.kind != RecordKind::kCommitted) continue;
    ASSERT_TRUE(leader.has_value()) << "nothing is committed before a leader exists";
    commits[record.node].push_back(record.as<EntryCommitted>());
    EXPECT_EQ(record.group, 0u);
  }
  ASSERT_TRUE(leader.has_value());
  ASSERT_EQ(commits.size(), 5u);
  for (const auto& [process, list] : commits) {
    ASSERT_FALSE(list.empty());
    // The no-op of the leader's term at index 2 is the newest committed entry everywhere.
    EXPECT_EQ(list.back().epoch, leader->epoch) << process;
    EXPECT_EQ(list.back().index, 2u) << process;
  }
}

TEST(SupportTrace, TheSameSeedRecordsTheSameSupport) {
  const std::vector<TraceRecord> first = raft_run(3);
  const std::vector<TraceRecord> second = raft_run(3);
  ASSERT_EQ(first.size(), second.size());
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(Trace::fold(0, first[i]), Trace::fold(0, second[i])) << i;
  }
}

// Each kind of support has a name in the JSON Lines trace, and TRACE.md explains each one.
TEST(SupportTrace, EverySupportKindIsNamedAndDocumented) {
  std::ifstream in(std::string(ELECTSIM_SOURCE_DIR) + "/docs/TRACE.md");
  std::string doc;
  for (std::string line; std::getline(in, line);) doc += line + "\n";
  ASSERT_FALSE(doc.empty());
  std::set<std::string_view> names;
  for (SupportKind kind :
       {SupportKind::kVote, SupportKind::kPreVote, SupportKind::kPromise, SupportKind::kAccept,
        SupportKind::kDoViewChange, SupportKind::kEpochAck, SupportKind::kElectionVote,
        SupportKind::kLeaseGrant}) {
    const std::string_view name = support_kind_name(kind);
    EXPECT_NE(name, "unknown");
    names.insert(name);
    EXPECT_NE(doc.find("| `" + std::string(name) + "` |"), std::string::npos)
        << "docs/TRACE.md has no row for support kind " << name;
  }
  EXPECT_EQ(names.size(), 8u);
  EXPECT_TRUE(is_binding(SupportKind::kVote));
  EXPECT_TRUE(is_binding(SupportKind::kLeaseGrant));
  EXPECT_FALSE(is_binding(SupportKind::kPreVote));
  EXPECT_FALSE(is_binding(SupportKind::kElectionVote));
}

}  // namespace
}  // namespace electsim::sim
