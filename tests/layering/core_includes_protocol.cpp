// Must NOT compile: the core domain reaching up into the wire format.
#include "sync/protocol/messages.h"
