// The kiosk's headless commands as store IT runs them: exit codes and one-line errors that
// say what to do, and nothing lost when the input is bad.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/integration/kiosk_process.h"
#include "tests/support/process.h"

using kiosk::testing::RunResult;
using kiosk::testing::TempDir;

using kiosk::testing::kiosk_cli;

namespace {

bool one_line(const std::string& s) {
  return !s.empty() && s.find('\n') == s.size() - 1;
}

std::string demo_file() {
  return kiosk::testing::source_dir() + "/assets/demo/downtown.json";
}

}  // namespace

TEST_CASE("[cli] a damaged database file gives one line and a non-zero exit") {
  TempDir dir;
  const std::string db = dir.file("kiosk.sqlite");
  std::ofstream(db) << std::string(4096, '\x7f');
  for (const auto& cmd :
       std::vector<std::vector<std::string>>{{"status"}, {"sync", "--once"}, {"mentions"}}) {
    const auto r = kiosk_cli(db, cmd);
    CAPTURE(cmd[0]);
    CHECK(r.exit_code == 1);
    CHECK(one_line(r.err));
    CHECK(r.err.find("damaged or is not a kiosk database") != std::string::npos);
  }
}

TEST_CASE("[cli] escalate: bad severity and unknown mention are refused, nothing queued") {
  TempDir dir;
  const std::string db = dir.file("kiosk.sqlite");
  REQUIRE(kiosk_cli(db, {"ingest", demo_file()}).exit_code == 0);
  auto bad_severity =
      kiosk_cli(db, {"escalate", "--mention", "demo:downtown:1", "--severity", "urgent"});
  CHECK(bad_severity.exit_code == 1);
  CHECK(bad_severity.err.find("low, medium, high or critical") != std::string::npos);
  auto unknown = kiosk_cli(db, {"escalate", "--mention", "nope"});
  CHECK(unknown.exit_code == 1);
  CHECK(one_line(unknown.err));
  auto ok = kiosk_cli(db, {"escalate", "--mention", "demo:downtown:1", "--severity", "critical",
                           "--note", "Caf\xC3\xA9 spill \xF0\x9F\x98\xAC"});
  CHECK(ok.exit_code == 0);
  const auto status = kiosk_cli(db, {"status", "--json"});
  CHECK(status.out.find("\"queue_depth\": 1") != std::string::npos);
}

TEST_CASE("[cli] ingest refuses a malformed file and imports nothing from it") {
  TempDir dir;
  const std::string db = dir.file("kiosk.sqlite");
  const std::string bad = dir.file("bad.json");
  std::ofstream(bad)
      << R"({"mentions":[{"id":"a","source":"x","text":"ok","created_at_ms":1},{"id":"b"}]})";
  const auto r = kiosk_cli(db, {"ingest", bad});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("missing \"source\"") != std::string::npos);
  CHECK(r.err.find("nothing was imported") != std::string::npos);
  CHECK(kiosk_cli(db, {"mentions"}).out.empty());
  const auto missing = kiosk_cli(db, {"ingest", dir.file("absent.json")});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("cannot read") != std::string::npos);
}

TEST_CASE("[cli] enroll against an unreachable head office says so and stays unenrolled") {
  TempDir dir;
  const std::string db = dir.file("kiosk.sqlite");
  // Port 9 on loopback: nothing listens there.
  const auto r = kiosk_cli(db, {"enroll", "--hq", "http://127.0.0.1:9", "--code", "ABCD"});
  CHECK(r.exit_code == 1);
  CHECK(one_line(r.err));
  CHECK(r.err.find("head office did not answer") != std::string::npos);
  CHECK(kiosk_cli(db, {"status", "--json"}).out.find("\"enrolled\": false") != std::string::npos);
}

