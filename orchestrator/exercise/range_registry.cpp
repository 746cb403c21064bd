#include <orchestrator/exercise/range_registry.h>

#include <nlohmann/json.hpp>

#include <orchestrator/common/log.h>
#include <orchestrator/exercise/range_registry_impl.h>

namespace cyrange::exercise {

RangeRegistry::RangeRegistry(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RangeRegistry::~RangeRegistry() = default;

Expected<std::unique_ptr<RangeRegistry>> RangeRegistry::open(const std::string& database_uri) {
  auto session = store::PgSession::open(database_uri, "exercise");
  if (!session) return session.error();
  auto impl = std::make_unique<Impl>();
  impl->session = std::move(session).value();
  return std::unique_ptr<RangeRegistry>(new RangeRegistry(std::move(impl)));
}

Status RangeRegistry::begin_exercise(const std::string& id, const std::string& scenario_id,
                                     const std::string& scenario_hash,
                                     const std::vector<std::string>& teams) {
  return impl_->session->run("recording exercise " + id, [&](pqxx::work& tx) -> Status {
    auto existing = tx.exec_params("SELECT state FROM exercises WHERE id = $1 FOR UPDATE", id);
    if (!existing.empty() && existing[0][0].as<std::string>() != kStateEnded)
      return make_error(ErrorCode::already_exists,
                        "Exercise '" + id + "' already has ranges (state " +
                            existing[0][0].as<std::string>() +
                            "); remove them with `cyrange range down --exercise " + id +
                            "` or choose another --exercise.");
    if (existing.empty())
      tx.exec_params(
          "INSERT INTO exercises (id, scenario_id, scenario_hash, state) VALUES ($1, $2, $3, $4)",
          id, scenario_id, scenario_hash, kStateProvisioning);
    else
      tx.exec_params(
          "UPDATE exercises SET scenario_id = $2, scenario_hash = $3, state = $4 WHERE id = $1", id,
          scenario_id, scenario_hash, kStateProvisioning);
    tx.exec_params("DELETE FROM exercise_teams WHERE exercise_id = $1", id);
    tx.exec_params("DELETE FROM range_progress WHERE exercise_id = $1", id);
    for (const auto& team : teams) {
      tx.exec_params("INSERT INTO teams (name) VALUES ($1) ON CONFLICT (name) DO NOTHING", team);
      tx.exec_params(
          "INSERT INTO exercise_teams (exercise_id, team_id) SELECT $1, id FROM teams WHERE name = "
          "$2",
          id, team);
    }
    return Status::success();
  });
}

Status RangeRegistry::save_team_spec(const range::RangeSpec& spec, const std::string& libvirt_uri) {
  return impl_->session->run("saving the range of team " + spec.team,
                             [&](pqxx::work& tx) -> Status {
                               tx.exec_params(
                                   "INSERT INTO exercise_ranges (exercise_id, team, libvirt_uri, "
                                   "spec) VALUES ($1, $2, $3, "
                                   "$4::jsonb) "
                                   "ON CONFLICT (exercise_id, team) DO UPDATE SET libvirt_uri = "
                                   "EXCLUDED.libvirt_uri, spec = "
                                   "EXCLUDED.spec",
                                   spec.exercise, spec.team, libvirt_uri, spec_to_json(spec));
                               return Status::success();
                             });
}

Status RangeRegistry::set_state(const std::string& exercise, const std::string& state,
                                const std::string& detail) {
  return impl_->session->run("updating exercise " + exercise, [&](pqxx::work& tx) -> Status {
    tx.exec_params("UPDATE exercises SET state = $2, detail = $3 WHERE id = $1", exercise, state,
                   detail);
    return Status::success();
  });
}

Status RangeRegistry::save_setup(const std::string& exercise, const ExerciseSetup& setup) {
  return impl_->session->run(
      "saving the setup of exercise " + exercise, [&](pqxx::work& tx) -> Status {
        tx.exec_params(
            "UPDATE exercises SET scenario_file = $2, scenario_yaml = $3, seed = $4 WHERE id = $1",
            exercise, setup.scenario_file, setup.scenario_yaml,
            static_cast<std::int64_t>(setup.seed));
        return Status::success();
      });
}

Expected<ExerciseSetup> RangeRegistry::setup(const std::string& exercise) {
  ExerciseSetup out;
  bool found = false;
  auto st = impl_->session->run(
      "reading the setup of exercise " + exercise, [&](pqxx::work& tx) -> Status {
        auto r = tx.exec_params(
            "SELECT scenario_file, scenario_yaml, seed FROM exercises WHERE id = $1", exercise);
        if (r.empty()) return Status::success();
        found = true;
        out.scenario_file = r[0][0].as<std::string>();
        out.scenario_yaml = r[0][1].as<std::string>();
        out.seed = static_cast<std::uint64_t>(r[0][2].as<std::int64_t>());
        return Status::success();
      });
  if (!st) return st.error();
  if (!found)
    return make_error(ErrorCode::not_found,
                      "No exercise '" + exercise + "' is recorded in the database.");
  return out;
}

Status RangeRegistry::record_object(const std::string& exercise, const std::string& team,
                                    const std::string& kind, const std::string& name,
                                    const std::string& libvirt_uri) {
  return impl_->session->run("recording " + kind + " " + name, [&](pqxx::work& tx) -> Status {
    tx.exec_params(
        "INSERT INTO range_objects (exercise_id, team, kind, name, libvirt_uri) VALUES ($1, $2, "
        "$3, $4, $5) "
        "ON CONFLICT (libvirt_uri, kind, name) DO NOTHING",
        exercise, team, kind, name, libvirt_uri);
    return Status::success();
  });
}

Status RangeRegistry::forget_object(const std::string& kind, const std::string& name,
                                    const std::string& libvirt_uri) {
  return impl_->session->run("forgetting " + kind + " " + name, [&](pqxx::work& tx) -> Status {
    tx.exec_params("DELETE FROM range_objects WHERE libvirt_uri = $1 AND kind = $2 AND name = $3",
                   libvirt_uri, kind, name);
    if (kind == "pool")  // its volumes went with it
      tx.exec_params(
          "DELETE FROM range_objects WHERE libvirt_uri = $1 AND kind = 'volume' AND name LIKE $2",
          libvirt_uri, name + "/%");
    return Status::success();
  });
}

Status RangeRegistry::end_exercise(const std::string& exercise) {
  return impl_->session->run("ending exercise " + exercise, [&](pqxx::work& tx) -> Status {
    tx.exec_params("DELETE FROM range_objects WHERE exercise_id = $1", exercise);
    tx.exec_params("DELETE FROM exercise_ranges WHERE exercise_id = $1", exercise);
    tx.exec_params("UPDATE exercises SET state = $2 WHERE id = $1", exercise, kStateEnded);
    return Status::success();
  });
}

Expected<std::vector<RangeObjectRow>> RangeRegistry::objects(const std::string& libvirt_uri) {
  std::vector<RangeObjectRow> out;
  auto st = impl_->session->run("listing range objects", [&](pqxx::work& tx) -> Status {
    for (const auto& r : tx.exec_params(
             "SELECT o.exercise_id, o.team, o.kind, o.name, e.state FROM range_objects o "
             "JOIN exercises e ON e.id = o.exercise_id WHERE o.libvirt_uri = $1 ORDER BY o.id",
             libvirt_uri))
      out.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
                     r[3].as<std::string>(), r[4].as<std::string>()});
    return Status::success();
  });
  if (!st) return st.error();
  return out;
}

