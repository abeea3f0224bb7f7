// Must NOT compile: HQ storage reaching up into the HTTP server.
#include "sync/hq/http/http_server.h"
