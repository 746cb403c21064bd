#pragma once

#include <QString>

namespace cyrange::trainee {

/// Which training day the window shows: the exercise and the trainee's team, from the
/// join code's answer or (signing in with a token file) from the server.
struct Day {
  QString exercise;
  QString team;
  QString user;  ///< the login name (no personal data)
};

}  // namespace cyrange::trainee
