// The host pool over a real qemu+ssh:// connection: a throw-away sshd on 127.0.0.1 (its own
// keys, no passwords, ~/.ssh untouched) in front of this machine's libvirtd, next to
// qemu:///system. A range placed on the ssh host boots (a remote daemon cannot read our
// template files), answers through the ssh connection and leaves nothing behind; `cyrange range
// up` with both URIs spreads its teams over them, and status and down find every team.
#include <gtest/gtest.h>

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include <orchestrator/exercise/exercise_cli.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/exercise/tests/loopback_sshd.h>
#include <orchestrator/range/host_pool.h>
#include <orchestrator/range/image_builder.h>
#include <orchestrator/range/libvirt_hypervisor.h>
#include <orchestrator/range/naming.h>
#include <orchestrator/range/team_range.h>
#include <orchestrator/range/tests/test_spec.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::exercise {
namespace {

constexpr const char* kLocal = "qemu:///system";

std::size_t count_on(range::Hypervisor& hv, range::ObjectKind kind, const std::string& prefix) {
  auto objects = hv.list(kind, prefix);
  EXPECT_TRUE(objects) << objects.error().message;
  return objects ? objects->size() : 0;
}

// Nothing of the exercise on this connection: no domain, network or pool.
void expect_nothing_left(range::Hypervisor& hv, const std::string& prefix, const std::string& uri) {
  for (auto kind : {range::ObjectKind::domain, range::ObjectKind::network, range::ObjectKind::pool})
    EXPECT_EQ(count_on(hv, kind, prefix), 0u) << prefix << "* leaked on " << uri;
}

// Whether one line of `text` starts with `start` and contains `also`.
bool has_line(const std::string& text, const std::string& start, const std::string& also) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(start, 0) == 0 && line.find(also) != std::string::npos) return true;
  return false;
}

// This user's ~/.ssh/known_hosts as ssh finds it (the passwd home, not $HOME); "" if absent.
std::string machine_known_hosts() {
  const passwd* user = ::getpwuid(::getuid());
  std::ifstream in(std::filesystem::path(user ? user->pw_dir : "/root") / ".ssh/known_hosts");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::shared_ptr<range::Hypervisor> connect(const std::string& uri) {
  auto hv = range::LibvirtHypervisor::connect(uri);
  if (!hv) ADD_FAILURE() << hv.error().message;
  return hv ? std::shared_ptr<range::Hypervisor>(std::move(*hv)) : nullptr;
}

class HostPoolSsh : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    known_hosts_before_ = machine_known_hosts();
    sshd_ = new testing::LoopbackSshd();
    // The "remote" daemon is this machine's: its capabilities offer kvm whenever /dev/kvm
    // exists, but the local probe also checks the CPU flags. Pin every host to the local choice.
    auto local = range::LibvirtHypervisor::connect(kLocal);
    ASSERT_TRUE(local) << local.error().message;
    ::setenv("CYRANGE_DOMAIN_TYPE", (*local)->domain_type().type.c_str(), 0);
  }
  static void TearDownTestSuite() {
    delete sshd_;
    sshd_ = nullptr;
  }
  static range::ImageInfo tiny_image() {
    range::ImageBuildOptions options;
    options.cache_root = "/var/lib/cyrange/images";
    auto image = range::build_image(options);
    EXPECT_TRUE(image) << image.error().message;
    return image ? *image : range::ImageInfo{};
  }

  static testing::LoopbackSshd* sshd_;
  static std::string known_hosts_before_;
};
testing::LoopbackSshd* HostPoolSsh::sshd_ = nullptr;
std::string HostPoolSsh::known_hosts_before_;

TEST_F(HostPoolSsh, ARangeOnTheSshHostBootsAnswersAndLeavesNothing) {
  const std::string ssh_uri = sshd_->libvirt_uri();
  range::HostConfig local_config, ssh_config;
  local_config.uri = kLocal;
  local_config.name = "local";
  local_config.memory_mib = 128;  // too small for the team: it has to go over ssh
  ssh_config.uri = ssh_uri;
  ssh_config.name = "ssh";
  auto pool = range::HostPool::connect_libvirt({local_config, ssh_config});
  ASSERT_TRUE(pool) << pool.error().message;
  for (const auto& line : (*pool)->report()) std::cout << line << "\n";
  EXPECT_NE(sshd_->log().find("Accepted publickey for root from 127.0.0.1"), std::string::npos)
      << sshd_->log();
  const range::PoolHost& ssh_host = (*pool)->hosts()[1];
  const range::PoolHost& local_host = (*pool)->hosts()[0];
  EXPECT_GT(ssh_host.capacity.memory_mib, 256) << "virNodeGetInfo over ssh";
  EXPECT_TRUE(local_host.hypervisor->can_restore_templates());
  EXPECT_FALSE(ssh_host.hypervisor->can_restore_templates());
  ASSERT_TRUE(range::TeamRange::remove_orphans(*ssh_host.hypervisor, "cyr-hpssh-"));

  range::RangeSpec spec{"hpssh", "t1", {{"lan", "10.0.7.0/24"}}, {}};
  for (const char* name : {"h0", "h1"}) {
    auto h = range::testing::make_host(name, "workstation", {},
                                       {{"lan", std::string("10.0.7.1") + name[1] + "/24", ""}});
    h.memory_mib = 128;
    spec.hosts.push_back(h);
  }
  auto host = (*pool)->place(spec);
  ASSERT_TRUE(host) << host.error().message;
  EXPECT_EQ((*host)->name, "ssh");

  range::TeamRangeOptions options;
  options.image = tiny_image();
  options.pool_root = "/var/lib/cyrange/pools";
  options.capture_pristine = false;
  std::vector<std::string> steps;
  range::TeamRange team(*ssh_host.hypervisor, spec, options);
  auto up = team.up([&](const range::ProgressEvent& e) {
    if (!e.host.empty()) steps.push_back(e.host + ": " + e.message);
  });
  EXPECT_TRUE(up) << up.error().message;
  // Templates are files of this process; over ssh every host boots from the image instead.
  for (const char* name : {"h0", "h1"})
    EXPECT_NE(std::find(steps.begin(), steps.end(),
                        std::string(name) + ": domain started, waiting for the guest agent"),
              steps.end())
        << name << " did not boot";
  for (const auto& step : steps) EXPECT_EQ(step.find("template"), std::string::npos) << step;
  auto hostname = team.exec("h1", {"/bin/hostname"});
  ASSERT_TRUE(hostname) << hostname.error().message;
  EXPECT_EQ(hostname->out, "h1\n");
  // The same daemon behind both URIs: the local connection sees what ssh created.
  EXPECT_EQ(count_on(*local_host.hypervisor, range::ObjectKind::domain, "cyr-hpssh-"), 2u);

  ASSERT_TRUE(
      range::TeamRange::remove_orphans(*ssh_host.hypervisor, range::exercise_prefix("hpssh")));
  (*pool)->release("hpssh");
  expect_nothing_left(*ssh_host.hypervisor, "cyr-hpssh-", ssh_uri);
  expect_nothing_left(*local_host.hypervisor, "cyr-hpssh-", kLocal);
  EXPECT_FALSE(std::filesystem::exists("/var/lib/cyrange/pools/hpssh/t1"));
  std::error_code ec;
  std::filesystem::remove("/var/lib/cyrange/pools/hpssh", ec);
}

