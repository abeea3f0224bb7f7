// Must NOT compile: view building reaching for a screen; it hands a ViewState to the window.
#include "kiosk/ui/kiosk_screen.h"