Expected<std::vector<ExerciseRow>> RangeRegistry::exercises(bool include_ended) {
  std::vector<ExerciseRow> out;
  auto st = impl_->session->run("listing exercises", [&](pqxx::work& tx) -> Status {
    for (const auto& r :
         tx.exec_params("SELECT e.id, e.scenario_id, e.state, "
                        "coalesce(string_agg(t.name, ',' ORDER BY t.name), ''), e.detail, e.seed "
                        "FROM exercises e "
                        "LEFT JOIN exercise_teams et ON et.exercise_id = e.id LEFT JOIN teams t ON "
                        "t.id = et.team_id "
                        "WHERE $1 OR e.state <> $2 GROUP BY e.id ORDER BY e.created_at DESC, e.id",
                        include_ended, std::string(kStateEnded))) {
      ExerciseRow row{r[0].as<std::string>(), r[1].as<std::string>(),
                      r[2].as<std::string>(), {},
                      r[4].as<std::string>(), static_cast<std::uint64_t>(r[5].as<std::int64_t>())};
      std::string teams = r[3].as<std::string>();
      for (std::size_t start = 0; start < teams.size();) {
        auto comma = teams.find(',', start);
        if (comma == std::string::npos) comma = teams.size();
        row.teams.push_back(teams.substr(start, comma - start));
        start = comma + 1;
      }
      out.push_back(std::move(row));
    }
    return Status::success();
  });
  if (!st) return st.error();
  return out;
}

