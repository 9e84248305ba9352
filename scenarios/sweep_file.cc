#include "scenarios/sweep_file.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "reports/json_report.h"

namespace electsim::scenarios {
namespace {

using Json = nlohmann::ordered_json;

// The line that ends the opening keys; the runs follow, one per line ("runs": [] when none).
constexpr std::string_view kRunsLine = "  \"runs\": [";
constexpr std::string_view kRunIndent = "    ";

std::optional<reports::Verdict> verdict_from_name(const std::string& name) {
  constexpr std::array kVerdicts{reports::Verdict::kPass, reports::Verdict::kSafetyViolation,
                                 reports::Verdict::kLivenessViolation,
                                 reports::Verdict::kInternalError,
                                 reports::Verdict::kBudgetExceeded};
  for (const reports::Verdict verdict : kVerdicts) {
    if (name == reports::verdict_name(verdict)) return verdict;
  }
  return std::nullopt;
}

// `transition_reasons` back into counts (reasons named as sim::step_down_reason_name does).
sim::checks::TransitionReasonCounts transition_reasons(const Json& reasons) {
  sim::checks::TransitionReasonCounts counts;
  for (const auto& [name, count] : reasons.items()) {
    if (name == "unresolved") {
      counts.unresolved = count.get<uint64_t>();
      continue;
    }
    bool known = false;
    for (size_t i = 0; i < counts.by_reason.size(); ++i) {
      if (name != sim::step_down_reason_name(static_cast<sim::StepDownReason>(i))) continue;
      counts.by_reason[i] = count.get<uint64_t>();
      known = true;
    }
    if (!known) throw std::invalid_argument("unknown transition reason");
  }
  return counts;
}

// The leadership figures that --metrics sums (absent from files written before they existed:
// the run then has none, and the sweep exports no total that would leave it out).
void read_leadership(const Json& json, reports::RunResult& run) {
  const auto leaderless = json.find("leaderless_ns");
  const auto fired = json.find("alerts_fired");
  if (leaderless == json.end() || leaderless->is_null() || fired == json.end()) return;
  sim::checks::LeadershipFigures figures;
  figures.leaderless = sim::Duration::nanoseconds(leaderless->get<int64_t>());
  figures.overlap = sim::Duration::nanoseconds(json.at("overlap_ns").get<int64_t>());
  const std::string changes(sim::checks::kLeaderChangesAlert);
  const std::string leaderless_rule(sim::checks::kLeaderlessAlert);
  if (fired->contains(changes)) {
    figures.leader_changes_fired = fired->at(changes).get<uint64_t>();
    run.alert_rules.leader_changes = sim::checks::LeaderChangesRule{};
  }
  if (fired->contains(leaderless_rule)) {
    figures.leaderless_fired = fired->at(leaderless_rule).get<uint64_t>();
    run.alert_rules.leaderless_longer_than = sim::Duration::zero();
  }
  run.leadership = std::move(figures);
}

// The values SweepSummary::add and --metrics read, from one run's JSON; throws nlohmann's
// exceptions on a missing key or a wrong type (the caller turns them into a FILE:LINE error).
reports::RunResult summary_fields(const Json& json) {
  reports::RunResult run;
  run.scenario = json.at("scenario").get<std::string>();
  run.algorithm = json.at("algorithm").get<std::string>();
  run.seed = json.at("seed").get<uint64_t>();
  const auto verdict = verdict_from_name(json.at("verdict").get<std::string>());
  if (!verdict) throw std::invalid_argument("unknown verdict");
  run.verdict = *verdict;
  if (!json.at("error").is_null()) run.error = json.at("error").get<std::string>();
  if (!json.at("error_time_ns").is_null()) {
    run.error_time = sim::Instant::from_ns(json.at("error_time_ns").get<int64_t>());
  }
  for (const Json& violation : json.at("violations")) {
    sim::checks::Violation kept;
    kept.check = violation.at("check").get<std::string>();
    kept.detail = violation.at("detail").get<std::string>();
    kept.time = sim::Instant::from_ns(violation.at("time_ns").get<int64_t>());
    run.checks.violations.push_back(std::move(kept));
  }
  for (const Json& recovery : json.at("recovery_ns")) {
    run.checks.recovery.push_back(sim::Duration::nanoseconds(recovery.get<int64_t>()));
  }
  run.checks.unrecovered = json.at("unrecovered").get<uint64_t>();
  run.checks.leader_changes = json.at("leader_changes").get<uint64_t>();
  if (const auto reasons = json.find("transition_reasons"); reasons != json.end()) {
    run.checks.transition_reasons = transition_reasons(*reasons);
  }
  read_leadership(json, run);
  run.messages_delivered = json.at("messages").get<uint64_t>();
  run.election_messages_sent.reset();
  if (const auto election = json.find("election_messages"); election != json.end()) {
    run.election_messages_sent = election->get<uint64_t>();
  }
  run.events = json.at("events").get<uint64_t>();
  run.reproduce = json.at("replay").get<std::string>();
  // Which faults fired, and how many groups (the regression gate's elections per fault).
  for (const Json& fault : json.at("faults_fired")) {
    reports::FaultRecord kept;
    kept.skipped = fault.at("skipped").get<bool>();
    run.faults.push_back(std::move(kept));
  }
  if (const auto groups = json.find("groups"); groups != json.end()) {
    sim::checks::GroupFigures figures;
    figures.groups = groups->at("count").get<uint32_t>();
    run.checks.groups = figures;
  }
  // The fenced resource's figures (null when the scenario has none): the sweep totals them.
  if (const Json& writes = json.at("writes"); !writes.is_null()) {
    sim::checks::WriteFigures figures;
    figures.sent = writes.at("sent").get<uint64_t>();
    figures.accepted = writes.at("accepted").get<uint64_t>();
    figures.refused = writes.at("refused").get<uint64_t>();
    figures.stale_writes_accepted = json.at("stale_writes_accepted").get<uint64_t>();
    run.checks.writes = figures;
  }
  return run;
}

}  // namespace

std::string describe_sweep(const SweepFileHeader& header) {
  return absl::StrCat(header.scenario, " (", header.algorithm,
                      header.overrides.empty() ? "" : " ", absl::StrJoin(header.overrides, " "),
                      ") seeds ", header.requested_first, "..", header.requested_last,
                      header.shard ? absl::StrCat(" shard ", *header.shard) : "");
}

bool same_sweep(const SweepFileHeader& a, const SweepFileHeader& b, bool ignore_shard) {
  return a.scenario == b.scenario && a.algorithm == b.algorithm && a.overrides == b.overrides &&
         a.requested_first == b.requested_first && a.requested_last == b.requested_last &&
         (ignore_shard || a.shard == b.shard);
}

std::string run_identity(const Json& run) {
  const Json identity{{"scenario", run.at("scenario")},
                      {"scenario_path", run.at("scenario_path")},
                      {"algorithm", run.at("algorithm")},
                      {"params", run.at("params")},
                      {"electsim_version", run.at("electsim_version")},
                      {"electsim_commit", run.at("electsim_commit")}};
  return reports::json_text(identity);
}

absl::Status SweepFileReader::error_at(int line, const std::string& what) const {
  return absl::InvalidArgumentError(absl::StrCat(path_, ":", line, ": ", what));
}

absl::StatusOr<std::unique_ptr<SweepFileReader>> SweepFileReader::open(const std::string& path) {
  std::unique_ptr<SweepFileReader> reader(new SweepFileReader(path));
  reader->in_.open(path, std::ios::binary);
  if (!reader->in_) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": cannot read: ", std::strerror(errno)));
  }
  if (absl::Status status = reader->read_header(); !status.ok()) return status;
  return reader;
}

