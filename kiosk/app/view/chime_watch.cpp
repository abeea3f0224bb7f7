#include "kiosk/app/view/chime_watch.h"

#include <algorithm>
#include <string>

namespace kiosk::app {
namespace {

constexpr const char* kMemoryKey = "chime_memory";

}  // namespace

core::ChimeSnapshot chime_snapshot(store::Store& store) {
  core::ChimeSnapshot s;
  s.urgent_mentions = store.urgent_mentions(kChimeMentionWindow);
  const auto policy = core::parse_store_policy(store.store_policy_text());
  for (const auto& e : store.escalations())
    s.escalations.push_back(
        core::chime_view(e, policy ? policy->for_severity(e.severity) : nullptr));
  return s;
}

ChimeWatch::ChimeWatch(store::Store& store)
    : store_(store), memory_(core::decode_chime_memory(store.setting(kMemoryKey).value_or(""))) {}

core::ChimeDecision ChimeWatch::check(std::int64_t now_ms) {
  core::ChimeMemory memory = memory_;
  core::ChimeDecision d = core::decide_chime(memory, chime_snapshot(store_), now_ms);
  if (d.memory_changed) store_.save_setting(kMemoryKey, core::encode_chime_memory(memory));
  memory_ = std::move(memory);  // only once saved: a failed save decides again next time
  return d;
}

std::string describe_chime(const core::ChimeDecision& decision) {
  const auto count = [&](core::ChimeReason r) {
    return std::count_if(decision.news.begin(), decision.news.end(),
                         [r](const core::ChimeNews& n) { return n.reason == r; });
  };
  std::string out;
  const auto add = [&](std::ptrdiff_t n, const char* one, const char* many) {
    if (n == 0) return;
    if (!out.empty()) out += ", ";
    out += std::to_string(n) + " " + (n == 1 ? one : many);
  };
  add(count(core::ChimeReason::urgent_mention), "urgent post", "urgent posts");
  add(count(core::ChimeReason::escalation_update), "escalation update from head office",
      "escalation updates from head office");
  add(count(core::ChimeReason::store_level_missed),
      "escalation not acknowledged at the store in time",
      "escalations not acknowledged at the store in time");
  return out;
}

}  // namespace kiosk::app
