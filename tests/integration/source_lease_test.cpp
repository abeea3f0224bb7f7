// Two real `kiosk-hq poll` processes on one database (a SQLite file, or in
// source_lease_pg_test a PostgreSQL database) polling the same connectors at once: each
// connector is polled by one of them, never by both, thanks to its lease row.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <thread>

#include "sync/hq/sim/fake_source_api.h"
#include "tests/support/process.h"
#ifdef KIOSK_TEST_POSTGRESQL
#include "tests/support/pg_database.h"
#endif

using kiosk::sync::hq::FakeSourceApi;
using kiosk::sync::sources::Source;
using kiosk::testing::binary_dir;
using kiosk::testing::run;
using kiosk::testing::RunResult;
using kiosk::testing::TempDir;
using json = nlohmann::json;

TEST_CASE("lease: two kiosk-hq processes poll each connector once between them [lease]") {
  TempDir dir;
  const std::string hq = binary_dir() + "/sync/hq/kiosk-hq";
#ifdef KIOSK_TEST_POSTGRESQL
  const std::string db = kiosk::testing::fresh_pg_database();
#else
  const std::string db = dir.file("hq.sqlite");
#endif
  const std::string secret = dir.file("hq.secret");
  auto added = run({hq, "store", "add", "--db", db, "--secret-file", secret, "--id", "downtown",
                    "--name", "Downtown"});
  REQUIRE_MESSAGE(added.exit_code == 0, added.err);

  auto started = FakeSourceApi::start();
  REQUIRE_MESSAGE(started, started.error());
  auto& api = *started.value();
  const std::string location = "accounts/1/locations/2";
  std::vector<std::string> reviews;
  for (int i = 5; i >= 0; --i)
    reviews.push_back(
        json{{"reviewId", "r" + std::to_string(i)},
             {"reviewer", {{"displayName", "R"}}},
             {"starRating", "ONE"},
             {"comment", "Queue again at the Elm St tills, visit " + std::to_string(i)},
             {"createTime", "2026-11-20T17:02:11Z"}}
            .dump());
  api.add_items(Source::google, location, reviews);
  api.set_page_size(Source::google, location, 1);
  // The first page is slow, so the two processes surely overlap.
  api.push_fault(Source::google, location, {0, "", "", "", false, 600});
  api.add_items(Source::rss, "alerts",
                {"<item><title>Frontline Elm St in the news</title><guid>n1</guid><pubDate>Fri, "
                 "20 Nov 2026 10:00:00 GMT</pubDate></item>"});
  api.push_fault(Source::rss, "alerts", {0, "", "", "", false, 600});

  json config{{"connectors",
               {{{"name", "google-elm"},
                 {"source", "google"},
                 {"location", location},
                 {"base_url", api.url()},
                 {"token", "t"},
                 {"max_pages", 10},
                 {"every", "1h"}},
                {{"name", "alerts"},
                 {"source", "rss"},
                 {"url", api.feed_url("alerts")},
                 {"every", "1h"}}}}};
  const std::string sources = dir.file("sources.json");
  std::ofstream(sources) << config.dump(2);

  const std::vector<std::string> poll{hq,     "poll",      "--db",  db,      "--secret-file",
                                      secret, "--sources", sources, "--once"};
  RunResult a, b;
  std::thread first([&] { a = run(poll); });
  std::thread second([&] { b = run(poll); });
  first.join();
  second.join();
  INFO("first: " << a.out << a.err);
  INFO("second: " << b.out << b.err);
  CHECK(a.exit_code == 0);
  CHECK(b.exit_code == 0);

  const auto google = api.stats(Source::google, location);
  CHECK(google.requests == 6);       // one walk through the six pages, not two
  CHECK(google.max_in_flight == 1);  // never two requests at once
  int first_pages = 0;
  for (const auto& q : google.queries) first_pages += q.find("pageToken") == std::string::npos;
  CHECK(first_pages == 1);
  CHECK(api.stats(Source::rss, "alerts").requests == 1);
  // Each process says what it did with each connector: polled it, or left it to the other.
  const std::string both = a.out + b.out;
  const auto count = [&](const std::string& what) {
    int n = 0;
    for (auto at = both.find(what); at != std::string::npos; at = both.find(what, at + 1)) ++n;
    return n;
  };
  CHECK(count("google-elm: 6 page(s)") == 1);
  CHECK(count("alerts: 1 page(s)") == 1);
  CHECK(count("not polled") == 2);

  // And the health line shows one success each, no lease left behind.
  auto listed = run({hq, "sources", "list", "--db", db, "--secret-file", secret, "--json"});
  REQUIRE(listed.exit_code == 0);
  auto rows = json::parse(listed.out);
  REQUIRE(rows.size() == 2);
  for (const auto& r : rows) {
    CHECK(r["status"] == "ok");
    CHECK(r["lease_holder"] == "");
  }
}
