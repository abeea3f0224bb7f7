// Must NOT compile: the HQ API reaching up into the HTTP server that calls it.
#include "sync/hq/http/http_server.h"
