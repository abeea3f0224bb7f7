#include "kiosk/store/kiosk_store.h"

#include <algorithm>
#include <array>
#include <random>
#include <vector>

#include "kiosk/core/escalation_actions.h"
#include "kiosk/core/utf8.h"
#include "kiosk/core/uuid.h"
#include "kiosk/store/migrations.h"

namespace kiosk::store {
namespace {

std::string new_uuid() {
  // std::random_device reads the kernel's CSPRNG on Linux: ids from different terminals
  // must never collide.
  std::random_device rd;
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < bytes.size(); i += 4) {
    const std::uint32_t r = rd();
    for (std::size_t k = 0; k < 4; ++k) bytes[i + k] = static_cast<std::uint8_t>(r >> (8 * k));
  }
  return core::format_uuid_v4(bytes);
}

}  // namespace

std::string Store::make_id() {
  return new_uuid();
}

namespace {

constexpr const char* kEscalationColumns =
    "id, mention_id, severity, note, status, created_at_ms, delivered_at_ms, acknowledged_by, "
    "status_changed_at_ms";

// kEscalationColumns plus why head office refused its event, for SELECTs.
const std::string kEscalationSelect =
    std::string(kEscalationColumns) +
    ", (SELECT o.rejected_reason FROM outbox o WHERE o.entity_id = escalations.id AND "
    "o.rejected_reason IS NOT NULL LIMIT 1)";

core::Escalation read_escalation(const Statement& st, int first = 0) {
  core::Escalation e;
  e.id = st.column_text(first + 0);
  e.mention_id = st.column_text(first + 1);
  e.severity = core::parse_severity(st.column_text(first + 2)).value_or(core::Severity::medium);
  e.note = st.column_text(first + 3);
  e.status = core::parse_status(st.column_text(first + 4)).value_or(core::EscalationStatus::open);
  e.created_at_ms = st.column_int(first + 5);
  e.delivered_at_ms = st.column_optional_int(first + 6);
  e.acknowledged_by = st.column_text(first + 7);
  e.status_changed_at_ms = st.column_int(first + 8);
  e.not_accepted_reason = st.column_text(first + 9);
  return e;
}

// The mention's columns as read_mention expects them, with a table alias ("m.") or none.
std::string mention_columns(const std::string& a) {
  std::string out;
  for (const char* c : {"id",
                        "store_id",
                        "source",
                        "author",
                        "text",
                        "url",
                        "created_at_ms",
                        "rating",
                        "lang",
                        "author_followers",
                        "likes",
                        "reposts",
                        "replies",
                        "place_name",
                        "lat",
                        "lon",
                        "reply_to",
                        "owner_reply",
                        "edited_at_ms",
                        "sentiment",
                        "urgency",
                        "category",
                        "priority",
                        "reasons",
                        "staff_who",
                        "staff_where",
                        "rowid",
                        "praise_shared_at_ms"}) {
    if (!out.empty()) out += ", ";
    out += a + c;
  }
  return out;
}
constexpr int kMentionColumnCount = 28;  // the escalation's columns follow

core::Mention read_mention(const Statement& st) {
  core::Mention m;
  m.id = st.column_text(0);
  m.store_id = st.column_text(1);
  m.source = st.column_text(2);
  m.author = st.column_text(3);
  m.text = st.column_text(4);
  m.url = st.column_text(5);
  m.created_at_ms = st.column_int(6);
  if (const auto stars = st.column_optional_int(7)) m.rating = static_cast<int>(*stars);
  m.lang = st.column_text(8);
  m.reach.author_followers = st.column_optional_int(9);
  m.reach.likes = st.column_optional_int(10);
  m.reach.reposts = st.column_optional_int(11);
  m.reach.replies = st.column_optional_int(12);
  m.location.name = st.column_text(13);
  m.location.lat = st.column_optional_double(14);
  m.location.lon = st.column_optional_double(15);
  m.reply_to = st.column_text(16);
  m.owner_reply = st.column_text(17);
  m.edited_at_ms = st.column_optional_int(18);
  return m;
}

core::Triage read_triage(const Statement& st) {
  core::Triage t = core::from_columns({st.column_int(19), st.column_int(20), st.column_text(21),
                                       st.column_int(22), st.column_text(23)});
  if (std::string who = st.column_text(24); !who.empty())
    t.staff = core::StaffMention{std::move(who), st.column_text(25)};
  return t;
}

FeedKey read_key(const Statement& st) {
  return FeedKey{static_cast<int>(st.column_int(22)), st.column_int(6), st.column_int(26)};
}

constexpr const char* kUpsertMention =
    "INSERT INTO mentions(id, store_id, source, author, text, url, created_at_ms, "
    "received_at_ms, rating, lang, author_followers, likes, reposts, replies, place_name, lat, "
    "lon, reply_to, owner_reply, edited_at_ms, sentiment, urgency, category, priority, reasons, "
    "staff_who, staff_where, triaged) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
    "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28) "
    "ON CONFLICT(id) DO UPDATE SET store_id = excluded.store_id, source = excluded.source, "
    "author = excluded.author, text = excluded.text, url = excluded.url, "
    "created_at_ms = excluded.created_at_ms, rating = excluded.rating, lang = excluded.lang, "
    "author_followers = excluded.author_followers, likes = excluded.likes, "
    "reposts = excluded.reposts, replies = excluded.replies, place_name = excluded.place_name, "
    "lat = excluded.lat, lon = excluded.lon, reply_to = excluded.reply_to, "
    "owner_reply = excluded.owner_reply, edited_at_ms = excluded.edited_at_ms, "
    "sentiment = excluded.sentiment, urgency = excluded.urgency, category = excluded.category, "
    "priority = excluded.priority, reasons = excluded.reasons, staff_who = excluded.staff_who, "
    "staff_where = excluded.staff_where, triaged = excluded.triaged";

// The triage of a mention with the lexicon given, or stars and punctuation alone without one.
core::Triage triage_mention(const core::Lexicon* lexicon, const core::Mention& m,
                            const std::string& text) {
  static const core::Lexicon kNoWords;  // immutable: safe to share between threads
  return core::triage(lexicon ? *lexicon : kNoWords, {text, m.rating, m.reach});
}

// Text is repaired, not refused: a mention with one bad byte still deserves a place in the feed.
void upsert_mention(Statement& st, const core::Mention& m, std::int64_t now_ms,
                    const core::Lexicon* lexicon) {
  const std::string text = core::repair_utf8(m.text);
  const core::Triage t = triage_mention(lexicon, m, text);
  const core::TriageColumns c = core::to_columns(t);
  st.reset();
  st.bind(1, m.id)
      .bind(2, m.store_id)
      .bind(3, m.source)
      .bind(4, core::repair_utf8(m.author))
      .bind(5, text)
      .bind(6, m.url)
      .bind(7, m.created_at_ms)
      .bind(8, now_ms)
      .bind(9, m.rating ? std::optional<std::int64_t>(*m.rating) : std::nullopt)
      .bind(10, m.lang)
      .bind(11, m.reach.author_followers)
      .bind(12, m.reach.likes)
      .bind(13, m.reach.reposts)
      .bind(14, m.reach.replies)
      .bind(15, core::repair_utf8(m.location.name))
      .bind(16, m.location.lat)
      .bind(17, m.location.lon)
      .bind(18, m.reply_to)
      .bind(19, core::repair_utf8(m.owner_reply))
      .bind(20, m.edited_at_ms)
      .bind(21, c.sentiment)
      .bind(22, c.urgency)
      .bind(23, c.category)
      .bind(24, c.priority)
      .bind(25, c.reasons)
      .bind(26, t.staff ? t.staff->who : std::string())
      .bind(27, t.staff ? t.staff->where : std::string())
      .bind(28, static_cast<std::int64_t>(lexicon ? 1 : 0))
      .run();
}

// The terminal's enrollment, inside the caller's transaction. A new enrollment may be for
// another store: its changefeed then starts from the beginning.
void write_enrollment(Database& db, const Enrollment& e) {
  db.prepare(
        "UPDATE sync_state SET hq_url = ?1, terminal_id = ?2, store_id = ?3, store_name = ?4, "
        "token = ?5, cursor = CASE WHEN store_id = ?3 THEN cursor ELSE 0 END, last_error = '', "
        "hq_ca_file = ?6, hq_pin = ?7, hq_allow_plain_http = ?8 WHERE id = 1")
      .bind_all(e.hq_url, e.terminal_id, e.store_id, e.store_name, e.token, e.hq_ca_file, e.hq_pin,
                static_cast<std::int64_t>(e.allow_plain_http ? 1 : 0))
      .run();
}

// [SECTION] feed queries: each filter, a search, the feed's order.

std::string filter_sql(FeedFilter f) {
  switch (f) {
    case FeedFilter::needs_attention:
      return "priority >= " + std::to_string(core::kPriorityNeedsAttention);
    case FeedFilter::negative:
      return "sentiment < 0";
    case FeedFilter::praise:
      return "priority >= " + std::to_string(core::kPriorityThankYou) + " AND priority < " +
             std::to_string(core::kPriorityNeedsAttention);
    case FeedFilter::reviews:
      return "rating IS NOT NULL";
    case FeedFilter::escalated:
      return "id IN (SELECT mention_id FROM escalations)";
    case FeedFilter::all:
      return "1";
  }
  return "1";
}

// Lower-case ASCII, as SQLite's lower() does, so "WAITED" finds "waited".
std::string fold_case(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// The trigram index needs three characters; a shorter search reads every row.
constexpr std::size_t kIndexedSearchMinChars = 3;

std::size_t char_count(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++n) core::decode_utf8(s, i);
  return n;
}

// The search as an FTS5 query: every trigram of it (three characters, as the index stores
// them), each in double quotes with each double quote in it doubled so no character the
// person typed is read as FTS5 syntax (OR, NEAR(, *, parentheses, quotes), joined by spaces
// (AND). The index keeps no positions (detail=none), so a row holding all the trigrams is only
// a candidate; the exact test decides.
std::string fts5_trigrams(const std::string& search) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < search.size();) {
    starts.push_back(i);
    core::decode_utf8(search, i);
  }
  starts.push_back(search.size());
  std::string query;
  for (std::size_t k = 0; k + 3 < starts.size(); ++k) {
    if (!query.empty()) query += ' ';
    query += '"';
    for (std::size_t i = starts[k]; i < starts[k + 3]; ++i) {
      query += search[i];
      if (search[i] == '"') query += '"';
    }
    query += '"';
  }
  return query;
}