Expected<ExerciseRow> RangeRegistry::exercise(const std::string& id) {
  auto all = exercises(true);
  if (!all) return all.error();
  for (auto& e : *all)
    if (e.id == id) return e;
  return make_error(ErrorCode::not_found, "No exercise '" + id +
                                              "' is recorded in the database; list them with "
                                              "`cyrange range status`.");
}

Expected<std::vector<range::RangeSpec>> RangeRegistry::team_specs(const std::string& exercise,
                                                                  std::string* libvirt_uri) {
  std::vector<range::RangeSpec> out;
  auto st = impl_->session->run("reading the ranges of " + exercise, [&](pqxx::work& tx) -> Status {
    for (const auto& r : tx.exec_params("SELECT spec::text, libvirt_uri FROM exercise_ranges WHERE "
                                        "exercise_id = $1 ORDER BY team",
                                        exercise)) {
      auto spec = spec_from_json(r[0].as<std::string>());
      if (!spec) return spec.error();
      out.push_back(std::move(*spec));
      if (libvirt_uri) *libvirt_uri = r[1].as<std::string>();
    }
    return Status::success();
  });
  if (!st) return st.error();
  return out;
}

Expected<std::vector<range::PlacedRange>> RangeRegistry::placed_ranges(
    const std::string& exercise) {
  std::vector<range::PlacedRange> out;
  auto st = impl_->session->run("reading where team ranges live", [&](pqxx::work& tx) -> Status {
    for (const auto& r : tx.exec_params(
             "SELECT r.spec::text, r.libvirt_uri FROM exercise_ranges r JOIN exercises e ON e.id "
             "= r.exercise_id WHERE ($1 = '' AND e.state <> $2) OR r.exercise_id = $1 "
             "ORDER BY r.exercise_id, r.team",
             exercise, kStateEnded)) {
      auto spec = spec_from_json(r[0].as<std::string>());
      if (!spec) return spec.error();
      out.push_back({std::move(*spec), r[1].as<std::string>()});
    }
    return Status::success();
  });
  if (!st) return st.error();
  return out;
}

Expected<std::string> RangeRegistry::team_name(std::int64_t team_id) {
  std::string name;
  auto st =
      impl_->session->run("reading team " + std::to_string(team_id), [&](pqxx::work& tx) -> Status {
        auto r = tx.exec_params("SELECT name FROM teams WHERE id = $1", team_id);
        if (r.empty())
          return make_error(ErrorCode::not_found,
                            "Team " + std::to_string(team_id) + " does not exist.");
        name = r[0][0].as<std::string>();
        return Status::success();
      });
  if (!st) return st.error();
  return name;
}

Status RangeRegistry::record_progress(const std::string& exercise, const ProgressRow& row) {
  return impl_->session->run("recording progress of " + exercise, [&](pqxx::work& tx) -> Status {
    tx.exec_params(
        "INSERT INTO range_progress (exercise_id, team, host, state, percent, message, version) "
        "VALUES ($1, $2, $3, $4, $5, $6, nextval('range_progress_version')) "
        "ON CONFLICT (exercise_id, team, host) DO UPDATE SET state = EXCLUDED.state, percent = "
        "EXCLUDED.percent, "
        "message = EXCLUDED.message, version = EXCLUDED.version",
        exercise, row.team, row.host, row.state, row.percent, row.message);
    return Status::success();
  });
}

