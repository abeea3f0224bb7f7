// Training packs and suggested replies through the real sync: kiosk-hq publishes a pack (a
// bad one is refused whole), the real kiosk program takes it after reconnecting and keeps
// the progress made on the old version; a reply drafted at the counter is decided at head
// office and the outcome comes back. Built twice: head office on SQLite and on PostgreSQL.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/integration/hq_fixture.h"
#include "tests/integration/kiosk_process.h"

using namespace kiosk;
using kiosk::testing::HqFixture;
using kiosk::testing::RunResult;
using kiosk::testing::TempDir;
namespace fs = std::filesystem;

using kiosk::testing::kiosk_cli;

namespace {

// kiosk-hq without the fixture's throw on failure, for commands expected to fail.
RunResult hq_raw(HqFixture& hq, std::vector<std::string> args) {
  args.insert(args.begin(), HqFixture::binary());
  for (const auto& a : {std::string("--db"), hq.db(), std::string("--secret-file"), hq.secret()})
    args.push_back(a);
  return kiosk::testing::run(args);
}

// A copy of the shipped pack in dir/frontline-basics (the name the kiosk's pack has).
std::string copy_pack(const TempDir& dir, const std::string& under) {
  const fs::path to = fs::path(dir.file(under)) / "frontline-basics";
  fs::create_directories(to.parent_path());
  fs::copy(kiosk::testing::source_dir() + "/assets/training/frontline-basics", to,
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  return to.string();
}

std::string read_file(const fs::path& p) {
  return kiosk::testing::read_whole_file(p.string());
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

// Raises a lesson's version in both languages and changes its English title.
void bump_lesson(const std::string& pack, const std::string& id, int version,
                 const std::string& title) {
  for (const char* lang : {"en", "es"}) {
    const fs::path p = fs::path(pack) / (id + "." + lang + ".lesson");
    std::string text = std::regex_replace(read_file(p), std::regex("(^|\n)version: [0-9]+"),
                                          "$1version: " + std::to_string(version));
    if (std::string(lang) == "en")
      text = std::regex_replace(text, std::regex("(^|\n)title: [^\n]*"), "$1title: " + title);
    write_file(p, text);
  }
}

nlohmann::json next_json(const std::string& db) {
  const auto r = kiosk_cli(db, {"training", "next", "--staff", "ana", "--json"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return nlohmann::json::parse(r.out);
}

const nlohmann::json* in_daily_set(const nlohmann::json& next, const std::string& id) {
  for (const auto& p : next["daily_set"])
    if (p["id"] == id) return &p;
  return nullptr;
}

}  // namespace

TEST_CASE(
    "[training] a pack published at head office reaches an offline kiosk after reconnect, "
    "keeping progress made on the old version") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  const std::string v1 = copy_pack(dir, "v1");
  const auto published = hq.admin({"training", "publish", v1});
  CHECK(published.out.find("frontline-basics version 1 (24 lessons, 48 files) to 2 stores") !=
        std::string::npos);
  hq.start();
  const std::string db = dir.file("kiosk.sqlite");
  REQUIRE(kiosk_cli(db, {"enroll", "--hq", hq.url(), "--code", hq.enroll_code()}).exit_code == 0);
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
  auto next = next_json(db);
  CHECK(next["pack"]["from"] == "head office");
  CHECK(next["pack"]["version"] == 1);

  // Progress on version 1, answered while the store is offline.
  hq.kill();
  auto answered = kiosk_cli(db, {"training", "answer", "--staff", "ana", "--lesson", "listen-first",
                                 "--right", "--sure"});
  REQUIRE_MESSAGE(answered.exit_code == 0, answered.err);
  answered = kiosk_cli(db, {"training", "answer", "--staff", "ana", "--lesson",
                            "speak-for-the-brand", "--wrong", "--unsure"});
  REQUIRE_MESSAGE(answered.exit_code == 0, answered.err);

  // Head office publishes version 2 (one lesson rewritten) while the kiosk cannot reach it.
  const std::string v2 = copy_pack(dir, "v2");
  bump_lesson(v2, "listen-first", 2, "Listen all the way first");
  CHECK(hq.admin({"training", "publish", v2}).out.find("version 2") != std::string::npos);
  CHECK(kiosk_cli(db, {"sync", "--once"}).exit_code != 0);  // still offline
  next = next_json(db);
  CHECK(next["pack"]["version"] == 1);

  hq.start();
  const auto synced = kiosk_cli(db, {"sync", "--once"});
  REQUIRE_MESSAGE(synced.exit_code == 0, synced.err);
  CHECK(synced.out.find("2 events delivered") != std::string::npos);
  next = next_json(db);
  CHECK(next["pack"]["version"] == 2);
  CHECK(next["lessons_answered"] == 2);  // progress kept across versions
  const auto* updated = in_daily_set(next, "listen-first");
  REQUIRE(updated);
  CHECK((*updated)["reason"] == "lesson_updated");
  CHECK((*updated)["version"] == 2);
  CHECK((*updated)["title"] == "Listen all the way first");
  CHECK_FALSE(in_daily_set(next, "speak-for-the-brand"));  // answered today: due tomorrow

  // Training results reach head office exactly once, however often the kiosk syncs.
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
  const auto report = nlohmann::json::parse(hq.admin({"training", "report", "--json"}).out);
  CHECK(report["overall"]["answers"] == 2);
  CHECK(report["by_staff"]["s1/ana"]["lessons_done"] == 2);

  // A store added after publication starts with the newest version.
  hq.admin({"store", "add", "--id", "s3", "--name", "Harbour"});
  const std::string db3 = dir.file("kiosk3.sqlite");
  REQUIRE(kiosk_cli(db3, {"enroll", "--hq", hq.url(), "--code", hq.enroll_code("s3")}).exit_code ==
          0);
  REQUIRE(kiosk_cli(db3, {"sync", "--once"}).exit_code == 0);
  CHECK(next_json(db3)["pack"]["version"] == 2);
}

TEST_CASE("[training] a bad pack is refused at publish, whole, and stores keep the previous one") {
  TempDir dir;
  HqFixture hq(dir);
  hq.admin({"training", "publish", copy_pack(dir, "good")});

  const std::string bad = copy_pack(dir, "bad");
  bump_lesson(bad, "listen-first", 2, "Listen first");
  // An answer that is not one of the choices, and a lesson left in English only.
  const fs::path es = fs::path(bad) / "name-their-issue.es.lesson";
  write_file(es, std::regex_replace(read_file(es), std::regex("\nanswer: [a-f]"), "\nanswer: z"));
  fs::remove(fs::path(bad) / "sign-your-reply.es.lesson");
  const auto refused = hq_raw(hq, {"training", "publish", bad});
  CHECK(refused.exit_code == 1);
  CHECK_MESSAGE(refused.err.find("name-their-issue.es.lesson:") != std::string::npos, refused.err);
  CHECK(refused.err.find("answer \"z\" is not one of the choices") != std::string::npos);
  CHECK(refused.err.find("sign-your-reply") != std::string::npos);
  CHECK(refused.err.find("rejected whole and nothing was published (stores keep version 1)") !=
        std::string::npos);
  const auto packs = nlohmann::json::parse(hq.admin({"training", "packs", "--json"}).out);
  REQUIRE(packs.size() == 1);
  CHECK(packs[0]["version"] == 1);

  hq.start();
  const std::string db = dir.file("kiosk.sqlite");
  REQUIRE(kiosk_cli(db, {"enroll", "--hq", hq.url(), "--code", hq.enroll_code()}).exit_code == 0);
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
  CHECK(next_json(db)["pack"]["version"] == 1);
}

TEST_CASE(
    "[replies] a reply drafted at the counter is decided at head office and the outcome "
    "shows at the store") {
  TempDir dir;
  HqFixture hq(dir);
  hq.load_demo_mentions();
  hq.start();
  const std::string db = dir.file("kiosk.sqlite");
  REQUIRE(kiosk_cli(db, {"enroll", "--hq", hq.url(), "--code", hq.enroll_code()}).exit_code == 0);
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);

  hq.kill();  // drafted offline: queued like everything else
  auto drafted = kiosk_cli(db, {"reply", "--mention", "demo:downtown:1", "--staff", "ana", "--text",
                                "Sorry for any inconvenience, DM us", "--json"});
  REQUIRE_MESSAGE(drafted.exit_code == 0, drafted.err);
  const auto coach = nlohmann::json::parse(drafted.out);
  CHECK(coach["generic"] == true);  // the coach's hints come with it
  CHECK(!coach["hints"].empty());
  const std::string first = coach["suggestion_id"];
  drafted = kiosk_cli(db, {"reply", "--mention", "demo:downtown:1", "--staff", "ana", "--text",
                           "Sam, sorry you waited 25 minutes at checkout. I'm Dana, the store "
                           "manager: ask for me on Saturday and I'll sort it.",
                           "--json"});
  REQUIRE_MESSAGE(drafted.exit_code == 0, drafted.err);
  const std::string second = nlohmann::json::parse(drafted.out)["suggestion_id"];
  CHECK(kiosk_cli(db, {"reply", "--mention", "nope", "--text", "Hi"}).exit_code == 1);

  hq.start();
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
  auto listed = nlohmann::json::parse(hq.admin({"replies", "list", "--json"}).out);
  REQUIRE(listed.size() == 2);  // exactly once each
  CHECK(listed[0]["outcome"] == "pending");
  CHECK(listed[0]["staff_id"] == "ana");
  CHECK(listed[0]["store_id"] == "s1");

  hq.admin({"replies", "reject", "--id", first, "--comment", "Reads like a template: name the wait",
            "--by", "Care team"});
  hq.admin({"replies", "edit", "--id", second, "--text",
            "Sam, sorry you waited 25 minutes. I'm Dana: ask for me on Saturday.", "--comment",
            "Shorter"});
  const auto again = hq_raw(hq, {"replies", "approve", "--id", first});
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("already rejected by Care team") != std::string::npos);

  REQUIRE(kiosk_cli(db, {"sync", "--once"}).exit_code == 0);
  const auto mine = nlohmann::json::parse(kiosk_cli(db, {"replies", "--json"}).out);
  REQUIRE(mine.size() == 2);
  for (const auto& r : mine) {
    if (r["id"] == first) {
      CHECK(r["outcome"] == "rejected");
      CHECK(r["comment"] == "Reads like a template: name the wait");
      CHECK(r["decided_by"] == "Care team");
    } else {
      CHECK(r["outcome"] == "edited");
      CHECK(r["final_text"] ==
            "Sam, sorry you waited 25 minutes. I'm Dana: ask for me on Saturday.");
    }
  }
  CHECK(nlohmann::json::parse(hq.admin({"replies", "list", "--state", "pending", "--json"}).out)
            .empty());
}
