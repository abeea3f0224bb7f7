#include "sync/hq/api/mention_intake.h"

#include "sync/sources/ingest_file.h"
#include "sync/sources/matcher.h"
#include "sync/sources/pushed.h"

namespace kiosk::sync::hq {

const char* to_string(IntakeResult::Kind kind) {
  switch (kind) {
    case IntakeResult::Kind::added:
      return "added";
    case IntakeResult::Kind::updated:
      return "updated";
    case IntakeResult::Kind::unchanged:
      return "unchanged";
    case IntakeResult::Kind::duplicate:
      return "duplicate";
    case IntakeResult::Kind::unmatched:
      return "unmatched";
    case IntakeResult::Kind::still_unmatched:
      return "still_unmatched";
    case IntakeResult::Kind::rejected:
      return "rejected";
  }
  return "?";
}

void IntakeCounts::count(const IntakeResult& r) {
  switch (r.kind) {
    case IntakeResult::Kind::added:
      ++added;
      break;
    case IntakeResult::Kind::updated:
      ++updated;
      break;
    case IntakeResult::Kind::unchanged:
      ++unchanged;
      break;
    case IntakeResult::Kind::duplicate:
      ++duplicates;
      break;
    case IntakeResult::Kind::unmatched:
    case IntakeResult::Kind::still_unmatched:
      ++unmatched;
      break;
    case IntakeResult::Kind::rejected:
      ++rejected;
      break;
  }
}

namespace {

using Kind = IntakeResult::Kind;

core::Result<std::vector<sources::StoreProfile>> load_profiles(HqStorage& storage) {
  using R = core::Result<std::vector<sources::StoreProfile>>;
  auto rows = storage.store_profiles();
  if (!rows) return R::failure(rows.error());
  std::vector<sources::StoreProfile> out;
  for (const auto& [store_id, text] : rows.value()) {
    auto p = sources::parse_store_profile(text, store_id);
    if (p) out.push_back(std::move(p.value()));  // checked when set; a bad one matches nothing
  }
  return out;
}

// Stores it for the store and records its keys; added, updated or unchanged.
core::Result<IntakeResult> store_for(HqStorage& storage, const core::Mention& m,
                                     const std::string& store_id, const std::string& fingerprint,
                                     std::string reason, std::int64_t now_ms) {
  using R = core::Result<IntakeResult>;
  auto counts = storage.upsert_mentions(store_id, {m}, now_ms);
  if (!counts) return R::failure(counts.error());
  for (const auto& key : {"id:" + m.id, fingerprint.empty() ? std::string() : "fp:" + fingerprint})
    if (!key.empty()) {
      auto put = storage.put_post_key(key, {m.id, store_id}, now_ms);
      if (!put) return R::failure(put.error());
    }
  IntakeResult r;
  r.kind = counts->added ? Kind::added : counts->changed ? Kind::updated : Kind::unchanged;
  r.store_id = store_id;
  r.reason = std::move(reason);
  return r;
}

}  // namespace

core::Result<std::vector<IntakeResult>> take_in_mentions(HqStorage& storage,
                                                         const std::vector<IntakeItem>& items,
                                                         std::int64_t now_ms) {
  using R = core::Result<std::vector<IntakeResult>>;
  std::vector<IntakeResult> out;
  if (items.empty()) return out;
  auto profiles = load_profiles(storage);
  if (!profiles) return R::failure(profiles.error());
  for (const auto& item : items) {
    const core::Mention& m = item.mention;
    const std::string fingerprint = sources::post_fingerprint(m.text);
    // Seen before under this id: a re-fetch updates it where it is.
    auto by_id = storage.find_post_key("id:" + m.id);
    if (!by_id) return R::failure(by_id.error());
    if (by_id.value()) {
      if (by_id.value()->store_id.empty()) {
        out.push_back({Kind::still_unmatched, "", "already waiting in the unmatched queue"});
        continue;
      }
      auto r = store_for(storage, m, by_id.value()->store_id, "", "seen before", now_ms);
      if (!r) return R::failure(r.error());
      out.push_back(r.value());
      continue;
    }
    // The same words under another id: a cross-post, retweet or bare quote.
    if (!fingerprint.empty()) {
      auto by_text = storage.find_post_key("fp:" + fingerprint);
      if (!by_text) return R::failure(by_text.error());
      if (by_text.value()) {
        auto put = storage.put_post_key("id:" + m.id, by_text.value().value(), now_ms);
        if (!put) return R::failure(put.error());
        out.push_back({Kind::duplicate, by_text.value()->store_id,
                       "the same post as " + by_text.value()->mention_id});
        continue;
      }
    }
    if (!item.store_id.empty()) {
      auto store = storage.find_store(item.store_id);
      if (!store) return R::failure(store.error());
      if (!store.value()) {
        out.push_back({Kind::rejected, "", "there is no store \"" + item.store_id + "\""});
        continue;
      }
      auto r = store_for(storage, m, item.store_id, fingerprint, "store given", now_ms);
      if (!r) return R::failure(r.error());
      out.push_back(r.value());
      continue;
    }
    const auto match = sources::match_store(m, item.review_target, profiles.value());
    if (match.kind == sources::MatchResult::Kind::matched) {
      auto r = store_for(storage, m, match.store_id, fingerprint, match.reason, now_ms);
      if (!r) return R::failure(r.error());
      out.push_back(r.value());
      continue;
    }
    std::string candidates;
    for (const auto& c : match.candidates) candidates += (candidates.empty() ? "" : ",") + c;
    UnmatchedMention u{m.id, sources::mention_json_line(m), match.reason, candidates, now_ms};
    auto added = storage.add_unmatched_mention(u);
    if (!added) return R::failure(added.error());
    for (const auto& key :
         {"id:" + m.id, fingerprint.empty() ? std::string() : "fp:" + fingerprint})
      if (!key.empty()) {
        auto put = storage.put_post_key(key, {m.id, ""}, now_ms);
        if (!put) return R::failure(put.error());
      }
    out.push_back({Kind::unmatched, "", match.reason});
  }
  return out;
}

core::Result<core::Mention> assign_unmatched(HqStorage& storage, const std::string& mention_id,
                                             const std::string& store_id, std::int64_t now_ms) {
  using R = core::Result<core::Mention>;
  auto store = storage.find_store(store_id);
  if (!store) return R::failure(store.error());
  if (!store.value())
    return R::failure("there is no store \"" + store_id +
                      "\"; check --store, or add it first with: kiosk-hq store add");
  auto taken = storage.take_unmatched_mention(mention_id);
  if (!taken) return R::failure(taken.error());
  if (!taken.value())
    return R::failure("there is no mention \"" + mention_id +
                      "\" in the unmatched queue; see them with: kiosk-hq mentions unmatched");
  auto pushed = sources::parse_pushed_mention(taken.value()->mention_json);
  if (!pushed) {
    storage.add_unmatched_mention(*taken.value());  // put it back; nothing is lost
    return R::failure("the queued mention " + mention_id + " no longer reads: " + pushed.error());
  }
  const core::Mention& m = pushed->mention;
  auto counts = storage.upsert_mentions(store_id, {m}, now_ms);
  if (!counts) {
    storage.add_unmatched_mention(*taken.value());
    return R::failure(counts.error());
  }
  auto keys = storage.set_post_store(m.id, store_id);
  if (!keys) return R::failure(keys.error());
  return m;
}

}  // namespace kiosk::sync::hq
