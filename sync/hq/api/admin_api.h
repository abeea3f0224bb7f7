#pragma once
// Head office's JSON API for people and tools at head office (docs/hq.md#the-admin-json-api):
// list escalations with filters, and acknowledge, note, reassign, resolve or reopen one. Each
// change goes through the same merge rules as a terminal's and reaches the store on its next
// sync. Authenticated with one admin key kept outside the database (KIOSK_HQ_ADMIN_KEY or
// --admin-key-file): "Authorization: Bearer <key>". Without a key the API is off (404).
//
// Routes:
//   GET  /v1/admin/escalations[?store=&status=&severity=&category=&older_than=30m&breached=1]
//   GET  /v1/admin/escalations/<id>
//   POST /v1/admin/escalations/<id>/<acknowledge|note|reassign|resolve|reopen>
//        {"by": "HQ care Ruth", "text": "..."}   text: the note, who holds it, the resolution
// Answers: 200 {"escalations": [...]} or {"escalation": {...}}; 400 bad_request (a filter or
// field, named), 401 unauthorized, 404 not_found, 409 conflict (already acknowledged...).
#include <string>

#include "sync/hq/api/sync_api.h"
#include "sync/hq/storage/hq_storage.h"

namespace kiosk::sync::hq {

inline constexpr const char* kAdminPathPrefix = "/v1/admin/";
inline constexpr std::size_t kMinAdminKeyChars = 16;

class AdminApi {
 public:
  // key: the admin key; empty turns the API off. storage must outlive the AdminApi.
  AdminApi(HqStorage& storage, Clock clock, std::string key)
      : storage_(storage), clock_(std::move(clock)), key_(std::move(key)) {}
  ApiResponse handle(const ApiRequest& request) const;

 private:
  ApiResponse list(const ApiRequest& request) const;
  ApiResponse act(const std::string& id, const std::string& verb, const ApiRequest& request) const;
  ApiResponse one(const std::string& id) const;

  HqStorage& storage_;
  Clock clock_;
  std::string key_;
};

// The admin key from KIOSK_HQ_ADMIN_KEY or the first line of a file: at least 16 characters.
// Empty (and no error) when neither is given.
core::Result<std::string> load_admin_key(const std::string& file);

}  // namespace kiosk::sync::hq