Status RangeRegistry::audit(std::int64_t actor_user_id, const std::string& action,
                            const std::string& object, const std::string& detail_json) {
  return append_audit(actor_user_id, "", action, object, detail_json);
}

Status RangeRegistry::audit_by(const std::string& actor, const std::string& action,
                               const std::string& object, const std::string& detail_json) {
  return append_audit(std::nullopt, actor, action, object, detail_json);
}

Status RangeRegistry::append_audit(std::optional<std::int64_t> actor_user_id,
                                   const std::string& actor, const std::string& action,
                                   const std::string& object, const std::string& detail_json) {
  return impl_->session->run("auditing " + action, [&](pqxx::work& tx) -> Status {
    tx.exec_params0(
        "INSERT INTO audit_log (actor_user_id, action, object, detail) VALUES ($1, $2, $3, "
        "$4::jsonb || CASE WHEN $5::text = '' THEN '{}'::jsonb "
        "ELSE jsonb_build_object('actor', $5::text) END)",
        actor_user_id, action, object, detail_json, actor);
    return Status::success();
  });
}

Expected<std::vector<ProgressRow>> RangeRegistry::progress_since(const std::string& exercise,
                                                                 std::int64_t after_version) {
  std::vector<ProgressRow> out;
  auto st = impl_->session->run("reading progress of " + exercise, [&](pqxx::work& tx) -> Status {
    for (const auto& r :
         tx.exec_params("SELECT team, host, state, message, percent, version FROM range_progress "
                        "WHERE exercise_id = $1 AND version > $2 ORDER BY version",
                        exercise, after_version))
      out.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
                     r[3].as<std::string>(), r[4].as<int>(), r[5].as<std::int64_t>()});
    return Status::success();
  });
  if (!st) return st.error();
  return out;
}

std::string spec_to_json(const range::RangeSpec& spec) {
  nlohmann::json j;
  j["exercise"] = spec.exercise;
  j["team"] = spec.team;
  j["networks"] = nlohmann::json::array();
  for (const auto& n : spec.networks) j["networks"].push_back({{"name", n.name}, {"cidr", n.cidr}});
  j["hosts"] = nlohmann::json::array();
  for (const auto& h : spec.hosts) {
    nlohmann::json nics = nlohmann::json::array();
    for (const auto& n : h.nics)
      nics.push_back({{"network", n.network}, {"address", n.address}, {"gateway", n.gateway}});
    j["hosts"].push_back({{"name", h.name},
                          {"image_profile", h.image_profile},
                          {"role", h.role},
                          {"services", h.services},
                          {"nics", nics},
                          {"memory_mib", h.memory_mib},
                          {"vcpus", h.vcpus},
                          {"trainee_terminal", h.trainee_terminal},
                          {"config", h.config}});
  }
  return j.dump();
}

Expected<range::RangeSpec> spec_from_json(const std::string& text) {
  try {
    auto j = nlohmann::json::parse(text);
    range::RangeSpec spec;
    spec.exercise = j.at("exercise").get<std::string>();
    spec.team = j.at("team").get<std::string>();
    for (const auto& n : j.at("networks")) spec.networks.push_back({n.at("name"), n.at("cidr")});
    for (const auto& h : j.at("hosts")) {
      range::HostSpec host;
      host.name = h.at("name");
      host.image_profile = h.at("image_profile");
      host.role = h.at("role");
      host.services = h.at("services").get<std::vector<std::string>>();
      for (const auto& n : h.at("nics"))
        host.nics.push_back({n.at("network"), n.at("address"), n.at("gateway")});
      host.memory_mib = h.at("memory_mib");
      host.vcpus = h.at("vcpus");
      host.trainee_terminal = h.at("trainee_terminal");
      host.config = h.at("config").get<std::map<std::string, std::string>>();
      spec.hosts.push_back(std::move(host));
    }
    return spec;
  } catch (const std::exception& e) {
    return make_error(ErrorCode::invalid_argument,
                      std::string("A stored range spec is not valid JSON of a RangeSpec: ") +
                          e.what() +
                          ". Remove the exercise with `cyrange range down` and bring it up again.");
  }
}

}  // namespace cyrange::exercise
