#pragma once
// A value or a sentence saying why there is none. The sentence is written for the person
// who will read it: store IT, an HQ operator, a developer reading a test failure.
#include <optional>
#include <string>
#include <utility>

namespace kiosk::core {

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose
  static Result failure(std::string why) {
    Result r;
    r.error_ = std::move(why);
    return r;
  }
  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  const std::string& error() const { return error_; }

 private:
  Result() = default;
  std::optional<T> value_;
  std::string error_;
};

}  // namespace kiosk::core
