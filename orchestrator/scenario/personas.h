#pragma once

#include <string>

#include <orchestrator/scenario/scenario.h>

namespace cyrange::scenario {

// What the validator and the live-persona runner agree on about personas: which
// hosts serve them and who they are on their workstation.

/// The persona called `id`, or nullptr.
const Persona* find_persona(const Scenario& scenario, const std::string& id);
/// The proxy live personas browse through: the first host with role `proxy`, else the
/// first with service `proxy`; nullptr when the topology has none.
const Host* proxy_host(const Scenario& scenario);
/// The range's mail server: the first host with role `mail`, else the first non-attacker
/// host with service `mail` or `smtp`; nullptr when the topology has none.
const Host* mail_host(const Scenario& scenario);
/// The host part of an http:// URL (no port); empty when `url` is not http://HOST...
std::string url_host(const std::string& url);
/// The persona's login on its workstation, before ${vars} substitution: the
/// workstation's `config.user`, else the local part of its mailbox.
std::string persona_user(const Scenario& scenario, const Persona& persona);

}  // namespace cyrange::scenario