absl::Status SweepFileReader::read_header() {
  std::string text;
  for (std::string line; std::getline(in_, line);) {
    ++line_;
    if (line.rfind(kRunsLine, 0) == 0) {
      runs_done_ = line == std::string(kRunsLine) + "],";
      if (!runs_done_ && line != kRunsLine) break;
      // The opening's last key ends with the comma before "runs".
      if (text.size() < 2 || text.substr(text.size() - 2) != ",\n") break;
      text.resize(text.size() - 2);
      const Json json = Json::parse(text + "\n}", nullptr, /*allow_exceptions=*/false);
      if (json.is_discarded() || !json.is_object()) break;
      try {
        header_.scenario = json.at("scenario").get<std::string>();
        header_.algorithm = json.at("algorithm").get<std::string>();
        header_.overrides = json.at("overrides").get<std::vector<std::string>>();
        header_.requested_first = json.at("requested_seed_first").get<uint64_t>();
        header_.requested_last = json.at("requested_seed_last").get<uint64_t>();
        if (json.contains("shard")) header_.shard = json.at("shard").get<std::string>();
      } catch (const Json::exception& error) {
        return error_at(line_, absl::StrCat("not a sweep's JSON: ", error.what()));
      }
      if (runs_done_) return read_end();
      return absl::OkStatus();
    }
    absl::StrAppend(&text, line, "\n");
  }
  return error_at(line_, "not a sweep's JSON (written by electsim sweep --json)");
}

absl::StatusOr<std::optional<SweepFileRun>> SweepFileReader::next_run() {
  if (runs_done_) return std::optional<SweepFileRun>();
  std::string line;
  if (!std::getline(in_, line)) return error_at(line_, "the file ends inside the runs");
  ++line_;
  if (line == "  ],") {
    runs_done_ = true;
    if (absl::Status status = read_end(); !status.ok()) return status;
    return std::optional<SweepFileRun>();
  }
  if (line.rfind(kRunIndent, 0) != 0) return error_at(line_, "expected a run or the runs' end");
  SweepFileRun run;
  run.line = line_;
  run.text = line.substr(kRunIndent.size());
  if (!run.text.empty() && run.text.back() == ',') run.text.pop_back();
  const Json json = Json::parse(run.text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return error_at(line_, "a run is not valid JSON");
  try {
    run.summary_fields = summary_fields(json);
    run.identity = run_identity(json);
  } catch (const std::exception& error) {
    return error_at(line_, absl::StrCat("a run lacks what a sweep writes: ", error.what()));
  }
  return std::optional<SweepFileRun>(std::move(run));
}

absl::Status SweepFileReader::read_end() {
  const int first_line = line_ + 1;
  std::string text = "{";
  for (std::string line; std::getline(in_, line);) {
    ++line_;
    absl::StrAppend(&text, "\n", line);
  }
  const Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return error_at(first_line, "the summary after the runs is not valid JSON (cut short?)");
  }
  try {
    end_.interrupted = json.at("interrupted").get<bool>();
    if (!json.at("seed_last").is_null()) end_.seed_last = json.at("seed_last").get<uint64_t>();
  } catch (const Json::exception& error) {
    return error_at(first_line, absl::StrCat("not a sweep's summary: ", error.what()));
  }
  return absl::OkStatus();
}

}  // namespace electsim::scenarios
