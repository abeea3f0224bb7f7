// Forced into every file of a layer that may not use SQLite (kiosk_target_defaults
// NO_SQLITE): including sqlite3.h there stops the build with "attempt to use poisoned".
// The header sits in the system include path, so hiding its folder cannot do this.
#pragma once
#pragma GCC poison sqlite3