// The WHERE clause of a query; the search text is parameter ?9 when there is one, and its
// FTS5 trigrams ?10 when the index narrows the rows first. The index (trigram, Unicode case
// folded) finds every row the exact test finds and maybe a few more (other cases of non-ASCII
// letters); the exact test, the same as without the index, decides.
std::string where_sql(const FeedQuery& q, bool indexed) {
  std::string w = "(" + filter_sql(q.filter) + ")";
  if (q.search.empty()) return w;
  if (indexed)
    w += " AND rowid IN (SELECT rowid FROM mentions_search WHERE mentions_search MATCH ?10)";
  w += " AND (instr(lower(text), ?9) > 0 OR instr(lower(author), ?9) > 0)";
  return w;
}

void bind_search(Statement& st, const std::string& search, bool indexed) {
  if (search.empty()) return;
  st.bind(9, fold_case(search));
  if (indexed) st.bind(10, fts5_trigrams(search));
}

constexpr const char* kFeedOrder = "priority DESC, created_at_ms DESC, rowid";

// The page's rows, whatever selected them (an inner query naming rowid AS r), with each row's
// newest escalation (one escalations_by_mention probe each).
std::string page_sql(const std::string& inner) {
  return "SELECT " + mention_columns("m.") +
         ", e.id, e.mention_id, e.severity, e.note, e.status, e.created_at_ms, "
         "e.delivered_at_ms, e.acknowledged_by, e.status_changed_at_ms "
         "FROM (" +
         inner +
         ") page JOIN mentions m ON m.rowid = page.r "
         "LEFT JOIN escalations e ON e.id = (SELECT id FROM escalations "
         "WHERE mention_id = m.id ORDER BY created_at_ms DESC, id DESC LIMIT 1) "
         "ORDER BY m.priority DESC, m.created_at_ms DESC, m.rowid";
}