TEST_CASE("[cli] a read-only database file gives one line and keeps what it holds") {
  TempDir dir;
  const std::string db = dir.file("kiosk.sqlite");
  REQUIRE(kiosk_cli(db, {"ingest", demo_file()}).exit_code == 0);
  REQUIRE(kiosk_cli(db, {"escalate", "--mention", "demo:downtown:1"}).exit_code == 0);
  ::chmod(db.c_str(), 0444);
  ::chmod(dir.path.c_str(), 0555);
  // root ignores file permissions, so run as "nobody" there, as a locked-down kiosk would.
  std::vector<std::string> argv = {kiosk::testing::binary_dir() + "/kiosk/app/kiosk",
                                   "--db",
                                   db,
                                   "escalate",
                                   "--mention",
                                   "demo:downtown:2"};
  if (::geteuid() == 0)
    argv.insert(argv.begin(), {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
  const auto r = kiosk::testing::run(argv);
  ::chmod(dir.path.c_str(), 0755);
  ::chmod(db.c_str(), 0644);
  CHECK(r.exit_code == 1);
  CHECK(one_line(r.err));
  CHECK(r.err.find("is read-only: check the file's permissions") != std::string::npos);
  const auto status = kiosk_cli(db, {"status", "--json"});
  CHECK(status.out.find("\"queue_depth\": 1") != std::string::npos);
}

TEST_CASE("[cli] enroll refuses a head-office address that is not http or https") {
  TempDir dir;
  const std::string db = dir.file("kiosk.sqlite");
  for (const std::string url : {"file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1"}) {
    CAPTURE(url);
    const auto r = kiosk_cli(db, {"enroll", "--hq", url, "--code", "ABCD"});
    CHECK(r.exit_code == 1);
    CHECK(one_line(r.err));
    CHECK(r.err.find("http:// or https://") != std::string::npos);
    CHECK(r.err.find("root:") == std::string::npos);
  }
  CHECK(kiosk_cli(db, {"status", "--json"}).out.find("\"enrolled\": false") != std::string::npos);
}

namespace {
std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

TEST_CASE("[cli] head office's database given to the kiosk is refused and left untouched") {
  TempDir dir;
  const std::string hq_db = dir.file("hq.sqlite");
  const auto added =
      kiosk::testing::run({kiosk::testing::binary_dir() + "/sync/hq/kiosk-hq", "store", "add",
                           "--db", hq_db, "--id", "s1", "--name", "Downtown"});
  REQUIRE_MESSAGE(added.exit_code == 0, added.err);
  const std::string before = file_bytes(hq_db);
  REQUIRE_FALSE(before.empty());
  for (const auto& cmd :
       std::vector<std::vector<std::string>>{{"status"}, {"status", "--json"}, {"mentions"}}) {
    CAPTURE(cmd[0]);
    const auto r = kiosk_cli(hq_db, cmd);
    CHECK(r.exit_code == 1);
    CHECK(one_line(r.err));
    CHECK(r.err.find("is not a kiosk database") != std::string::npos);
    CHECK(r.err.find("no such table") == std::string::npos);
  }
  CHECK(file_bytes(hq_db) == before);
}

namespace {

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string shared_fixture(const std::string& rel) {
  return kiosk::testing::shared_dir() + "/fixtures/" + rel;
}

}  // namespace

TEST_CASE("[cli] ingest --source prints a recorded payload's mentions as JSON lines") {
  TempDir dir;
  const std::string db = dir.file("kiosk.sqlite");
  const auto x = kiosk_cli(db, {"ingest", "--source", "x",
                                shared_fixture("twitter_x/search_recent_tweepy_cassette.json")});
  CHECK(x.exit_code == 0);
  CHECK(x.err.empty());
  const auto lines = lines_of(x.out);
  REQUIRE(lines.size() == 10);
  const auto first = nlohmann::json::parse(lines[0]);
  CHECK(first["id"] == "x:1578516068309794817");  // exact: past 2^53
  CHECK(first["source"] == "x");
  CHECK(first["text"] == "2022-10-07 22:42:12.637103 tweepy");
  CHECK(first["created_at"].get<std::string>().rfind("2022-10-07T22:42:12", 0) == 0);
  CHECK(first["url"] == "https://x.com/i/web/status/1578516068309794817");
  // Nothing is stored: printing a payload is not importing it.
  CHECK(kiosk_cli(db, {"mentions"}).out.empty());

  const auto feed = kiosk_cli(db, {"ingest", "--source", "rss",
                                   shared_fixture("rss_atom/google_alerts_atom_feedjira.xml")});
  CHECK(feed.exit_code == 0);
  CHECK(lines_of(feed.out).size() == 20);
  CHECK(feed.out.find("https://www.google.com/url") == std::string::npos);

  // The same in kiosk-hq.
  const auto hq = kiosk::testing::run(
      {kiosk::testing::binary_dir() + "/sync/hq/kiosk-hq", "ingest", "--source", "mastodon",
       shared_fixture("mastodon/timeline_tag_hoot_localhost_mastodonpy_cassette.json")});
  CHECK(hq.exit_code == 0);
  REQUIRE(lines_of(hq.out).size() == 1);
  const auto toot = nlohmann::json::parse(hq.out);
  CHECK(toot["id"] == "mastodon:109440153064280358");
  CHECK(toot["text"] == "#hoot (hashtag toot)");
  CHECK(toot["lang"] == "ja");
  CHECK(toot["metrics"]["author_followers"] == 0);
}

TEST_CASE("[cli] ingest --source: a skipped item is one stderr line, the rest still print") {
  TempDir dir;
  const std::string db = dir.file("kiosk.sqlite");
  const std::string payload = dir.file("reviews.json");
  std::ofstream(payload) << R"({"reviews":[
    {"reviewId":"r1","starRating":"TWO","comment":"Nobody at the desk &amp; still waiting","createTime":"2026-11-20T17:02:11Z"},
    {"reviewId":"r2","starRating":"FIVE","comment":"great","createTime":"last tuesday"},
    {"starRating":"ONE"}]})";
  const auto r = kiosk_cli(db, {"ingest", "--source", "google", payload});
  CHECK(r.exit_code == 0);
  const auto out = lines_of(r.out);
  REQUIRE(out.size() == 1);
  const auto review = nlohmann::json::parse(out[0]);
  CHECK(review["rating"] == 2);
  CHECK(review["created_at"] == "2026-11-20T17:02:11Z");
  const auto err = lines_of(r.err);
  REQUIRE(err.size() == 2);
  CHECK(err[0].find("skipped google:r2: createTime \"last tuesday\" is not a date") !=
        std::string::npos);
  CHECK(err[1].find("skipped item 3: it has no reviewId") != std::string::npos);
}

TEST_CASE("[cli] ingest --source: unreadable, unknown source, or nothing readable: exit 1") {
  TempDir dir;
  const std::string db = dir.file("kiosk.sqlite");
  const auto missing = kiosk_cli(db, {"ingest", "--source", "yelp", dir.file("absent.json")});
  CHECK(missing.exit_code == 1);
  CHECK(one_line(missing.err));
  CHECK(missing.err.find("cannot read") != std::string::npos);
  const auto unknown = kiosk_cli(db, {"ingest", "--source", "myspace", dir.file("absent.json")});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find("google, yelp, facebook, mastodon, bluesky, reddit, x, rss") !=
        std::string::npos);
  const std::string cut = dir.file("cut.json");
  std::ofstream(cut) << R"([{"id":"1","created_at":"2024-01-01T00:00:00Z","content":"<p>hi)";
  const auto truncated = kiosk_cli(db, {"ingest", "--source", "mastodon", cut});
  CHECK(truncated.exit_code == 1);
  CHECK(one_line(truncated.err));
  CHECK(truncated.err.find("not complete JSON") != std::string::npos);
  CHECK(truncated.out.empty());
}
