// `kiosk-hq mentions retriage` on a real head-office SQLite file: mentions an older triage
// version triaged are triaged again under the current one, in batches; those whose triage
// changed go to the store's changefeed as mention updates, and a terminal that syncs shows
// the new priority (it triages what it receives with the same core code). Built twice: on
// SQLite, and with KIOSK_TEST_POSTGRESQL on a throwaway PostgreSQL cluster.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "kiosk/core/triage.h"
#include "kiosk/store/sqlite/sqlite_db.h"
#ifdef KIOSK_TEST_POSTGRESQL
#include "tests/support/pg_database.h"
#endif
#include "tests/integration/hq_fixture.h"
#include "tests/integration/kiosk_process.h"

using kiosk::testing::contains;
using kiosk::testing::HqFixture;
using kiosk::testing::kiosk_cli;
using kiosk::testing::TempDir;
using json = nlohmann::json;

namespace {

// An existing file only: a typo must not make an empty database.
kiosk::sqlite::OpenOptions existing() {
  kiosk::sqlite::OpenOptions o;
  o.create = false;
  return o;
}

constexpr const char* kSpill = "Spill in aisle 3, a child slipped and fell, please help now!";

// SQL on a database file or, for the PostgreSQL build of this test, head office's database.
void sql_exec(const std::string& db_or_url, const std::string& sql) {
#ifdef KIOSK_TEST_POSTGRESQL
  if (db_or_url.rfind("postgresql://", 0) == 0) return kiosk::testing::pg_exec(db_or_url, sql);
#endif
  kiosk::sqlite::Database db(db_or_url, existing());
  db.exec(sql);
}

std::int64_t count(const std::string& db_or_url, const std::string& sql) {
#ifdef KIOSK_TEST_POSTGRESQL
  if (db_or_url.rfind("postgresql://", 0) == 0)
    return std::stoll(kiosk::testing::pg_value(db_or_url, sql));
#endif
  kiosk::sqlite::Database db(db_or_url, existing());
  auto st = db.prepare(sql);
  st.step();
  return st.column_int(0);
}

// What an older triage made of the post: nothing to act on, at the bottom of the feed. The
// ids of mentions added at head office are "google:hq-<uuid>": safe inside quotes.
void store_old_triage(const std::string& db, const std::string& id, bool head_office) {
  sql_exec(db, std::string("UPDATE mentions SET sentiment = 0, urgency = 0, category = 'other', "
                           "priority = 100, reasons = ''") +
                   (head_office ? ", triage_version = 0" : "") + " WHERE id = '" + id + "'");
  // A head-office database from before triage versions: every mention is of version 0.
  if (head_office) sql_exec(db, "UPDATE mentions SET triage_version = 0");
}

json hq_mention(HqFixture& hq, const std::string& id) {
  std::istringstream lines(hq.admin({"mentions", "list", "--store", "s1", "--json"}).out);
  for (std::string line; std::getline(lines, line);) {
    auto j = json::parse(line);
    if (j["id"] == id) return j;
  }
  FAIL("head office does not list " << id);
  return {};
}

std::vector<std::string> needs_attention(const std::string& db) {
  const auto r =
      kiosk_cli(db, {"mentions", "--json", "--feed", "needs_attention", "--limit", "50"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  std::vector<std::string> ids;
  const json feed = json::parse(r.out);
  for (const auto& m : feed["mentions"]) ids.push_back(m["id"].get<std::string>());
  return ids;
}

}  // namespace

TEST_CASE("[hq][triage] retriage: an older version's triage is redone and reaches the terminal") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  hq.load_demo_mentions("s2");
  const auto added = hq.admin({"mentions", "add", "--store", "s1", "--source", "google", "--author",
                               "Pat", "--text", kSpill});
  const std::string prefix = "added mention ";
  const std::string id =
      added.out.substr(prefix.size(), added.out.find(" for store") - prefix.size());
  const int current = hq_mention(hq, id)["triage"]["priority"].get<int>();
  REQUIRE(current >= kiosk::core::kPriorityNeedsAttention);  // safety: it needs attention

  hq.start();
  const std::string kiosk_db = dir.file("kiosk.sqlite");
  REQUIRE(kiosk_cli(kiosk_db, {"enroll", "--hq", hq.url(), "--code", hq.enroll_code()}).exit_code ==
          0);
  REQUIRE(kiosk_cli(kiosk_db, {"sync", "--once"}).exit_code == 0);

  // Both sides stored it under an older triage that missed the spill.
  store_old_triage(hq.db(), id, true);
  store_old_triage(kiosk_db, id, false);
  CHECK(hq_mention(hq, id)["triage"]["priority"] == 100);
  auto before = needs_attention(kiosk_db);
  CHECK(std::find(before.begin(), before.end(), id) == before.end());

  const std::int64_t s1_mentions =
      count(hq.db(), "SELECT count(*) FROM mentions WHERE store_id = 's1'");
  const std::int64_t changes_before = count(hq.db(), "SELECT count(*) FROM changes");

  // One store, three mentions a batch: every one of its mentions is examined, one changed.
  const auto r = hq.admin({"mentions", "retriage", "--store", "s1", "--batch", "3", "--json"});
  const auto out = json::parse(r.out);
  CHECK(out["triage_version"] == kiosk::core::kTriageVersion);
  CHECK(out["retriaged"] == s1_mentions);
  CHECK(out["changed"] == 1);
  CHECK(hq_mention(hq, id)["triage"]["priority"] == current);
  CHECK(hq_mention(hq, id)["triage"]["urgency"] == "urgent");
  CHECK(count(hq.db(), "SELECT count(*) FROM changes") == changes_before + 1);
  CHECK(count(hq.db(), "SELECT count(*) FROM mentions WHERE store_id = 's1' AND triage_version = " +
                           std::to_string(kiosk::core::kTriageVersion)) == s1_mentions);
  // The other store's mentions are still of the old version: --store kept to s1.
  CHECK(count(hq.db(),
              "SELECT count(*) FROM mentions WHERE store_id = 's2' AND triage_version "
              "= 0") > 0);

  // Run again: nothing older is left in s1.
  const auto again = json::parse(hq.admin({"mentions", "retriage", "--store", "s1", "--json"}).out);
  CHECK(again["retriaged"] == 0);
  CHECK(again["changed"] == 0);

  // Every store, in words: s2's mentions are examined; their triage did not change.
  const auto all = hq.admin({"mentions", "retriage"});
  CHECK(contains(all.out, "mentions re-triaged in every store, 0 changed"));
  CHECK(count(hq.db(), "SELECT count(*) FROM mentions WHERE triage_version = 0") == 0);

  // The terminal syncs: the update brings the spill back to the top of Needs attention.
  REQUIRE(kiosk_cli(kiosk_db, {"sync", "--once"}).exit_code == 0);
  const auto after = needs_attention(kiosk_db);
  REQUIRE(!after.empty());
  CHECK(after.front() == id);
  CHECK(count(kiosk_db, "SELECT priority FROM mentions WHERE id = '" + id + "'") == current);

  // A store head office does not have: a sentence, nothing touched.
  const auto bad = kiosk::testing::run({HqFixture::binary(), "mentions", "retriage", "--db",
                                        hq.db(), "--secret-file", hq.secret(), "--store", "nope"});
  CHECK(bad.exit_code != 0);
  CHECK(contains(bad.err, "there is no store \"nope\""));
}
