// Must NOT compile: SQL in the HQ API; only HQ storage speaks SQLite.
#include <sqlite3.h>
