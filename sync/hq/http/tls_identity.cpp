#include "sync/hq/http/tls_identity.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>

namespace kiosk::sync::hq {
namespace {

using R = core::Result<TlsIdentity>;

// The whole file, or a sentence saying why not (the option's name first).
core::Result<std::string> read_pem_file(const std::string& option, const std::string& path) {
  using S = core::Result<std::string>;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return S::failure(option + " " + path + " cannot be read (" + std::strerror(errno) +
                      "); check the path and that kiosk-hq may read it");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return S::failure(option + " " + path + " cannot be read");
  return text.str();
}

gnutls_datum_t datum(const std::string& s) {
  return {reinterpret_cast<unsigned char*>(const_cast<char*>(s.data())),
          static_cast<unsigned>(s.size())};
}

struct CrtDeleter {
  void operator()(gnutls_x509_crt_int* c) const { gnutls_x509_crt_deinit(c); }
};
struct KeyDeleter {
  void operator()(gnutls_x509_privkey_int* k) const { gnutls_x509_privkey_deinit(k); }
};

}  // namespace

core::Result<TlsIdentity> load_tls_identity(const std::string& cert_file,
                                            const std::string& key_file) {
  if (cert_file.empty() != key_file.empty())
    return R::failure(
        "--tls-cert and --tls-key go together: give the certificate (PEM) and its private key "
        "(PEM)");
  auto cert = read_pem_file("--tls-cert", cert_file);
  if (!cert) return R::failure(cert.error());
  auto key = read_pem_file("--tls-key", key_file);
  if (!key) return R::failure(key.error());
  TlsIdentity out{cert.value(), key.value(), {}};

  gnutls_x509_crt_t raw_crt = nullptr;
  gnutls_x509_privkey_t raw_key = nullptr;
  if (gnutls_x509_crt_init(&raw_crt) < 0 || gnutls_x509_privkey_init(&raw_key) < 0) {
    if (raw_crt) gnutls_x509_crt_deinit(raw_crt);
    return R::failure("TLS could not be set up (GnuTLS failed to start)");
  }
  std::unique_ptr<gnutls_x509_crt_int, CrtDeleter> crt(raw_crt);
  std::unique_ptr<gnutls_x509_privkey_int, KeyDeleter> pkey(raw_key);

  const gnutls_datum_t cert_data = datum(out.cert_pem);
  if (out.cert_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos ||
      gnutls_x509_crt_import(crt.get(), &cert_data, GNUTLS_X509_FMT_PEM) < 0)
    return R::failure("--tls-cert " + cert_file +
                      " is not a PEM certificate (a text file starting with -----BEGIN "
                      "CERTIFICATE-----)");
  const gnutls_datum_t key_data = datum(out.key_pem);
  if (out.key_pem.find("PRIVATE KEY-----") == std::string::npos ||
      gnutls_x509_privkey_import2(pkey.get(), &key_data, GNUTLS_X509_FMT_PEM, nullptr,
                                  GNUTLS_PKCS_PLAIN) < 0)
    return R::failure("--tls-key " + key_file +
                      " is not an unencrypted PEM private key (a text file starting with "
                      "-----BEGIN PRIVATE KEY-----, or -----BEGIN RSA/EC PRIVATE KEY-----)");

  // SHA-256 of the SubjectPublicKeyInfo: the same for the certificate and for its key.
  unsigned char cert_id[32];
  unsigned char key_id[32];
  std::size_t cert_id_size = sizeof cert_id;
  std::size_t key_id_size = sizeof key_id;
  if (gnutls_x509_crt_get_key_id(crt.get(), GNUTLS_KEYID_USE_SHA256, cert_id, &cert_id_size) < 0 ||
      gnutls_x509_privkey_get_key_id(pkey.get(), GNUTLS_KEYID_USE_SHA256, key_id, &key_id_size) <
          0 ||
      cert_id_size != 32)
    return R::failure("--tls-cert " + cert_file + " holds a public key kiosk-hq cannot read");
  if (key_id_size != cert_id_size || std::memcmp(cert_id, key_id, cert_id_size) != 0)
    return R::failure("--tls-key " + key_file + " is not the private key of --tls-cert " +
                      cert_file + "; give the key the certificate was made for");
  const gnutls_datum_t id{cert_id, static_cast<unsigned>(cert_id_size)};
  gnutls_datum_t b64{nullptr, 0};
  if (gnutls_base64_encode2(&id, &b64) < 0)
    return R::failure("TLS could not be set up (GnuTLS could not encode the key's pin)");
  std::string encoded(reinterpret_cast<const char*>(b64.data), b64.size);
  gnutls_free(b64.data);
  out.pin = "sha256//";
  for (char c : encoded)
    if (c != '\n' && c != '\r' && c != '\0') out.pin += c;
  return out;
}

}  // namespace kiosk::sync::hq
