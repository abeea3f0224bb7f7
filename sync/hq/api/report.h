#pragma once
// Escalation figures for head office (`kiosk-hq report escalations`): per store and overall,
// how long acknowledging and resolving took (median, p90, on head office's clock from when it
// received each escalation), how many breached their store's targets, and how many there were
// by category, so HQ sees which internal processes cause complaints. Also the filters of
// `escalations list` that need the policy (breached). Pure over what storage returned.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/escalation_policy.h"
#include "sync/hq/storage/hq_storage.h"

namespace kiosk::sync::hq {

// Whether the escalation breached its store's targets by now_ms (evaluate_ladder's rule);
// false for a store without a policy or a severity that does not climb.
bool breached(const StoredEscalation& e, const std::optional<core::StorePolicy>& policy,
              const core::BusinessHours& hours, std::int64_t now_ms);

struct DurationFigures {
  int count = 0;  // how many escalations got there
  std::optional<std::int64_t> median_ms;
  std::optional<std::int64_t> p90_ms;
};

struct EscalationFigures {
  int total = 0;
  int open = 0;
  int acknowledged = 0;
  int resolved = 0;
  int breached = 0;
  DurationFigures to_acknowledge;
  DurationFigures to_resolve;
  std::map<std::string, int> by_category;  // "wait_time", ... and "uncategorised"
};

struct EscalationReport {
  EscalationFigures overall;
  std::map<std::string, EscalationFigures> by_store;
};

// policies: each store's policy and business hours, where it has one.
struct StoreLadder {
  core::StorePolicy policy;
  core::BusinessHours hours;
};
EscalationReport report_escalations(const std::vector<StoredEscalation>& escalations,
                                    const std::map<std::string, StoreLadder>& ladders,
                                    std::int64_t now_ms);

std::string report_json(const EscalationReport& r);
std::string report_table(const EscalationReport& r);

}  // namespace kiosk::sync::hq
