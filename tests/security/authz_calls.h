#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include <tests/security/authz_stack.h>

namespace cyrange::security {

/// What the "other team" column of a matrix row changes in the request.
enum class Other {
  none,        ///< the request names no team, exercise or user: both columns are the same call
  team,        ///< team2 instead of team1, in the exercise both teams play
  exercise,    ///< the exercise only team2 plays, instead of the shared one
  user,        ///< team2's trainee instead of the caller (user_id fields)
  every_team,  ///< no team at all (every team) instead of team1
  team_id,     ///< team2's identity id instead of team1's (recorded events)
  run,         ///< team2 in the self-paced run of a trainee of another organisation (kRunExercise)
};

/// "none", "team", "exercise", "user", "every_team", "team_id" or "run".
const char* to_string(Other other);

/// What a request names.
struct Target {
  std::string exercise;
  std::string team;
  std::int64_t team_id = 0;  ///< 0: the request names no team id
  std::int64_t user_id = 0;  ///< 0: the caller
};

/// The target of a row's own-team column (`other_column` false) or other-team column.
Target target_for(const AuthzStack& stack, Other other, bool other_column);

/// Who calls, with what.
struct CallContext {
  AuthzStack& stack;
  Who who;
  Target target;
};

/// What a call answered, and what the answer showed that a trainee of team1 must not
/// see (another team's data, attack details); empty when nothing.
struct CallResult {
  grpc::Status status;
  std::string leak;
};

/// Makes the call; set-up it needs (a consent to withdraw, an exercise to end) is
/// done before this is returned, so it does not count as the call's side effect.
using PreparedCall = std::function<CallResult()>;

/// Prepares one RPC for a caller and target.
using RpcCall = std::function<PreparedCall(const CallContext&)>;

/// Every RPC this suite can make, by method name within cyrange.v1
/// ("ScoringService.SubmitAnswer").
const std::map<std::string, RpcCall>& rpc_calls();

/// Every call a trainee makes about an exercise and a team (terminals, inbox, answers, tasks,
/// analytics, reports, timeline, recordings, scoreboard, the exercise and its ranges), by
/// method name as in rpc_calls().
const std::vector<const char*>& trainee_exercise_calls();

}  // namespace cyrange::security
