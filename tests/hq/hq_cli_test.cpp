// The kiosk-hq command line, run in-process: what scripts capture on stdout, and one-line
// errors with a non-zero exit code.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sync/hq/cli/cli.h"
#include "tests/hq/hq_test_support.h"

using kiosk::sync::hq::test::kiosk_hq;
using kiosk::sync::hq::test::TempDir;

namespace {}  // namespace

TEST_CASE("[hq][cli] head-office commands a script can rely on") {
  TempDir dir;
  const std::string db = dir.file("hq.sqlite");

  auto added = kiosk_hq({"store", "add", "--db", db, "--id", "S1", "--name", "Downtown"});
  CHECK(added.code == 0);
  CHECK(added.out == "added store S1 (Downtown)\n");
  auto again = kiosk_hq({"store", "add", "--db", db, "--id", "S1", "--name", "Downtown"});
  CHECK(again.code == 0);
  CHECK(again.out.find("already exists") != std::string::npos);
  auto renamed = kiosk_hq({"store", "add", "--db", db, "--id", "S1", "--name", "Uptown"});
  CHECK(renamed.code != 0);

  auto code = kiosk_hq({"enroll-code", "--db", db, "--store", "S1", "--valid-hours", "2"});
  CHECK(code.code == 0);
  REQUIRE(code.out.size() == 13);  // "ABCD-EFGH-JK\n" and nothing else
  CHECK(code.out[4] == '-');
  CHECK(code.out[9] == '-');

  auto unknown_store = kiosk_hq({"enroll-code", "--db", db, "--store", "S9"});
  CHECK(unknown_store.code != 0);
  CHECK(unknown_store.out.empty());
  CHECK(unknown_store.err.find("store add") != std::string::npos);

  std::ofstream(dir.file("mentions.json"))
      << R"({"mentions":[{"id":"m1","source":"google","text":"slow queue","minutes_ago":5},)"
      << R"({"id":"m2","source":"yelp","author":"Bo","text":"lovely staff","minutes_ago":30}]})";
  auto loaded = kiosk_hq(
      {"mentions", "load", "--db", db, "--store", "S1", "--file", dir.file("mentions.json")});
  CHECK(loaded.code == 0);
  CHECK(loaded.out.find("loaded 2 mentions") != std::string::npos);
  auto live = kiosk_hq({"mentions", "add", "--db", db, "--store", "S1", "--source", "mastodon",
                        "--author", "ann", "--text", "queue is out the door"});
  CHECK(live.code == 0);

  CHECK(kiosk_hq({"events", "count", "--db", db}).out == "0\n");
  CHECK(kiosk_hq({"escalations", "list", "--db", db, "--json"}).out == "[]\n");

  auto ack = kiosk_hq({"ack", "--db", db, "--escalation", "no-such-id"});
  CHECK(ack.code == 1);
  CHECK(ack.err.find("no escalation with id no-such-id") != std::string::npos);
  CHECK(std::count(ack.err.begin(), ack.err.end(), '\n') == 1);

  auto typo = kiosk_hq({"events", "count", "--db", dir.file("typo.sqlite")});
  CHECK(typo.code != 0);
  CHECK(typo.err.find("does not exist") != std::string::npos);
}

TEST_CASE("[hq][cli] --help lists the commands; a bad --listen is refused") {
  auto help = kiosk_hq({"--help"});
  CHECK(help.code == 0);
  for (const char* cmd : {"serve", "store", "enroll-code", "mentions", "escalations", "ack",
                          "resolve", "events", "terminals", "--listen", "--db", "--secret-file",
                          "--max-connections", "--max-connections-per-address"})
    CHECK_MESSAGE(help.out.find(cmd) != std::string::npos, cmd);

  TempDir dir;
  auto bad = kiosk_hq({"--db", dir.file("hq.sqlite"), "--listen", "nowhere"});
  CHECK(bad.code == 1);
  CHECK(bad.err.find("HOST:PORT") != std::string::npos);
}
