#pragma once
// A value or the Error saying why there is none. The sentence is written for the person
// who will read it: store IT, an HQ operator, a developer reading a test failure; the kind
// tells the caller what to do next (core/error.h).
#include <optional>
#include <string>
#include <utility>

#include "kiosk/core/error.h"

namespace kiosk::core {

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose
  static Result failure(Error why) {
    Result r;
    r.error_ = std::move(why);
    return r;
  }
  // A failure of the most common kind in decoders and checks: the input is not acceptable.
  static Result failure(std::string why, ErrorKind kind = ErrorKind::bad_input) {
    return failure(Error{kind, std::move(why), {}});
  }
  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  const std::string& error() const { return error_.message; }
  const Error& failure_info() const { return error_; }

 private:
  Result() = default;
  std::optional<T> value_;
  Error error_;
};

}  // namespace kiosk::core
