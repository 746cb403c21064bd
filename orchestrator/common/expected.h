#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace cyrange {

/// Broad class of a failure, so callers can react without parsing messages.
enum class ErrorCode {
  invalid_argument,     // the caller's input is wrong; fix it and retry
  not_found,            // the named object does not exist
  already_exists,       // the named object exists already
  permission_denied,    // the caller is known but may not do this
  unauthenticated,      // the caller could not be identified
  unavailable,          // a service (PostgreSQL, libvirt) cannot be reached
  failed_precondition,  // the system is not in a state that allows this
  internal,             // a bug or an unexpected state
  cancelled,            // the caller cancelled the operation
  resource_exhausted,   // the caller tried too often or sent too much; wait and retry
  aborted,              // a concurrent change won (e.g. a newer version); reload and retry
};

/// A failure: a complete sentence a person can act on, plus its class.
struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;       ///< English
  std::string message_ja{};  ///< the same in Japanese, where the source gives one
};

/// Builds an Error; the message names the object and what to do next.
inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

/// Builds an Error whose message a person reads in English and in Japanese.
inline Error make_error(ErrorCode code, std::string en, std::string ja) {
  return Error{code, std::move(en), std::move(ja)};
}

/// Either a value or an Error; must be checked (C++23 std::expected in spirit).
template <class T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Expected(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  /// True when a value is held.
  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  /// The held value; only valid when has_value().
  T& value() & {
    assert(has_value());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(has_value());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// The held error; only valid when !has_value().
  const Error& error() const {
    assert(!has_value());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, Error> state_;
};

/// Success or an Error, for operations without a result value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error)
      : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)

  /// A successful status.
  static Status success() { return Status(); }
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  /// The error; only valid when !ok().
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace cyrange