std::vector<FeedRow> read_page(Statement& st) {
  std::vector<FeedRow> out;
  while (st.step()) {
    FeedRow row;
    row.mention = read_mention(st);
    row.triage = read_triage(st);
    row.praise_shared_at_ms = st.column_optional_int(27);
    if (!st.column_text(kMentionColumnCount).empty())
      row.latest_escalation = read_escalation(st, kMentionColumnCount);
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

Store::Store(const std::string& path, ChangeCounter counter)
    : db_(path, kiosk_open_options()),
      counter_(counter ? std::move(counter) : std::make_shared<std::atomic<std::uint64_t>>(0)) {
  check_kiosk_file(db_);  // before anything below writes to the file
  // WAL lets the UI read while the sync worker writes; NORMAL sync is durable across a
  // killed process (only an OS crash could lose the last commit, never corrupt the file).
  {
    auto st = db_.prepare("PRAGMA journal_mode=WAL");
    st.step();
    if (st.column_text(0) != "wal")
      throw StoreError(0, "The kiosk database " + path +
                              " could not switch to write-ahead logging; is the folder writable?");
  }
  // A catch-up page of thousands of mentions grows the log well past its usual 4 MiB, and
  // SQLite keeps a log file at its largest size; the limit hands the space back to a small
  // disk at the first write after a checkpoint.
  db_.exec("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA journal_size_limit=4194304");
  migrate(db_, kiosk_migrations());
}

bool Store::search_indexed(const std::string& search) const {
  return search_path_ == SearchPath::automatic && char_count(search) >= kIndexedSearchMinChars;
}

void Store::cap_file_pages(std::int64_t pages) {
  db_.exec("PRAGMA max_page_count = " + std::to_string(pages));
}

void Store::bump() {
  counter_->fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t Store::change_counter() {
  auto st = db_.prepare("PRAGMA data_version");
  st.step();
  return counter_->load(std::memory_order_relaxed) + static_cast<std::uint64_t>(st.column_int(0));
}

// [SECTION] identity

std::optional<Enrollment> Store::enrollment() {
  auto st = db_.prepare(
      "SELECT hq_url, terminal_id, store_id, store_name, token, hq_ca_file, hq_pin, "
      "hq_allow_plain_http FROM sync_state WHERE id = 1");
  if (!st.step() || st.column_text(4).empty()) return std::nullopt;
  return Enrollment{st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3),
                    st.column_text(4), st.column_text(5), st.column_text(6), st.column_int(7) != 0};
}

void Store::save_enrollment(const Enrollment& e) {
  Transaction tx(db_);
  write_enrollment(db_, e);
  tx.commit();
  bump();
}

void Store::enroll_at_new_store(const Enrollment& e) {
  db_.exec("PRAGMA secure_delete = ON");
  {
    Transaction tx(db_);
    db_.exec(
        "DELETE FROM outbox; DELETE FROM escalations; DELETE FROM mentions; "
        "DELETE FROM staff; DELETE FROM pin_attempts; "
        "DELETE FROM reply_suggestions; DELETE FROM training_packs; "
        "DELETE FROM training_pack_files; DELETE FROM training_pack_refusals; "
        "DELETE FROM escalation_history; "
        "UPDATE sync_state SET cursor = 0, policy_text = '', last_success_ms = NULL, "
        "last_attempt_ms = NULL, "
        "last_error = '' WHERE id = 1");
    write_enrollment(db_, e);
    tx.commit();
  }
  // The log still holds the old pages until a checkpoint copies them home and truncates it.
  db_.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  bump();
}

void Store::replace_token(const std::string& token) {
  db_.prepare("UPDATE sync_state SET token = ?1 WHERE id = 1").bind(1, token).run();
}

// [SECTION] feed

std::vector<core::ChimeMention> Store::urgent_mentions(std::size_t limit) {
  // The urgent band is a range of the feed's index: walking the table newest first instead
  // reads every row when few or none are urgent (the usual case).
  auto st = db_.prepare(
      "SELECT m.id, m.priority FROM (SELECT rowid AS r FROM mentions INDEXED BY mentions_feed "
      "WHERE priority >= ?1 ORDER BY rowid DESC LIMIT ?2) u JOIN mentions m ON m.rowid = u.r "
      "ORDER BY m.rowid DESC");
  st.bind(1, static_cast<std::int64_t>(core::kChimeMinPriority))
      .bind(2, static_cast<std::int64_t>(limit));
  std::vector<core::ChimeMention> out;
  while (st.step()) out.push_back({st.column_text(0), static_cast<int>(st.column_int(1))});
  return out;
}

std::vector<core::Mention> Store::recent_mentions(int limit) {
  auto st = db_.prepare("SELECT " + mention_columns("") +
                        " FROM mentions ORDER BY created_at_ms DESC, id DESC LIMIT ?1");
  st.bind(1, static_cast<std::int64_t>(limit));
  std::vector<core::Mention> out;
  while (st.step()) out.push_back(read_mention(st));
  return out;
}

std::vector<FeedRow> Store::feed_page(const FeedQuery& query, std::int64_t offset,
                                      std::int64_t limit) {
  // The inner query walks the filter's index (mentions_feed, or its partial twin) in feed
  // order and skips offset entries without reading their table rows.
  const bool indexed = search_indexed(query.search);
  auto st =
      db_.prepare(page_sql("SELECT rowid AS r FROM mentions WHERE " + where_sql(query, indexed) +
                           " ORDER BY " + kFeedOrder + " LIMIT ?1 OFFSET ?2"));
  st.bind(1, limit).bind(2, std::max<std::int64_t>(offset, 0));
  bind_search(st, query.search, indexed);
  return read_page(st);
}

std::vector<FeedRow> Store::feed_page_after(const FeedQuery& query, const FeedKey& after,
                                            std::int64_t limit) {
  const bool indexed = search_indexed(query.search);
  auto st =
      db_.prepare(page_sql("SELECT rowid AS r FROM mentions WHERE " + where_sql(query, indexed) +
                           " AND (priority < ?3 OR (priority = ?3 AND (created_at_ms < ?4 OR "
                           "(created_at_ms = ?4 AND rowid > ?5)))) ORDER BY " +
                           kFeedOrder + " LIMIT ?1"));
  st.bind(1, limit)
      .bind(3, static_cast<std::int64_t>(after.priority))
      .bind(4, after.created_at_ms)
      .bind(5, after.row);
  bind_search(st, query.search, indexed);
  return read_page(st);
}

FeedKey Store::key_of(const std::string& mention_id) {
  auto st = db_.prepare("SELECT " + mention_columns("") + " FROM mentions WHERE id = ?1");
  st.bind(1, mention_id);
  if (!st.step()) throw StoreError(0, "There is no mention \"" + mention_id + "\" in the feed.");
  return read_key(st);
}

std::optional<FeedRow> Store::feed_row(const std::string& mention_id) {
  auto st = db_.prepare(page_sql("SELECT rowid AS r FROM mentions WHERE id = ?1"));
  st.bind(1, mention_id);
  auto rows = read_page(st);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::int64_t Store::feed_count(const FeedQuery& query) {
  // The whole feed without a search: SQLite counts a table with no WHERE from its pages
  // without visiting each row.
  if (query.filter == FeedFilter::all && query.search.empty()) return mention_count();
  const bool indexed = search_indexed(query.search);
  auto st = db_.prepare("SELECT count(*) FROM mentions WHERE " + where_sql(query, indexed));
  bind_search(st, query.search, indexed);
  st.step();
  return st.column_int(0);
}

FeedCounts Store::feed_counts(const std::string& search) {
  FeedCounts counts{};
  if (search.empty()) {
    // Without a search each count is a range of one index: no table row is read.
    for (std::size_t i = 0; i < kFeedFilterCount; ++i)
      counts[i] = feed_count(FeedQuery{static_cast<FeedFilter>(i), {}});
    return counts;
  }
  // With one, a single pass over the mentions the search finds.
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < kFeedFilterCount; ++i)
    sql += (i ? ", " : "") + std::string("coalesce(sum(") + filter_sql(static_cast<FeedFilter>(i)) +
           "), 0)";
  const bool indexed = search_indexed(search);
  sql += " FROM mentions WHERE " + where_sql(FeedQuery{FeedFilter::all, search}, indexed);
  auto st = db_.prepare(sql);
  bind_search(st, search, indexed);
  st.step();
  for (std::size_t i = 0; i < kFeedFilterCount; ++i) counts[i] = st.column_int(static_cast<int>(i));
  return counts;
}

void Store::set_lexicon(std::shared_ptr<const core::Lexicon> lexicon) {
  lexicon_ = std::move(lexicon);
  if (lexicon_) triage_pending();
}

std::int64_t Store::untriaged_count() {
  auto st = db_.prepare("SELECT count(*) FROM mentions WHERE triaged = 0");
  st.step();
  return st.column_int(0);
}

void Store::triage_pending() {
  // In batches, each its own transaction, so the sync worker is never locked out for long.
  const std::string select =
      "SELECT " + mention_columns("") + " FROM mentions WHERE triaged = 0 LIMIT 2000";
  for (;;) {
    std::vector<core::Mention> batch;
    {
      auto st = db_.prepare(select);
      while (st.step()) batch.push_back(read_mention(st));
    }
    if (batch.empty()) return;
    auto update = db_.prepare(
        "UPDATE mentions SET sentiment = ?2, urgency = ?3, category = ?4, priority = ?5, "
        "reasons = ?6, staff_who = ?7, staff_where = ?8, triaged = 1 WHERE id = ?1");
    Transaction tx(db_);
    for (const core::Mention& m : batch) {
      const core::Triage t = triage_mention(lexicon_.get(), m, m.text);
      const core::TriageColumns c = core::to_columns(t);
      update.reset();
      update.bind(1, m.id)
          .bind(2, c.sentiment)
          .bind(3, c.urgency)
          .bind(4, c.category)
          .bind(5, c.priority)
          .bind(6, c.reasons)
          .bind(7, t.staff ? t.staff->who : std::string())
          .bind(8, t.staff ? t.staff->where : std::string())
          .run();
    }
    tx.commit();
    bump();
  }
}

std::int64_t Store::mention_count() {
  auto st = db_.prepare("SELECT count(*) FROM mentions");
  st.step();
  return st.column_int(0);
}

std::optional<core::Mention> Store::mention(const std::string& id) {
  auto st = db_.prepare("SELECT " + mention_columns("") + " FROM mentions WHERE id = ?1");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_mention(st);
}

void Store::upsert_mentions(const std::vector<core::Mention>& mentions, std::int64_t now_ms) {
  Transaction tx(db_);
  auto st = db_.prepare(kUpsertMention);
  for (const auto& m : mentions) upsert_mention(st, m, now_ms, lexicon_.get());
  tx.commit();
  bump();
}

std::vector<std::pair<core::Mention, std::int64_t>> Store::mentions_received_after(
    std::int64_t after_ms, int limit) {
  auto st = db_.prepare(
      "SELECT id, store_id, source, author, text, url, created_at_ms, received_at_ms "
      "FROM mentions WHERE received_at_ms > ?1 ORDER BY received_at_ms, id LIMIT ?2");
  st.bind(1, after_ms).bind(2, static_cast<std::int64_t>(limit));
  std::vector<std::pair<core::Mention, std::int64_t>> out;
  while (st.step()) out.emplace_back(read_mention(st), st.column_int(7));
  return out;
}

std::int64_t Store::latest_received_ms() {
  auto st = db_.prepare("SELECT coalesce(max(received_at_ms), 0) FROM mentions");
  st.step();
  return st.column_int(0);
}

std::map<std::string, core::Escalation> Store::latest_escalations(
    const std::vector<std::string>& ids) {
  std::map<std::string, core::Escalation> out;
  if (ids.empty()) return out;
  auto st = db_.prepare(std::string("SELECT ") + kEscalationSelect +
                        " FROM escalations WHERE mention_id = ?1 "
                        "ORDER BY created_at_ms DESC, id DESC LIMIT 1");
  for (const auto& id : ids) {
    st.reset();
    st.bind(1, id);
    if (st.step()) out.emplace(id, read_escalation(st));
  }
  return out;
}

// [SECTION] escalations and outbox

core::HlcTimestamp Store::tick_hlc(std::int64_t now_ms) {
  auto st = db_.prepare("SELECT hlc_last FROM sync_state WHERE id = 1");
  st.step();
  core::HybridLogicalClock clock(core::parse_hlc(st.column_text(0)).value_or(core::HlcTimestamp{}));
  const auto t = clock.tick(now_ms);
  db_.prepare("UPDATE sync_state SET hlc_last = ?1 WHERE id = 1")
      .bind(1, core::format_hlc(t))
      .run();
  return t;
}

core::Escalation Store::escalate(const std::string& mention_id, core::Severity severity,
                                 const std::string& note, std::int64_t now_ms,
                                 std::optional<core::Category> category,
                                 const std::string& staff_id) {
  if (mention_id.empty() && !category)
    throw StoreError(0, "An issue reported with no post needs a category.");
  if (!mention_id.empty() && !mention(mention_id))
    throw StoreError(0, "There is no mention \"" + mention_id + "\" on this terminal to escalate.");
  core::Escalation e;
  e.id = new_uuid();
  e.mention_id = mention_id;
  e.severity = severity;
  e.note = core::repair_utf8(note);
  e.status = core::EscalationStatus::open;
  e.created_at_ms = now_ms;
  e.status_changed_at_ms = now_ms;
  e.staff_id = staff_id;
  e.category = category;

  Transaction tx(db_);
  const std::string hlc = core::format_hlc(tick_hlc(now_ms));
  db_.prepare(std::string("INSERT INTO escalations(") + kEscalationColumns +
              ", hlc, staff_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, '', ?6, ?7, ?8)")
      .bind(1, e.id)
      .bind(2, e.mention_id)
      .bind(3, core::to_string(e.severity))
      .bind(4, e.note)
      .bind(5, core::to_string(e.status))
      .bind(6, e.created_at_ms)
      .bind(7, hlc)
      .bind(8, e.staff_id)
      .run();
  save_escalation_state(e);
  db_.prepare(
         "INSERT INTO outbox(event_id, kind, entity_id, hlc, created_at_ms) "
         "VALUES (?1, 'escalation.created', ?2, ?3, ?4)")
      .bind(1, new_uuid())
      .bind(2, e.id)
      .bind(3, hlc)
      .bind(4, now_ms)
      .run();
  tx.commit();
  bump();
  return e;
}

void Store::save_escalation_state(const core::Escalation& e) {
  db_.prepare(
         "UPDATE escalations SET status = ?2, acknowledged_by = ?3, status_changed_at_ms = ?4, "
         "category = ?5, staff_id = ?6, generation = ?7, resolution_note = ?8, "
         "resolution_key = ?9, holder = ?10, holder_key = ?11, ladder_level = ?12, "
         "respond_by_ms = ?13, next_climb_at_ms = ?14 WHERE id = ?1")
      .bind(1, e.id)
      .bind(2, core::to_string(e.status))
      .bind(3, core::repair_utf8(e.acknowledged_by))
      .bind(4, e.status_changed_at_ms)
      .bind(5, e.category ? std::string(core::to_string(*e.category)) : std::string())
      .bind(6, core::repair_utf8(e.staff_id))
      .bind(7, std::int64_t{e.generation})
      .bind(8, core::repair_utf8(e.resolution_note))
      .bind(9, e.resolution_key)
      .bind(10, core::repair_utf8(e.ladder_holder))
      .bind(11, e.holder_key)
      .bind(12, std::int64_t{e.ladder_level})
      .bind(13, e.respond_by_ms)
      .bind(14, e.next_climb_at_ms)
      .run();
  auto add = db_.prepare(
      "INSERT OR IGNORE INTO escalation_history(id, escalation_id, kind, generation, actor, "
      "terminal_id, at_ms, hlc, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  for (const auto& a : e.history) {
    add.reset();
    add.bind(1, a.id)
        .bind(2, e.id)
        .bind(3, core::to_string(a.kind))
        .bind(4, std::int64_t{a.generation})
        .bind(5, core::repair_utf8(a.by))
        .bind(6, a.terminal_id)
        .bind(7, a.at_ms)
        .bind(8, a.hlc)
        .bind(9, core::repair_utf8(a.text))
        .run();
  }
}

void Store::load_escalation_state(core::Escalation& e) {
  auto st = db_.prepare(
      "SELECT category, staff_id, generation, resolution_note, resolution_key, holder, "
      "holder_key, ladder_level, respond_by_ms, next_climb_at_ms FROM escalations WHERE id = ?1");
  st.bind(1, e.id);
  if (st.step()) {
    e.category = core::parse_category(st.column_text(0));
    e.staff_id = st.column_text(1);
    e.generation = static_cast<int>(st.column_int(2));
    e.resolution_note = st.column_text(3);
    e.resolution_key = st.column_text(4);
    e.ladder_holder = st.column_text(5);
    e.holder_key = st.column_text(6);
    e.ladder_level = static_cast<int>(st.column_int(7));
    e.respond_by_ms = st.column_optional_int(8);
    e.next_climb_at_ms = st.column_optional_int(9);
  }
  auto h = db_.prepare(
      "SELECT id, kind, generation, actor, terminal_id, at_ms, hlc, text FROM escalation_history "
      "WHERE escalation_id = ?1");
  h.bind(1, e.id);
  e.history.clear();
  while (h.step()) {
    core::EscalationAction a;
    a.id = h.column_text(0);
    a.kind = core::parse_action_kind(h.column_text(1)).value_or(core::EscalationActionKind::note);
    a.generation = static_cast<int>(h.column_int(2));
    a.by = h.column_text(3);
    a.terminal_id = h.column_text(4);
    a.at_ms = h.column_int(5);
    a.hlc = h.column_text(6);
    a.text = h.column_text(7);
    e.history.push_back(std::move(a));
  }
  std::sort(e.history.begin(), e.history.end(),
            [](const auto& a, const auto& b) { return core::lww_key(a) < core::lww_key(b); });
}

std::optional<core::Escalation> Store::escalation(const std::string& id) {
  auto st =
      db_.prepare(std::string("SELECT ") + kEscalationSelect + " FROM escalations WHERE id = ?1");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  core::Escalation e = read_escalation(st);
  load_escalation_state(e);
  return e;
}

std::vector<EscalationRecord> Store::escalation_board(std::size_t limit) {
  auto st = db_.prepare(std::string("SELECT ") + kEscalationSelect +
                        ", (SELECT text FROM mentions m WHERE m.id = escalations.mention_id) "
                        "FROM escalations ORDER BY CASE status WHEN 'open' THEN 0 "
                        "WHEN 'acknowledged' THEN 1 ELSE 2 END, "
                        "CASE WHEN status = 'resolved' THEN -created_at_ms ELSE created_at_ms END, "
                        "id LIMIT ?1");
  st.bind(1, static_cast<std::int64_t>(limit));
  std::vector<EscalationRecord> out;
  while (st.step()) {
    EscalationRecord r;
    r.escalation = read_escalation(st);
    r.mention_text = st.column_text(10);
    out.push_back(std::move(r));
  }
  auto pending = db_.prepare(
      "SELECT event_id FROM outbox WHERE entity_id = ?1 AND kind LIKE 'escalation.%' "
      "AND kind <> 'escalation.created'");
  for (auto& r : out) {
    load_escalation_state(r.escalation);
    pending.reset();
    pending.bind(1, r.escalation.id);
    while (pending.step()) r.unsynced_action_ids.push_back(pending.column_text(0));
  }
  return out;
}

core::Escalation Store::record_action(
    const std::string& escalation_id, core::EscalationAction a,
    const std::function<std::string(const core::EscalationAction&)>& body_of, std::int64_t now_ms) {
  Transaction tx(db_);
  std::optional<core::Escalation> e = escalation(escalation_id);
  if (!e) throw StoreError(0, "There is no escalation \"" + escalation_id + "\" on this terminal.");
  if (auto why = core::action_refused(*e, a.kind)) throw StoreError(0, *why);
  a.id = new_uuid();
  a.hlc = core::format_hlc(tick_hlc(now_ms));
  a.at_ms = now_ms;
  a.generation = e->generation + (a.kind == core::EscalationActionKind::reopen ? 1 : 0);
  a.text = core::repair_utf8(a.text);
  {
    auto st = db_.prepare("SELECT terminal_id FROM sync_state WHERE id = 1");
    st.step();
    a.terminal_id = st.column_text(0);
    // Not enrolled yet: still this terminal's action, never head office's (empty).
    if (a.terminal_id.empty()) a.terminal_id = "this-terminal";
  }
  core::apply_action(*e, a);
  save_escalation_state(*e);
  db_.prepare(
         "INSERT INTO outbox(event_id, kind, entity_id, hlc, created_at_ms, body) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
      .bind(1, a.id)
      .bind(2, core::event_kind(a.kind))
      .bind(3, escalation_id)
      .bind(4, a.hlc)
      .bind(5, now_ms)
      .bind(6, body_of(a))
      .run();
  tx.commit();
  bump();
  return *e;
}

std::string Store::store_policy_text() {
  auto st = db_.prepare("SELECT policy_text FROM sync_state WHERE id = 1");
  st.step();
  return st.column_text(0);
}

std::vector<core::Escalation> Store::escalations() {
  auto st = db_.prepare(std::string("SELECT ") + kEscalationSelect +
                        " FROM escalations ORDER BY created_at_ms, id");
  std::vector<core::Escalation> out;
  while (st.step()) out.push_back(read_escalation(st));
  return out;
}

std::vector<PendingEvent> Store::pending_events(std::size_t limit) {
  auto st = db_.prepare(std::string("SELECT o.event_id, o.kind, o.hlc, ") +
                        "e.id, e.mention_id, e.severity, e.note, e.status, e.created_at_ms, "
                        "e.delivered_at_ms, e.acknowledged_by, e.status_changed_at_ms, NULL, "
                        "o.body FROM outbox o LEFT JOIN escalations e "
                        "ON o.kind = 'escalation.created' AND e.id = o.entity_id "
                        "WHERE o.rejected_reason IS NULL "
                        "AND (o.kind <> 'escalation.created' OR e.id IS NOT NULL) "
                        "ORDER BY o.kind LIKE 'escalation.%' DESC, o.seq LIMIT ?1");
  st.bind(1, static_cast<std::int64_t>(limit));
  std::vector<PendingEvent> out;
  while (st.step()) {
    PendingEvent p{st.column_text(0), st.column_text(1), st.column_text(2), {}, {}};
    if (p.kind == "escalation.created") {
      // The escalation as it was raised: what happened to it since travels as events of
      // their own, after this one.
      core::Escalation& e = p.escalation;
      e = read_escalation(st, 3);
      load_escalation_state(e);
      e.status = core::EscalationStatus::open;
      e.status_changed_at_ms = e.created_at_ms;
      e.acknowledged_by.clear();
      e.generation = 0;
      e.history.clear();
      e.resolution_note.clear();
      e.resolution_key.clear();
      e.holder_key.clear();
      e.ladder_holder.clear();
      e.ladder_level = -1;
      e.respond_by_ms.reset();
      e.next_climb_at_ms.reset();
      e.hq_notes.clear();
      out.push_back(std::move(p));
      continue;
    }
    p.body = st.column_text(13);
    out.push_back(std::move(p));
  }
  return out;
}

void Store::insert_outbox(const NewEvent& event, std::int64_t now_ms) {
  db_.prepare(
         "INSERT INTO outbox(event_id, kind, entity_id, hlc, created_at_ms, body) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
      .bind(1, new_uuid())
      .bind(2, event.kind)
      .bind(3, event.entity_id)
      .bind(4, core::format_hlc(tick_hlc(now_ms)))
      .bind(5, now_ms)
      .bind(6, event.body)
      .run();
}

void Store::queue_event(const NewEvent& event, std::int64_t now_ms) {
  Transaction tx(db_);
  insert_outbox(event, now_ms);
  if (event.kind == "praise.shared")
    db_.prepare("UPDATE mentions SET praise_shared_at_ms = ?2 WHERE id = ?1")
        .bind(1, event.entity_id)
        .bind(2, now_ms)
        .run();
  tx.commit();
  bump();
}

void Store::count_attempt(const std::vector<std::string>& event_ids) {
  Transaction tx(db_);
  auto st = db_.prepare("UPDATE outbox SET attempts = attempts + 1 WHERE event_id = ?1");
  for (const auto& id : event_ids) {
    st.reset();
    st.bind(1, id).run();
  }
  tx.commit();
}

// [SECTION] sync

SyncState Store::sync_state() {
  SyncState s;
  auto st = db_.prepare(
      "SELECT cursor, last_success_ms, last_attempt_ms, last_error, "
      "(SELECT count(*) FROM outbox WHERE rejected_reason IS NULL), "
      "(SELECT count(*) FROM outbox WHERE rejected_reason IS NOT NULL), "
      "last_error_kind, worker_state, next_attempt_ms "
      "FROM sync_state WHERE id = 1");
  if (st.step()) {
    s.cursor = st.column_int(0);
    s.last_success_ms = st.column_optional_int(1);
    s.last_attempt_ms = st.column_optional_int(2);
    s.last_error = st.column_text(3);
    s.events_waiting = st.column_int(4);
    s.events_rejected = st.column_int(5);
    s.last_error_kind = st.column_text(6);
    s.worker_state = st.column_text(7);
    s.next_attempt_ms = st.column_optional_int(8);
  }
  return s;
}

void Store::merge_escalation(const core::Escalation& in, std::int64_t now_ms) {
  std::optional<core::Escalation> mine = escalation(in.id);
  if (!mine) {
    // Made on another terminal of this store: HQ has it, so it is delivered.
    db_.prepare(std::string("INSERT INTO escalations(") + kEscalationColumns +
                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        .bind(1, in.id)
        .bind(2, in.mention_id)
        .bind(3, core::to_string(in.severity))
        .bind(4, core::repair_utf8(in.note))
        .bind(5, core::to_string(in.status))
        .bind(6, in.created_at_ms)
        .bind(7, now_ms)
        .bind(8, core::repair_utf8(in.acknowledged_by))
        .bind(9, in.status_changed_at_ms)
        .run();
    save_escalation_state(in);
    return;
  }
  // The merge rules of kiosk/core/escalation_actions.h: head office's copy and this one meet,
  // in whatever order their actions arrived.
  const core::Escalation merged = core::merge_escalation(*mine, in);
  db_.prepare(
         "UPDATE escalations SET delivered_at_ms = coalesce(delivered_at_ms, ?2) WHERE id = ?1")
      .bind(1, in.id)
      .bind(2, now_ms)
      .run();
  save_escalation_state(merged);
}

void Store::apply_sync_batch(const SyncBatch& b) {
  Transaction tx(db_);
  auto delivered = db_.prepare(
      "UPDATE escalations SET delivered_at_ms = coalesce(delivered_at_ms, ?2) WHERE id = "
      "(SELECT entity_id FROM outbox WHERE event_id = ?1)");
  auto drop = db_.prepare("DELETE FROM outbox WHERE event_id = ?1");
  for (const auto& id : b.acked_event_ids) {
    delivered.reset();
    delivered.bind(1, id).bind(2, b.now_ms).run();
    drop.reset();
    drop.bind(1, id).run();
  }
  auto reject = db_.prepare("UPDATE outbox SET rejected_reason = ?2 WHERE event_id = ?1");
  for (const auto& [id, reason] : b.rejected) {
    reject.reset();
    reject.bind(1, id)
        .bind(2, reason.empty() ? std::string("refused by head office") : reason)
        .run();
  }
  auto upsert = db_.prepare(kUpsertMention);
  for (const auto& m : b.mentions) upsert_mention(upsert, m, b.now_ms, lexicon_.get());
  for (const auto& e : b.escalations) merge_escalation(e, b.now_ms);
  for (const auto& s : b.staff) merge_staff(s);
  for (const auto& p : b.packs) apply_pack(p, b.now_ms);
  for (const auto& r : b.reply_outcomes) apply_reply_outcome(r);
  if (b.policy_text)
    db_.prepare("UPDATE sync_state SET policy_text = ?1 WHERE id = 1")
        .bind(1, *b.policy_text)
        .run();
  db_.prepare(
         "UPDATE sync_state SET cursor = max(cursor, ?1), last_success_ms = ?2, "
         "last_attempt_ms = ?2, last_error = '', last_error_kind = '' WHERE id = 1")
      .bind(1, b.new_cursor)
      .bind(2, b.now_ms)
      .run();
  tx.commit();
  bump();
}

void Store::record_sync_failure(const core::Error& error, std::int64_t now_ms) {
  db_.prepare(
         "UPDATE sync_state SET last_attempt_ms = ?1, last_error = ?2, last_error_kind = ?3 "
         "WHERE id = 1")
      .bind(1, now_ms)
      .bind(2, core::repair_utf8(error.text()))
      .bind(3, core::to_string(error.kind))
      .run();
  bump();
}

void Store::record_worker_schedule(std::string_view state,
                                   std::optional<std::int64_t> next_attempt_ms) {
  // Not a data change the screens show: no bump, so an idle round costs the UI nothing.
  db_.prepare("UPDATE sync_state SET worker_state = ?1, next_attempt_ms = ?2 WHERE id = 1")
      .bind(1, state)
      .bind(2, next_attempt_ms)
      .run();
}

}  // namespace kiosk::store
