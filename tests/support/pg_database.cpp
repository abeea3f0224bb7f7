#include "tests/support/pg_database.h"

#include <atomic>
#include <cstdlib>
#include <random>
#include <stdexcept>

#include "tests/support/process.h"

namespace kiosk::testing {

std::string pg_admin_url() {
  const char* url = std::getenv("KIOSK_TEST_PG_URL");
  if (!url || !*url)
    throw std::runtime_error(
        "KIOSK_TEST_PG_URL is not set; run this test through ctest, whose \"postgresql\" "
        "fixture starts the throwaway cluster (tests/pg/start_cluster.sh)");
  return url;
}

void pg_exec(const std::string& url, const std::string& sql) {
  RunResult r = run({"psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql});
  if (r.exit_code != 0) throw std::runtime_error("psql failed: " + r.err);
}

std::string pg_value(const std::string& url, const std::string& sql) {
  RunResult r = run({"psql", url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql});
  if (r.exit_code != 0) throw std::runtime_error("psql failed: " + r.err);
  const auto end = r.out.find('\n');
  return end == std::string::npos ? r.out : r.out.substr(0, end);
}

std::string fresh_pg_database() {
  // A schema rather than a database: as empty as a new database for kiosk-hq (its tables go
  // in the first schema of the search path), and made and dropped in a fraction of the time.
  static std::atomic<unsigned> counter{0};
  std::random_device random;
  const std::string name =
      "kiosk_test_" + std::to_string(random()) + "_" + std::to_string(counter.fetch_add(1));
  const std::string admin = pg_admin_url();
  pg_exec(admin, "CREATE SCHEMA " + name);
  // The schema's name as application_name too, so a test can tell its own connections from
  // those of tests running beside it on the same cluster.
  return admin + (admin.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
         name + "&application_name=" + name;
}

}  // namespace kiosk::testing
