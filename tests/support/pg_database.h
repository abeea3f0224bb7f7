#pragma once
// The throwaway PostgreSQL cluster of the tests (tests/pg/start_cluster.sh, the ctest fixture
// "postgresql"): a fresh empty database for each test that asks (a schema of its own, named in
// the URL's search_path), made with psql, so test code never includes libpq.
#include <string>

namespace kiosk::testing {

// The URL of the cluster's maintenance database, from KIOSK_TEST_PG_URL; throws when unset.
std::string pg_admin_url();

// Creates a new empty schema on the cluster and returns the URL of the database with that
// schema as its search path: to kiosk-hq, an empty database of its own.
std::string fresh_pg_database();

// Runs one SQL command on the database at url with psql; throws with psql's message on error.
void pg_exec(const std::string& url, const std::string& sql);

// The first column of the first row of a query, as text ("" when there is no row).
std::string pg_value(const std::string& url, const std::string& sql);

}  // namespace kiosk::testing
