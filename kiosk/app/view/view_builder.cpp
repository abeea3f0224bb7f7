#include "kiosk/app/view/view_builder.h"

#include <qrencode.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>

#include "kiosk/core/escalation_actions.h"
#include "kiosk/core/escalation_policy.h"
#include "kiosk/core/time_format.h"
#include "kiosk/core/utf8.h"

namespace kiosk::app {

FeedWindow feed_window_around(std::int64_t visible_first, std::int64_t visible_end) {
  const std::int64_t visible = std::max<std::int64_t>(visible_end - visible_first, 1);
  const std::int64_t margin = std::max<std::int64_t>(visible * 2, 8);
  FeedWindow w;
  w.first = std::max<std::int64_t>(visible_first - margin, 0);
  w.count = visible_end + margin - w.first;
  return w;
}

bool holds_rows(const ui::ViewState& view, std::int64_t visible_first, std::int64_t visible_end) {
  const std::int64_t held_end = view.feed_first + static_cast<std::int64_t>(view.feed.size());
  const std::int64_t want_end = std::min(visible_end, view.feed_total);
  if (visible_first >= want_end) return true;
  return visible_first >= view.feed_first && want_end <= held_end;
}

namespace {

// A post's text as the font can draw it (emoji by name, scripts it lacks as a mark), once per
// rebuild, not per frame; without the font's ranges only presentation modifiers go.
std::string shown(const std::string& text, std::span<const core::GlyphRange> drawable) {
  return drawable.empty() ? core::strip_presentation_modifiers(text)
                          : core::drawable_text(text, drawable);
}

// A feed row as its card shows it.
ui::MentionCard card_of(const store::FeedRow& row,
                        const std::map<std::string, store::ReplySuggestion>& replies,
                        std::span<const core::GlyphRange> drawable) {
  const core::Mention& m = row.mention;
  ui::MentionCard card;
  card.mention_id = m.id;
  card.source = m.source;
  card.author = shown(m.author, drawable);
  card.created_at_ms = m.created_at_ms;
  card.text = shown(m.text, drawable);
  card.rating = m.rating;
  card.reach = m.reach;
  card.sentiment = row.triage.sentiment;
  card.category = row.triage.category;
  card.urgency = row.triage.urgency;
  card.attention = row.triage.attention;
  card.reasons = row.triage.reasons;
  if (row.triage.staff) {
    card.staff_who = row.triage.staff->who;
    card.staff_where = row.triage.staff->where;
  }
  card.praise_shared = row.praise_shared_at_ms.has_value();
  if (row.latest_escalation) {
    card.escalation_progress = core::progress_of(*row.latest_escalation);
    card.escalation_severity = row.latest_escalation->severity;
    card.escalation_acknowledged_by = row.latest_escalation->acknowledged_by;
    card.escalation_not_accepted_reason = row.latest_escalation->not_accepted_reason;
  }
  if (const auto r = replies.find(m.id); r != replies.end()) {
    card.reply_outcome = r->second.outcome;
    card.reply_text = r->second.final_text;
    card.reply_comment = r->second.comment;
  }
  return card;
}

// "2026-11-23 16:10" in the terminal's local time zone: the counter's own clock.
std::string local_minute(std::int64_t unix_ms) {
  const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm local{};
  if (localtime_r(&t, &local) == nullptr) return core::utc_minute(unix_ms);
  char buf[32];
  if (std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M %Z", &local) == 0)
    return core::utc_minute(unix_ms);
  return buf;
}

// The url as QR modules (libqrencode, error correction M), for a phone to open it.
void fill_qr(ui::MentionDetail& d) {
  d.qr_modules.clear();
  d.qr_size = 0;
  if (d.url.empty()) return;
  QRcode* qr = QRcode_encodeString(d.url.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (qr == nullptr) return;  // too long for a QR code: the text alone
  d.qr_size = qr->width;
  const auto n = static_cast<std::size_t>(qr->width) * static_cast<std::size_t>(qr->width);
  d.qr_modules.reserve(n);
  for (std::size_t i = 0; i < n; ++i) d.qr_modules.push_back(qr->data[i] & 1U);
  QRcode_free(qr);
}

// The open mention's detail: one query for it (and one for the post it replies to).
std::optional<ui::MentionDetail> detail_of(store::Store& store, const std::string& id,
                                           std::span<const core::GlyphRange> drawable) {
  if (id.empty()) return std::nullopt;
  const auto row = store.feed_row(id);
  if (!row) return std::nullopt;
  const core::Mention& m = row->mention;
  ui::MentionDetail d;
  d.card = card_of(*row, store.latest_replies({id}), drawable);
  d.url = m.url;
  fill_qr(d);
  d.posted_local = local_minute(m.created_at_ms);
  if (m.edited_at_ms) d.edited_local = local_minute(*m.edited_at_ms);
  d.lang = m.lang;
  d.place = m.location.name;
  if (d.place.empty() && m.location.lat && m.location.lon) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.4f, %.4f", *m.location.lat, *m.location.lon);
    d.place = buf;
  }
  d.reply_to = m.reply_to;
  if (!m.reply_to.empty())
    if (const auto parent = store.mention(m.reply_to))
      d.reply_to_text = shown(parent->text, drawable);
  d.owner_reply = shown(m.owner_reply, drawable);
  return d;
}

}  // namespace

ui::ViewState build_view_state(store::Store& store, FeedWindow window,
                               const FeedSelection& selection,
                               std::span<const core::GlyphRange> drawable) {
  ui::ViewState view;
  const auto enrollment = store.enrollment();
  view.store_name = enrollment ? enrollment->store_name : std::string();

  // The chips are drawn in FeedFilter's order: one index for both.
  static_assert(ui::kFeedChipCount == store::kFeedFilterCount);
  view.chip = selection.chip;
  view.search = selection.search;
  const store::FeedQuery query{static_cast<store::FeedFilter>(selection.chip), selection.search};
  if (selection.chip_counts) {
    const store::FeedCounts counts = store.feed_counts(selection.search);
    view.chip_counts.emplace();
    std::copy(counts.begin(), counts.end(), view.chip_counts->begin());
    view.feed_total = counts[static_cast<std::size_t>(selection.chip)];
  } else {
    view.feed_total = store.feed_count(query);
  }
  view.feed_first = std::clamp<std::int64_t>(window.first, 0, view.feed_total);
  const auto rows = store.feed_page(query, view.feed_first, window.count);
  std::vector<std::string> ids;
  for (const auto& row : rows) ids.push_back(row.mention.id);
  const auto replies = store.latest_replies(ids);
  view.feed.reserve(rows.size());
  for (const auto& row : rows) view.feed.push_back(card_of(row, replies, drawable));

  view.detail_mention_id = selection.detail_mention_id;
  view.detail = detail_of(store, selection.detail_mention_id, drawable);

  // The Escalations screen: open first, each with its store's policy for the clock.
  const auto policy = core::parse_store_policy(store.store_policy_text());
  for (const auto& r : store.escalation_board(200)) {
    const core::Escalation& e = r.escalation;
    const core::SeverityPolicy* p = policy ? policy->for_severity(e.severity) : nullptr;
    // The clock's fixed parts; the screen counts from started_at_ms with its own now.
    const core::EscalationClock c = core::escalation_clock(e, p, e.created_at_ms);
    ui::EscalationCard card;
    card.id = e.id;
    card.severity = e.severity;
    card.category = e.category;
    card.status = e.status;
    card.about = shown(r.mention_text, drawable);
    card.note = e.note;
    card.started_at_ms = c.started_at_ms;
    card.target_ms = c.target_ms;
    if (p != nullptr && !p->levels.empty())
      card.store_level_due_ms = c.started_at_ms + p->levels.front().timeout_ms;
    card.level = c.level;
    card.holder = c.holder;
    card.acknowledgement = core::acknowledgement_state(e, r.unsynced_action_ids);
    card.acknowledged_by = e.acknowledged_by;
    card.resolution_note = e.resolution_note;
    card.history = e.history;
    card.unsynced_action_ids = r.unsynced_action_ids;
    view.escalations.push_back(std::move(card));
  }

  const auto sync = store.sync_state();
  view.sync.enrolled = enrollment.has_value();
  view.sync.events_waiting = sync.events_waiting;
  // "Online" means the last attempt reached head office; an attempt that failed since the
  // last success means offline.
  view.sync.online = sync.last_success_ms && sync.last_error.empty();
  view.sync.last_success_ms = sync.last_success_ms;
  view.sync.failed = !sync.last_error.empty();
  view.sync.failure_kind = core::parse_error_kind(sync.last_error_kind);

  // Who the PIN pad offers: active staff, by name, with their lockout (a handful of rows).
  for (const auto& member : store.staff()) {
    if (!member.active) continue;
    view.staff.push_back({member.member.id, member.member.name,
                          store.pin_attempts(member.member.id).locked_until_ms,
                          member.member.role});
  }
  return view;
}

void show_sync_failure(ui::SyncStatus& sync, const std::optional<core::Error>& failure) {
  if (!failure) return;
  sync.online = false;
  sync.failed = true;
  sync.failure_kind = failure->kind;
}

}  // namespace kiosk::app
