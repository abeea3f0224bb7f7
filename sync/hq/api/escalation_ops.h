#pragma once
// Head office's escalation operations, shared by the CLI (`kiosk-hq escalations ...`) and the
// admin JSON API (admin_api.h): listing with filters, one escalation as JSON, and acting on
// one (acknowledge, note, reassign, resolve, reopen) through the same merge rules as a
// terminal's action (kiosk/core/escalation_actions.h), so every change reaches the store
// through its changefeed.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "kiosk/core/escalation.h"
#include "kiosk/core/result.h"
#include "sync/hq/api/report.h"
#include "sync/hq/storage/hq_storage.h"

namespace kiosk::sync::hq {

struct EscalationFilter {
  std::optional<std::string> store_id;
  std::optional<core::EscalationStatus> status;
  std::optional<core::Severity> severity;
  std::optional<core::Category> category;
  std::int64_t older_than_ms = 0;  // 0: any age
  bool breached_only = false;
};

// The filter from words as a person types them ("open", "high", "wait_time", "30m"); an
// unknown one is an error naming what to use instead. Empty strings mean "any".
core::Result<EscalationFilter> make_filter(const std::string& store_id, const std::string& status,
                                           const std::string& severity, const std::string& category,
                                           const std::string& older_than, bool breached_only);

struct ListedEscalation {
  StoredEscalation stored;
  bool breached = false;
};

// Each store's policy and hours, for the stores of these escalations that have one; a policy
// that no longer reads goes to `warn` and counts as none.
std::map<std::string, StoreLadder> load_ladders(
    HqStorage& db, const std::vector<StoredEscalation>& list,
    const std::function<void(const std::string&)>& warn);

// Newest first. Fails when the store is unknown (with a sentence naming it).
core::Result<std::vector<ListedEscalation>> list_filtered(
    HqStorage& db, const EscalationFilter& filter, std::int64_t now_ms,
    const std::function<void(const std::string&)>& warn = {});

// The escalation as the wire has it, plus where it belongs and head office's own fields.
nlohmann::json escalation_json(const ListedEscalation& e);

// What an HQ action came to.
struct HqActionOutcome {
  enum class State { done, unknown, refused };
  State state = State::unknown;
  std::optional<StoredEscalation> after;
  std::string message;  // refused: why, in words for head office
};

// One action by a person at head office (`by`), with text for note (the note), reassign (who
// holds it now) and resolve (an optional resolution note). Checked first: text within the
// contract's limits, a status that allows it (acknowledge needs it open, reopen resolved).
core::Result<HqActionOutcome> act_at_hq(HqStorage& db, const std::string& escalation_id,
                                        core::EscalationActionKind kind, const std::string& by,
                                        const std::string& text, std::int64_t now_ms);

}  // namespace kiosk::sync::hq
