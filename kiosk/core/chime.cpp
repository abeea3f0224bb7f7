#include "kiosk/core/chime.h"

#include <algorithm>
#include <charconv>

#include "kiosk/core/escalation_actions.h"

namespace kiosk::core {
namespace {

ChimeMemory::Seen seen_of(const ChimeEscalation& e) {
  return {e.level, e.hq_notes, e.hq_actions, e.hq_acknowledged};
}

// Head office's part grew since it was last announced. The first level an escalation gets
// on delivery (from -1) is no news; a climb from a known level is.
bool is_news(const ChimeMemory::Seen& was, const ChimeMemory::Seen& is) {
  return (was.level >= 0 && is.level > was.level) || is.hq_notes > was.hq_notes ||
         is.hq_actions > was.hq_actions || (is.hq_acknowledged && !was.hq_acknowledged);
}

bool has_hq_part(const ChimeMemory::Seen& s) {
  return s.level > 0 || s.hq_notes > 0 || s.hq_actions > 0 || s.hq_acknowledged;
}

std::string breach_key(const ChimeEscalation& e) {
  return e.id + "#" + std::to_string(e.generation);
}

bool breached(const ChimeEscalation& e, std::int64_t now_ms) {
  return e.store_level_due_ms && now_ms >= *e.store_level_due_ms;
}

void earliest(std::optional<std::int64_t>& at, std::int64_t t) {
  if (!at || t < *at) at = t;
}

// Forgets what the terminal no longer holds (or, for a breach, what is no longer missed), so
// the memory stays as small as what is on the terminal.
bool prune(ChimeMemory& memory, const ChimeSnapshot& now, std::int64_t now_ms) {
  std::set<std::string> mentions, escalations, breaches;
  for (const auto& m : now.urgent_mentions) mentions.insert(m.id);
  for (const auto& e : now.escalations) {
    escalations.insert(e.id);
    if (breached(e, now_ms)) breaches.insert(breach_key(e));
  }
  bool changed = false;
  changed |=
      std::erase_if(memory.mentions, [&](const auto& id) { return !mentions.contains(id); }) > 0;
  changed |= std::erase_if(memory.escalations,
                           [&](const auto& kv) { return !escalations.contains(kv.first); }) > 0;
  changed |=
      std::erase_if(memory.breaches, [&](const auto& k) { return !breaches.contains(k); }) > 0;
  return changed;
}

// Text fields of the memory hold no tab or newline; an id that does is left out (at worst it
// chimes again after a restart).
bool encodable(std::string_view id) {
  return !id.empty() && id.find_first_of("\t\n") == std::string_view::npos;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = s.find(sep, start);
    parts.push_back(s.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return parts;
}

template <typename Int>
bool parse_int(std::string_view s, Int& out) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

ChimeEscalation chime_view(const Escalation& e, const SeverityPolicy* policy) {
  ChimeEscalation c;
  c.id = e.id;
  c.generation = e.generation;
  c.level = e.ladder_level;
  c.hq_notes = static_cast<int>(e.hq_notes.size());
  c.hq_actions = static_cast<int>(
      std::count_if(e.history.begin(), e.history.end(),
                    [](const EscalationAction& a) { return a.terminal_id.empty(); }));
  c.hq_acknowledged = !e.acknowledged_by.empty();
  if (e.status == EscalationStatus::open && policy != nullptr && !policy->levels.empty()) {
    // The clock starts when it was raised, or reopened (escalation_clock's started_at_ms).
    const EscalationClock clock = escalation_clock(e, policy, e.created_at_ms);
    c.store_level_due_ms = clock.started_at_ms + policy->levels.front().timeout_ms;
  }
  return c;
}

std::string_view to_string(ChimeReason r) {
  switch (r) {
    case ChimeReason::urgent_mention:
      return "urgent_mention";
    case ChimeReason::escalation_update:
      return "escalation_update";
    case ChimeReason::store_level_missed:
      break;
  }
  return "store_level_missed";
}

ChimeDecision decide_chime(ChimeMemory& memory, const ChimeSnapshot& now, std::int64_t now_ms,
                           std::int64_t min_gap_ms) {
  ChimeDecision d;
  for (const auto& e : now.escalations)
    if (e.store_level_due_ms && now_ms < *e.store_level_due_ms)
      earliest(d.next_check_ms, *e.store_level_due_ms);

  if (!memory.primed) {
    // The first run: what is there is not news.
    for (const auto& m : now.urgent_mentions) memory.mentions.insert(m.id);
    for (const auto& e : now.escalations) {
      memory.escalations[e.id] = seen_of(e);
      if (breached(e, now_ms)) memory.breaches.insert(breach_key(e));
    }
    memory.primed = true;
    d.memory_changed = true;
    return d;
  }

  std::vector<ChimeNews> news;
  for (const auto& m : now.urgent_mentions)
    if (!memory.mentions.contains(m.id)) news.push_back({ChimeReason::urgent_mention, m.id});
  for (const auto& e : now.escalations) {
    const ChimeMemory::Seen is = seen_of(e);
    const auto it = memory.escalations.find(e.id);
    const bool update = it == memory.escalations.end() ? has_hq_part(is) : is_news(it->second, is);
    if (update) {
      news.push_back({ChimeReason::escalation_update, e.id});
    } else if (it == memory.escalations.end() || !(it->second == is)) {
      // Raised here, delivered, acted on here: taken in without a chime.
      memory.escalations[e.id] = is;
      d.memory_changed = true;
    }
    if (breached(e, now_ms) && !memory.breaches.contains(breach_key(e)))
      news.push_back({ChimeReason::store_level_missed, e.id});
  }

  if (!news.empty() && memory.last_chime_ms && now_ms - *memory.last_chime_ms < min_gap_ms) {
    // Too soon after the last chime: hold it, and announce everything new in one chime then.
    d.held = news.size();
    earliest(d.next_check_ms, *memory.last_chime_ms + min_gap_ms);
    news.clear();
  } else if (!news.empty()) {
    d.chime = true;
    for (const auto& n : news) {
      if (n.reason == ChimeReason::urgent_mention) memory.mentions.insert(n.id);
    }
    for (const auto& e : now.escalations) {
      memory.escalations[e.id] = seen_of(e);
      if (breached(e, now_ms)) memory.breaches.insert(breach_key(e));
    }
    memory.last_chime_ms = now_ms;
    d.news = std::move(news);
    d.memory_changed = true;
  }
  if (prune(memory, now, now_ms)) d.memory_changed = true;
  return d;
}

std::string encode_chime_memory(const ChimeMemory& memory) {
  if (!memory.primed) return {};
  std::string out = "chime-memory 1\n";
  if (memory.last_chime_ms) out += "last\t" + std::to_string(*memory.last_chime_ms) + "\n";
  for (const auto& id : memory.mentions)
    if (encodable(id)) out += "m\t" + id + "\n";
  for (const auto& [id, s] : memory.escalations)
    if (encodable(id))
      out += "e\t" + std::to_string(s.level) + "\t" + std::to_string(s.hq_notes) + "\t" +
             std::to_string(s.hq_actions) + "\t" + (s.hq_acknowledged ? "1" : "0") + "\t" + id +
             "\n";
  for (const auto& key : memory.breaches)
    if (encodable(key)) out += "b\t" + key + "\n";
  return out;
}

ChimeMemory decode_chime_memory(std::string_view text) {
  ChimeMemory memory;
  for (const std::string_view line : split(text, '\n')) {
    if (line == "chime-memory 1") {
      memory.primed = true;
      continue;
    }
    const auto f = split(line, '\t');
    if (f.size() == 2 && f[0] == "last") {
      std::int64_t ms = 0;
      if (parse_int(f[1], ms)) memory.last_chime_ms = ms;
    } else if (f.size() == 2 && f[0] == "m" && !f[1].empty()) {
      memory.mentions.emplace(f[1]);
    } else if (f.size() == 2 && f[0] == "b" && !f[1].empty()) {
      memory.breaches.emplace(f[1]);
    } else if (f.size() == 6 && f[0] == "e" && !f[5].empty()) {
      ChimeMemory::Seen s;
      if (parse_int(f[1], s.level) && parse_int(f[2], s.hq_notes) &&
          parse_int(f[3], s.hq_actions) && (f[4] == "0" || f[4] == "1")) {
        s.hq_acknowledged = f[4] == "1";
        memory.escalations[std::string(f[5])] = s;
      }
    }
  }
  return memory;
}

}  // namespace kiosk::core
