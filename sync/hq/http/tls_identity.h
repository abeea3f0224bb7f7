#pragma once
// kiosk-hq's own TLS identity: the certificate and private key it serves https:// with
// (kiosk-hq serve --tls-cert FILE --tls-key FILE), read once at start. Each way the files can
// be wrong (missing, unreadable, not PEM, a key of another certificate) is one sentence for
// head-office IT, before the server binds anything.
#include <string>

#include "kiosk/core/result.h"

namespace kiosk::sync::hq {

struct TlsIdentity {
  std::string cert_pem;  // the certificate chain, server certificate first
  std::string key_pem;   // its private key (unencrypted PEM)
  // What a terminal pins (kiosk enroll --hq-pin): "sha256//" and the base64 SHA-256 of the
  // certificate's SubjectPublicKeyInfo, as curl's CURLOPT_PINNEDPUBLICKEY takes it.
  std::string pin;
};

core::Result<TlsIdentity> load_tls_identity(const std::string& cert_file,
                                            const std::string& key_file);

// Whether this libmicrohttpd was built with TLS (GnuTLS); Debian 12's is. Defined in
// http_server.cpp, the one file that includes microhttpd.h.
bool http_server_supports_tls();

}  // namespace kiosk::sync::hq