// `cyrange range up --uri qemu:///system --uri qemu+ssh://...`, then status, reset and down with
// only the local URI listed: the ssh team is found through the URI recorded in PostgreSQL.
TEST_F(HostPoolSsh, RangeUpSpreadsTeamsOverBothUrisAndDownFindsThem) {
  const std::string ssh_uri = sshd_->libvirt_uri();
  store::testing::TempDatabase db;
  ExerciseCliOptions options;
  options.database_uri = db.uri();
  options.uris = {kLocal, ssh_uri};
  std::ostringstream leftovers;
  ASSERT_TRUE(run_exercise_down("sshcli", leftovers, options));  // a killed run's objects

  std::ostringstream up;
  const std::string scenario = CYRANGE_SOURCE_DIR "/scenarios/quick-check/scenario.yaml";
  auto result = run_exercise_up(scenario, 2, "sshcli", 1, up, options);
  std::cout << up.str();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_NE(up.str().find("placement / 配置:"), std::string::npos);
  EXPECT_NE(up.str().find(ssh_uri), std::string::npos) << "the placement names the ssh host";

  auto registry = RangeRegistry::open(db.uri());
  ASSERT_TRUE(registry) << registry.error().message;
  auto placed = (*registry)->placed_ranges("sshcli");
  ASSERT_TRUE(placed) << placed.error().message;
  ASSERT_EQ(placed->size(), 2u);
  // Equal hosts (one machine): t1 takes the first listed, t2 the one with more left.
  std::map<std::string, std::string> uri_of;
  for (const auto& r : *placed) uri_of[r.spec.team] = r.uri;
  EXPECT_EQ(uri_of["t1"], kLocal);
  EXPECT_EQ(uri_of["t2"], ssh_uri);
  auto over_ssh = connect(ssh_uri);
  ASSERT_TRUE(over_ssh);
  for (const auto& r : *placed) {
    if (r.spec.team != "t2") continue;
    range::TeamRange team(*over_ssh, r.spec, range::TeamRangeOptions{});
    auto hostname = team.exec("ws01", {"/bin/hostname"});
    ASSERT_TRUE(hostname) << hostname.error().message;
    EXPECT_EQ(hostname->out, "ws01\n");
  }

  ExerciseCliOptions local_only = options;
  local_only.uris = {kLocal};
  std::ostringstream status;
  ASSERT_TRUE(run_exercise_status("sshcli", status, local_only));
  EXPECT_NE(status.str().find("host / ホスト " + ssh_uri), std::string::npos) << status.str();
  EXPECT_TRUE(has_line(status.str(), "t2 ", ssh_uri)) << status.str();

  // Reset reverts each team on its own host: t2's pristine snapshot lives behind ssh.
  std::ostringstream reset;
  auto reverted = run_exercise_reset("sshcli", "", reset, local_only);
  ASSERT_TRUE(reverted) << reverted.error().message << "\n" << reset.str();
  EXPECT_NE(reset.str().find("Reset to the pristine state / 初期状態に復元: sshcli, 2 team(s)"),
            std::string::npos)
      << reset.str();

  std::ostringstream down;
  ASSERT_TRUE(run_exercise_down("sshcli", down, local_only));
  EXPECT_NE(down.str().find("Exercise recorded as ended"), std::string::npos) << down.str();
  auto local = connect(kLocal);
  ASSERT_TRUE(local);
  expect_nothing_left(*over_ssh, "cyr-sshcli-", ssh_uri);
  expect_nothing_left(*local, "cyr-sshcli-", kLocal);
  EXPECT_FALSE(std::filesystem::exists("/var/lib/cyrange/pools/sshcli"));
  // The client never wrote the machine's known_hosts: the wrapper uses the test's own.
  EXPECT_EQ(machine_known_hosts(), known_hosts_before_);
}

}  // namespace
}  // namespace cyrange::exercise
