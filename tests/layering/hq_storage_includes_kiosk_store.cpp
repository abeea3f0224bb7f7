// Must NOT compile: HQ storage shares the SQLite wrapper (kiosk/store/sqlite/) with the kiosk,
// never the kiosk's store code beside it.
#include "kiosk/store/kiosk_store.h"
