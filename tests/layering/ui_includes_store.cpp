// Must NOT compile: a screen reaching for the database (ARCHITECTURE.md: ui never touches SQL).
#include "kiosk/store/kiosk_store.h"
