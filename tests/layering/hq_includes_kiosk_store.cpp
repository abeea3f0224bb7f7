// Must NOT compile: head office reaching into the terminal's local database.
#include "kiosk/store/kiosk_store.h"
