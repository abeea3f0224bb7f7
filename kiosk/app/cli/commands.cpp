#include "kiosk/app/cli/commands.h"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "kiosk/app/cli/triage_command.h"
#include "kiosk/app/view/clock.h"
#include "kiosk/app/view/intent_applier.h"
#include "kiosk/app/view/saved_settings.h"
#include "kiosk/app/view/ui_catalog.h"
#include "kiosk/core/escalation_actions.h"
#include "kiosk/core/escalation_policy.h"
#include "kiosk/store/kiosk_store.h"
#include "sync/client/sync_session.h"
#include "sync/protocol/contracts.h"
#include "sync/protocol/json_codec.h"

namespace kiosk::app {
namespace {

using json = nlohmann::json;

int fail(const std::string& message) {
  std::fprintf(stderr, "kiosk: %s\n", message.c_str());
  return 1;
}

// Runs body with an open store, turning database problems into one clear line.
template <typename F>
int with_store(const std::string& db, F&& body) {
  try {
    store::Store s(db);
    // Triage what this command stores with the full lexicon when the assets are at hand;
    // without them stars decide and the window triages the rest when it opens.
    if (auto lexicon = load_lexicon(default_assets_dir()))
      s.set_lexicon(std::make_shared<const core::Lexicon>(std::move(lexicon.value())));
    return body(s);
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}

json optional_ms(const std::optional<std::int64_t>& v) {
  return v ? json(*v) : json(nullptr);
}

std::string dump(const json& j) {
  return j.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace

int command_enroll(const std::string& db, const sync::client::EnrollOptions& options) {
  return with_store(db, [&](store::Store& s) {
    const auto r = sync::client::enroll(s, options);
    if (!r.ok) return fail(r.error.text());
    std::printf("Enrolled as terminal %s of store %s (%s) with head office %s\n",
                r.enrollment.terminal_id.c_str(), r.enrollment.store_id.c_str(),
                r.enrollment.store_name.c_str(), r.enrollment.hq_url.c_str());
    if (r.moved_store)
      std::printf(
          "The previous store's mentions and escalations were removed from this "
          "terminal.\n");
    return 0;
  });
}

int command_sync_once(const std::string& db) {
  return with_store(db, [&](store::Store& s) {
    const auto r = sync::client::sync_once(s, wall_clock_ms());
    if (!r.ok) {
      const auto waiting = s.sync_state().events_waiting;
      return fail(r.error.text() + " (" + std::to_string(waiting) +
                  " events kept on this terminal and sent when head office answers)");
    }
    std::printf("Synced: %lld events delivered, %lld rejected, %lld changes received\n",
                static_cast<long long>(r.events_sent), static_cast<long long>(r.events_rejected),
                static_cast<long long>(r.changes_applied));
    return 0;
  });
}

int command_status(const std::string& db, bool as_json) {
  return with_store(db, [&](store::Store& s) {
    const auto e = s.enrollment();
    const auto st = s.sync_state();
    json counts = json::object();
    for (auto p :
         {core::EscalationProgress::queued_on_terminal, core::EscalationProgress::delivered_to_hq,
          core::EscalationProgress::acknowledged, core::EscalationProgress::resolved,
          core::EscalationProgress::not_accepted})
      counts[std::string(core::to_string(p))] = 0;
    for (const auto& esc : s.escalations()) {
      auto& n = counts[std::string(core::to_string(core::progress_of(esc)))];
      n = n.get<int>() + 1;
    }
    json j = {{"enrolled", e.has_value()},
              {"hq_url", e ? e->hq_url : ""},
              {"hq_ca_file", e ? e->hq_ca_file : ""},
              {"hq_pin", e ? e->hq_pin : ""},
              {"hq_allow_plain_http", e && e->allow_plain_http},
              {"terminal_id", e ? e->terminal_id : ""},
              {"store_id", e ? e->store_id : ""},
              {"store_name", e ? e->store_name : ""},
              {"queue_depth", st.events_waiting},
              {"events_rejected", st.events_rejected},
              {"cursor", st.cursor},
              {"last_sync_ms", optional_ms(st.last_success_ms)},
              {"last_attempt_ms", optional_ms(st.last_attempt_ms)},
              {"last_error", st.last_error},
              {"last_error_kind", st.last_error_kind},
              {"sync_worker",
               {{"state", st.worker_state.empty() ? "not running" : st.worker_state},
                {"next_attempt_ms", optional_ms(st.next_attempt_ms)}}},
              {"escalations", counts}};
    // The window's settings at its next start without flags: saved in Settings, or default.
    const SavedSettings saved = load_saved_settings(s);
    const ui::SettingsView settings = with_saved({}, saved, {});
    const auto origin = [](bool is_saved) { return is_saved ? "saved" : "default"; };
    j["settings"] = {{"theme", settings.theme},
                     {"language", settings.language},
                     {"idle_lock_seconds", settings.idle_lock_ms / 1000},
                     {"idle_screen_seconds", settings.idle_screen_ms / 1000},
                     {"onscreen_keyboard", settings.onscreen_keyboard},
                     {"saved",
                      {{"theme", saved.theme.has_value()},
                       {"language", saved.language.has_value()},
                       {"idle_lock_seconds", saved.idle_lock_ms.has_value()},
                       {"idle_screen_seconds", saved.idle_screen_ms.has_value()},
                       {"onscreen_keyboard", saved.onscreen_keyboard.has_value()}}},
                     {"problems", saved.problems}};
    if (as_json) {
      std::printf("%s\n", dump(j).c_str());
      return 0;
    }
    std::printf("Store:        %s\n", e ? (e->store_name + " (" + e->store_id + ")").c_str()
                                        : "not enrolled (kiosk enroll --hq URL --code CODE)");
    if (e)
      std::printf("Head office:  %s (terminal %s)\n", e->hq_url.c_str(), e->terminal_id.c_str());
    if (e && !e->hq_ca_file.empty()) std::printf("Trusted CA:   %s\n", e->hq_ca_file.c_str());
    if (e && !e->hq_pin.empty()) std::printf("Pinned key:   %s\n", e->hq_pin.c_str());
    std::printf("Waiting:      %lld events to send\n", static_cast<long long>(st.events_waiting));
    if (st.events_rejected > 0)
      std::printf("Rejected:     %lld events refused by head office (kept here)\n",
                  static_cast<long long>(st.events_rejected));
    std::printf("Last sync:    %s\n", st.last_success_ms ? "ok" : "never");
    if (!st.last_error.empty()) std::printf("Last error:   %s\n", st.last_error.c_str());
    std::printf("Theme:        %s (%s)\n", settings.theme.c_str(), origin(saved.theme.has_value()));
    std::printf("Language:     %s (%s)\n", settings.language.c_str(),
                origin(saved.language.has_value()));
    std::printf("Tap out:      after %lld s without a touch (%s)\n",
                static_cast<long long>(settings.idle_lock_ms / 1000),
                origin(saved.idle_lock_ms.has_value()));
    std::printf("Idle screen:  %s (%s)\n",
                settings.idle_screen_ms == 0
                    ? "never"
                    : ("after " + std::to_string(settings.idle_screen_ms / 1000) + " s").c_str(),
                origin(saved.idle_screen_ms.has_value()));
    std::printf("Keyboard:     on-screen %s (%s)\n", settings.onscreen_keyboard ? "on" : "off",
                origin(saved.onscreen_keyboard.has_value()));
    for (const std::string& p : saved.problems) std::printf("Settings:     %s\n", p.c_str());
    return 0;
  });
}

int command_escalate(const std::string& db, const std::string& mention_id,
                     const std::string& severity, const std::string& note,
                     const std::string& category, const std::string& staff_id) {
  const auto sev = core::parse_severity(severity);
  if (!sev) return fail("severity must be low, medium, high or critical, not \"" + severity + "\"");
  std::optional<core::Category> cat;
  if (!category.empty() && !(cat = core::parse_category(category)))
    return fail("unknown category \"" + category +
                "\"; use wait_time, staff_conduct, product_or_stock, price_or_promotion, "
                "returns_or_refunds, cleanliness, safety, praise or other");
  if (mention_id.empty() && !cat)
    return fail("give --mention ID, or --category C for an issue with no post");
  if (staff_id.size() > sync::protocol::kMaxStaffIdBytes)
    return fail("--staff is longer than 64 bytes");
  return with_store(db, [&](store::Store& s) {
    if (!staff_id.empty() && !s.staff_member(staff_id))
      return fail("there is no member of staff \"" + staff_id +
                  "\" on this terminal (kiosk staff list)");
    const ui::Intents intents{ui::RequestEscalate{mention_id, *sev, note, cat, staff_id}};
    const auto effects = apply_intents(intents, s, wall_clock_ms(), nullptr);
    if (!effects.error.empty())
      return fail(effects.detail.empty() ? effects.error
                                         : "Escalation not saved: " + effects.detail);
    std::printf("Escalation queued on this terminal (%lld waiting to send)\n",
                static_cast<long long>(s.sync_state().events_waiting));
    return 0;
  });
}

int command_escalation_action(const std::string& db, const std::string& action,
                              const std::string& escalation_id, const std::string& staff_id,
                              const std::string& text) {
  std::optional<core::EscalationActionKind> kind;
  if (action == "ack" || action == "acknowledge") kind = core::EscalationActionKind::acknowledge;
  if (action == "note") kind = core::EscalationActionKind::note;
  if (action == "reassign") kind = core::EscalationActionKind::reassign;
  if (action == "resolve") kind = core::EscalationActionKind::resolve;
  if (action == "reopen") kind = core::EscalationActionKind::reopen;
  if (!kind)
    return fail("unknown action \"" + action + "\"; use ack, note, reassign, resolve or reopen");
  if ((*kind == core::EscalationActionKind::note ||
       *kind == core::EscalationActionKind::reassign) &&
      text.empty())
    return fail(*kind == core::EscalationActionKind::note
                    ? "--text must say what the note is"
                    : "--text must say who holds it now, e.g. --text \"Store manager Ana\"");
  return with_store(db, [&](store::Store& s) {
    const ui::Intents intents{ui::RequestEscalationAction{escalation_id, *kind, text, staff_id}};
    const auto effects = apply_intents(intents, s, wall_clock_ms(), nullptr);
    if (!effects.error.empty()) return fail(effects.error);
    const auto e = s.escalation(escalation_id);
    std::printf("Escalation %s is %s here (%lld events waiting to send)\n", escalation_id.c_str(),
                e ? std::string(core::to_string(e->status)).c_str() : "?",
                static_cast<long long>(s.sync_state().events_waiting));
    return 0;
  });
}

int command_escalations(const std::string& db, bool as_json) {
  return with_store(db, [&](store::Store& s) {
    const auto policy = core::parse_store_policy(s.store_policy_text());
    const std::int64_t now = wall_clock_ms();
    json list = json::array();
    for (const auto& r : s.escalation_board(500)) {
      const core::Escalation& e = r.escalation;
      const core::SeverityPolicy* p = policy ? policy->for_severity(e.severity) : nullptr;
      const core::EscalationClock c = core::escalation_clock(e, p, now);
      json history = json::array();
      for (const auto& h : e.history)
        history.push_back({{"kind", core::to_string(h.kind)},
                           {"by", h.by},
                           {"terminal_id", h.terminal_id},
                           {"at_ms", h.at_ms},
                           {"text", h.text}});
      json j{{"id", e.id},
             {"status", core::to_string(e.status)},
             {"severity", core::to_string(e.severity)},
             {"category", e.category ? std::string(core::to_string(*e.category)) : ""},
             {"mention_id", e.mention_id},
             {"staff_id", e.staff_id},
             {"generation", e.generation},
             {"elapsed_ms", c.elapsed_ms},
             {"target_ms", optional_ms(c.target_ms)},
             {"left_ms", optional_ms(c.left_ms)},
             {"ladder_level", c.level},
             {"holder", c.holder},
             {"store_level_missed", c.store_level_missed},
             {"acknowledgement",
              core::to_string(core::acknowledgement_state(e, r.unsynced_action_ids))},
             {"acknowledged_by", e.acknowledged_by},
             {"resolution_note", e.resolution_note},
             {"history", history}};
      list.push_back(std::move(j));
    }
    if (as_json) {
      std::printf("%s\n", dump(list).c_str());
      return 0;
    }
    if (list.empty()) std::printf("no escalations on this terminal\n");
    for (const auto& j : list) {
      std::printf("%s  %s  %s  %s  %s", j["id"].get<std::string>().c_str(),
                  j["status"].get<std::string>().c_str(), j["severity"].get<std::string>().c_str(),
                  j["category"].get<std::string>().c_str(),
                  j["acknowledgement"].get<std::string>().c_str());
      if (!j["left_ms"].is_null()) {
        const auto left = j["left_ms"].get<std::int64_t>();
        std::printf("  %s %lld min", left >= 0 ? "left" : "overdue by",
                    static_cast<long long>((left >= 0 ? left : -left) / 60000));
      }
      if (!j["holder"].get<std::string>().empty())
        std::printf("  holder=\"%s\"", j["holder"].get<std::string>().c_str());
      if (j["store_level_missed"].get<bool>()) std::printf("  STORE MANAGER LATE");
      std::printf("\n");
    }
    return 0;
  });
}

int command_share_praise(const std::string& db, const std::string& mention_id,
                         const std::string& note, const std::string& staff_id) {
  return with_store(db, [&](store::Store& s) {
    if (!s.mention(mention_id))
      return fail("there is no mention \"" + mention_id + "\" on this terminal (kiosk mentions)");
    const sync::protocol::PraiseShared praise{mention_id, note, staff_id, wall_clock_ms()};
    const std::string body = sync::protocol::body_of(praise);
    if (auto why = sync::protocol::check_body("praise.shared", body)) return fail(*why);
    s.queue_event({"praise.shared", mention_id, body}, praise.shared_at_ms);
    std::printf("Praise shared with the team and head office (%lld events waiting to send)\n",
                static_cast<long long>(s.sync_state().events_waiting));
    return 0;
  });
}

int command_mentions(const std::string& db, bool as_json, int limit, const std::string& filter) {
  return with_store(db, [&](store::Store& s) {
    std::vector<core::Mention> mentions;
    if (filter.empty()) {
      mentions = s.recent_mentions(limit);
    } else {
      // The feed's order under one chip, as the window shows it.
      constexpr const char* names[] = {"needs_attention", "negative",  "praise",
                                       "reviews",         "escalated", "all"};
      std::size_t chip = store::kFeedFilterCount;
      for (std::size_t i = 0; i < store::kFeedFilterCount; ++i)
        if (filter == names[i]) chip = i;
      if (chip == store::kFeedFilterCount)
        return fail(
            "--feed must be one of needs_attention, negative, praise, reviews, "
            "escalated, all");
      for (auto& row : s.feed_page({static_cast<store::FeedFilter>(chip), ""}, 0, limit))
        mentions.push_back(std::move(row.mention));
    }
    if (as_json) {
      std::printf("%s\n", sync::protocol::encode_mentions(mentions).c_str());
      return 0;
    }
    for (const auto& m : mentions)
      std::printf("%s  [%s] %s: %s\n", m.id.c_str(), m.source.c_str(), m.author.c_str(),
                  m.text.c_str());
    return 0;
  });
}

int command_ingest(const std::string& db, const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail("cannot read " + file + ": check the path and permissions");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const auto mentions = sync::protocol::decode_mentions(buffer.str(), wall_clock_ms());
  if (!mentions) return fail(file + ": " + mentions.error() + "; nothing was imported");
  return with_store(db, [&](store::Store& s) {
    s.upsert_mentions(*mentions, wall_clock_ms());
    std::printf("Imported %zu mentions from %s\n", mentions->size(), file.c_str());
    return 0;
  });
}

}  // namespace kiosk::app
