// End to end with real processes: `kiosk-hq simulate` serves the sources' APIs with posts
// about the demo stores, `kiosk-hq --sources` polls them through the real connectors and
// matches each post to a store, and an enrolled kiosk's `sync` brings its store's mentions,
// and only its store's, to the counter.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <thread>

#include "tests/support/process.h"

using kiosk::testing::binary_dir;
using kiosk::testing::ChildProcess;
using kiosk::testing::run;
using kiosk::testing::source_dir;
using kiosk::testing::TempDir;

namespace {

std::string wait_for_file(const std::string& path, int seconds) {
  for (int i = 0; i < seconds * 20; ++i) {
    std::ifstream in(path);
    std::string line;
    if (in && std::getline(in, line) && !line.empty()) return line;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return {};
}

}  // namespace

TEST_CASE("sources end to end: simulator, connectors, matching, kiosk sync [e2e]") {
  TempDir dir;
  const std::string hq = binary_dir() + "/sync/hq/kiosk-hq";
  const std::string kiosk = binary_dir() + "/kiosk/app/kiosk";
  const std::string db = dir.file("hq.sqlite");
  for (const auto& [id, name] :
       {std::pair<std::string, std::string>{"downtown", "Downtown"}, {"uptown", "Uptown"}}) {
    REQUIRE(run({hq, "store", "add", "--db", db, "--id", id, "--name", name}).exit_code == 0);
    auto set = run({hq, "store", "set", "--db", db, "--id", id, "--file",
                    source_dir() + "/assets/demo/" + id + ".store.json"});
    REQUIRE_MESSAGE(set.exit_code == 0, set.err);
  }
  ChildProcess sim(
      {hq, "simulate", "--port-file", dir.file("sim.port"), "--sources-out",
       dir.file("sources.json"), "--every", "1s", "--poll-every", "1s", "--history", "24"},
      dir.file("sim.log"));
  REQUIRE(!wait_for_file(dir.file("sim.port"), 10).empty());
  REQUIRE(!wait_for_file(dir.file("sources.json"), 10).empty());
  ChildProcess server({hq, "--db", db, "--listen", "127.0.0.1:0", "--port-file",
                       dir.file("hq.port"), "--quiet", "--sources", dir.file("sources.json")},
                      dir.file("hq.log"));
  const std::string port = wait_for_file(dir.file("hq.port"), 10);
  REQUIRE(!port.empty());
  auto code = run({hq, "enroll-code", "--db", db, "--store", "downtown"});
  REQUIRE(code.exit_code == 0);
  std::string the_code = code.out.substr(0, code.out.find('\n'));
  const std::string kdb = dir.file("kiosk.sqlite");
  auto enrolled = run({kiosk, "--db", kdb, "enroll", "--hq", "http://127.0.0.1:" + port, "--code",
                       the_code, "--name", "Front counter"});
  REQUIRE_MESSAGE(enrolled.exit_code == 0, enrolled.err);

  // Reviews (Google), toots (Mastodon), posts (Bluesky, Facebook), news (RSS) for Downtown.
  const std::vector<std::string> downtown = {
      "Waited 35 minutes at the pharmacy counter",   // google, by location id
      "Anyone else stuck at the Elm St Frontline",   // mastodon, by nickname
      "Spilled oil in aisle 7 at Frontline Elm St",  // bluesky, by nickname
      "Freezer aisle is flooded",                    // facebook, by geotag
      "extends pharmacy hours"};                     // rss
  std::string feed;
  bool all = false;
  for (int i = 0; i < 60 && !all; ++i) {
    run({kiosk, "--db", kdb, "sync", "--once"});
    feed = run({kiosk, "--db", kdb, "mentions", "--json", "--limit", "200"}).out;
    all = true;
    for (const auto& t : downtown) all = all && feed.find(t) != std::string::npos;
    if (!all) std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  INFO("kiosk feed: " << feed);
  for (const auto& t : downtown) CHECK(feed.find(t) != std::string::npos);
  // Uptown's posts stay at Uptown; the post that names only the city waits at head office.
  CHECK(feed.find("Marco in the bakery") == std::string::npos);
  CHECK(feed.find("out of milk again") == std::string::npos);
  // The cross-post and the retweet are one mention each.
  const auto count = [&](const std::string& what) {
    int n = 0;
    for (auto at = feed.find(what); at != std::string::npos; at = feed.find(what, at + 1)) ++n;
    return n;
  };
  CHECK(count("Anyone else stuck at the Elm St Frontline") == 1);
  CHECK(count("Spilled oil in aisle 7") == 1);
  auto unmatched = run({hq, "mentions", "unmatched", "--db", db});
  CHECK(unmatched.out.find("out of milk again") != std::string::npos);
  CHECK(unmatched.out.find("no street") != std::string::npos);
  auto health = run({hq, "sources", "list", "--db", db, "--json"});
  auto rows = nlohmann::json::parse(health.out);
  CHECK(rows.size() == 10);
  for (const auto& r : rows) CHECK_MESSAGE(r["items_seen"].get<int>() > 0, r.dump());
}
