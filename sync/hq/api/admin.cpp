#include "sync/hq/api/admin.h"

#include "kiosk/core/utf8.h"
#include "sync/hq/storage/tokens.h"

namespace kiosk::sync::hq {

core::Result<std::string> issue_enrollment_code(HqStorage& storage, const std::string& store_id,
                                                int valid_hours, std::int64_t now_ms) {
  using R = core::Result<std::string>;
  if (valid_hours <= 0) return R::failure("--valid-hours must be at least 1");
  const std::string code = make_enrollment_code();
  const std::int64_t expires = now_ms + static_cast<std::int64_t>(valid_hours) * 3'600'000;
  auto added = storage.add_enrollment_code(storage.hash_secret(normalize_enrollment_code(code)),
                                           store_id, expires);
  if (!added) return R::failure(added.error());
  return code;
}

core::Result<core::Mention> add_live_mention(HqStorage& storage, const std::string& store_id,
                                             const LiveMention& live, std::int64_t now_ms) {
  using R = core::Result<core::Mention>;
  if (live.source.empty()) return R::failure("--source must not be empty");
  if (live.source.size() > 64) return R::failure("--source must be at most 64 bytes");
  if (live.text.empty()) return R::failure("--text must not be empty");
  if (live.text.size() > 60'000) return R::failure("--text must be at most 60000 bytes");
  if (live.rating && (*live.rating < 1 || *live.rating > 5))
    return R::failure("--rating must be 1 to 5 stars");
  if (live.lang.size() > 35) return R::failure("--lang must be a language code such as en or es");
  core::Mention m;
  m.id = live.source + ":hq-" + make_uuid();
  m.store_id = store_id;
  m.source = live.source;
  m.author = core::repair_utf8(live.author);
  m.text = core::repair_utf8(live.text);
  m.url = live.url;
  m.created_at_ms = now_ms;
  m.rating = live.rating;
  m.lang = live.lang;
  m.reach = live.reach;
  auto counts = storage.upsert_mentions(store_id, {m}, now_ms);
  if (!counts) return R::failure(counts.error());
  return m;
}

}  // namespace kiosk::sync::hq
