#include "sync/hq/api/escalation_ops.h"

#include <nlohmann/json.hpp>

#include <cctype>

#include "kiosk/core/escalation_actions.h"
#include "kiosk/core/hlc.h"
#include "sync/hq/api/ladder.h"
#include "sync/hq/storage/change_payload.h"
#include "sync/hq/storage/tokens.h"
#include "sync/protocol/contracts.h"

namespace kiosk::sync::hq {

core::Result<EscalationFilter> make_filter(const std::string& store_id, const std::string& status,
                                           const std::string& severity, const std::string& category,
                                           const std::string& older_than, bool breached_only) {
  using R = core::Result<EscalationFilter>;
  EscalationFilter f;
  if (!store_id.empty()) f.store_id = store_id;
  if (!status.empty() && !(f.status = core::parse_status(status)))
    return R::failure("unknown status \"" + status + "\"; use open, acknowledged or resolved");
  if (!severity.empty() && !(f.severity = core::parse_severity(severity)))
    return R::failure("unknown severity \"" + severity + "\"; use low, medium, high or critical");
  if (!category.empty() && !(f.category = core::parse_category(category)))
    return R::failure("unknown category \"" + category +
                      "\"; use wait_time, staff_conduct, product_or_stock, price_or_promotion, "
                      "returns_or_refunds, cleanliness, safety, praise or other");
  if (!older_than.empty()) {
    auto d = core::parse_duration_ms(older_than);
    if (!d) return R::failure("older than: " + d.error());
    f.older_than_ms = d.value();
  }
  f.breached_only = breached_only;
  return f;
}

std::map<std::string, StoreLadder> load_ladders(
    HqStorage& db, const std::vector<StoredEscalation>& list,
    const std::function<void(const std::string&)>& warn) {
  std::map<std::string, StoreLadder> out;
  std::map<std::string, bool> seen;
  for (const auto& e : list) {
    if (seen[e.store_id]) continue;
    seen[e.store_id] = true;
    auto text = db.store_policy(e.store_id);
    if (!text || !text.value()) continue;
    auto policy = check_policy_file(*text.value());
    if (!policy) {
      if (warn) warn("store " + e.store_id + "'s policy no longer reads: " + policy.error());
      continue;
    }
    auto hours = business_hours_of(policy.value());
    if (!hours) continue;
    out[e.store_id] = {std::move(policy.value()), std::move(hours.value())};
  }
  return out;
}

core::Result<std::vector<ListedEscalation>> list_filtered(
    HqStorage& db, const EscalationFilter& f, std::int64_t now_ms,
    const std::function<void(const std::string&)>& warn) {
  using R = core::Result<std::vector<ListedEscalation>>;
  if (f.store_id) {
    auto store = db.find_store(*f.store_id);
    if (!store) return R::failure(store.error());
    if (!store.value())
      return R::failure("there is no store \"" + *f.store_id + "\"; check the store id");
  }
  auto all = db.list_escalations(f.store_id);
  if (!all) return R::failure(all.error());
  const auto ladders = load_ladders(db, all.value(), warn);
  std::vector<ListedEscalation> kept;
  for (auto& e : all.value()) {
    const auto& x = e.escalation;
    if (f.status && x.status != *f.status) continue;
    if (f.severity && x.severity != *f.severity) continue;
    if (f.category && x.category != f.category) continue;
    if (f.older_than_ms > 0 && now_ms - e.received_at_ms < f.older_than_ms) continue;
    const auto it = ladders.find(e.store_id);
    const bool b = it != ladders.end() && breached(e, it->second.policy, it->second.hours, now_ms);
    if (f.breached_only && !b) continue;
    kept.push_back({std::move(e), b});
  }
  return kept;
}

nlohmann::json escalation_json(const ListedEscalation& e) {
  auto j = nlohmann::json::parse(escalation_payload(e.stored.escalation));
  j["store_id"] = e.stored.store_id;
  j["origin_terminal_id"] = e.stored.origin_terminal_id;
  j["acknowledged_by"] = e.stored.escalation.acknowledged_by;
  j["received_at_ms"] = e.stored.received_at_ms;
  j["breached"] = e.breached;
  return j;
}

core::Result<HqActionOutcome> act_at_hq(HqStorage& db, const std::string& escalation_id,
                                        core::EscalationActionKind kind, const std::string& by,
                                        const std::string& text, std::int64_t now_ms) {
  using R = core::Result<HqActionOutcome>;
  using K = core::EscalationActionKind;
  std::string id = escalation_id;
  for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  HqActionOutcome out;
  const auto refuse = [&](std::string why) {
    out.state = HqActionOutcome::State::refused;
    out.message = std::move(why);
    return R(std::move(out));
  };
  if (by.empty() || by.size() > protocol::kMaxStaffIdBytes * 2)
    return refuse("say who at head office does it (\"by\", 1 to 128 characters)");
  if ((kind == K::note || kind == K::reassign) && text.empty())
    return refuse(kind == K::note ? "the note is empty; write what should be added"
                                  : "say who holds it now, e.g. \"District manager Ana\"");
  if (auto bad = protocol::check_escalation_note(text)) return refuse(*bad);
  if (kind == K::reassign && text.size() > protocol::kMaxHolderChars * 4)
    return refuse("who holds it is longer than " + std::to_string(protocol::kMaxHolderChars) +
                  " characters");

  auto current = db.find_escalation(id);
  if (!current) return R::failure(current.error());
  if (!current.value()) return R(std::move(out));  // unknown
  const core::Escalation& e = current.value()->escalation;
  if (auto why = core::action_refused(e, kind)) return refuse(*why);

  core::EscalationAction a;
  a.id = make_uuid();
  a.kind = kind;
  a.generation = e.generation + (kind == K::reopen ? 1 : 0);
  a.by = by;
  a.at_ms = now_ms;
  a.hlc = core::format_hlc({now_ms, 0});
  a.text = text;
  auto after = db.apply_escalation_action(id, a, now_ms);
  if (!after) return R::failure(after.error());
  if (!after.value()) return R(std::move(out));
  out.state = HqActionOutcome::State::done;
  out.after = std::move(after.value());
  return R(std::move(out));
}

}  // namespace kiosk::sync::hq
