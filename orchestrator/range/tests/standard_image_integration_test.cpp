// The "standard" image on real guests (qemu:///system): build (cached after the
// first run), a mail server and a workstation on one segment, a mail sent over
// SMTP from the workstation, and the evidence in postfix's log and the mailbox.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include <orchestrator/range/libvirt_hypervisor.h>
#include <orchestrator/range/team_range.h>
#include <orchestrator/range/tests/test_spec.h>

namespace cyrange::range {
namespace {

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Runs a shell line in a host; the output of a failed command ends up in the assertion message.
ExecResult sh(TeamRange& range, const std::string& host, const std::string& line) {
  auto r = range.exec(host, {"/bin/sh", "-c", line});
  EXPECT_TRUE(r.has_value()) << host << ": " << (r ? "" : r.error().message);
  return r ? *r : ExecResult{};
}

TEST(StandardImageIntegration, MailFromWorkstationReachesPostfixLogAndMailbox) {
  ImageBuildOptions image_options;
  auto t0 = std::chrono::steady_clock::now();
  image_options.profile = "standard";
  auto image = build_image(image_options);
  ASSERT_TRUE(image.has_value()) << image.error().message;
  std::cout << "standard image build: " << since(t0) << " s (cache_hit=" << image->cache_hit << ", "
            << std::filesystem::file_size(image->data_base) / (1 << 20) << " MiB qcow2)\n";
  EXPECT_TRUE(image->root_disk);
  EXPECT_GE(image->disk_bytes, 1ULL << 30);
  t0 = std::chrono::steady_clock::now();
  auto again = build_image(image_options);
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->cache_hit);
  std::cout << "standard image build (cached): " << since(t0) << " s\n";

  RangeSpec spec;
  spec.exercise = "istdtest";
  spec.team = "t1";
  spec.networks = {{"lan", "10.70.1.0/24"}};
  spec.hosts = {testing::make_host("mail", "mail", {"smtp"}, {{"lan", "10.70.1.25/24", ""}}),
                testing::make_host("ws", "workstation", {}, {{"lan", "10.70.1.50/24", ""}})};
  for (auto& h : spec.hosts) h.image_profile = "standard";

  auto hv = LibvirtHypervisor::connect("qemu:///system");
  ASSERT_TRUE(hv.has_value()) << hv.error().message;
  ASSERT_TRUE(TeamRange::remove_orphans(**hv, "cyr-istdtest-").ok());  // leftovers of a killed run
  TeamRangeOptions options;
  auto images = build_images_for(spec, image_options);
  ASSERT_TRUE(images.has_value()) << images.error().message;
  options.profile_images = *images;
  options.capture_pristine = false;
  TeamRange range(**hv, spec, options);
  t0 = std::chrono::steady_clock::now();
  auto up = range.up();
  std::cout << "standard range up (2 hosts): " << since(t0) << " s\n";
  for (const auto& h : range.status())
    std::cout << "  " << h.name << " boot-to-ready " << h.boot_seconds << " s\n";
  ASSERT_TRUE(up.ok()) << up.error().message;

  // Only the role's daemons run: postfix on the mail host, none on the workstation.
  EXPECT_EQ(sh(range, "mail", "pgrep -x master").exit_code, 0);
  EXPECT_NE(sh(range, "ws", "pgrep -x master").exit_code, 0) << "postfix runs on the workstation";
  EXPECT_EQ(sh(range, "ws", "pgrep -x rsyslogd").exit_code, 0);

  // A unique subject, so an old mailbox or a log line of another run cannot pass the checks.
  const std::string marker =
      "cyrange-itest-" + std::to_string(::getpid()) + "-" +
      std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  auto sent =
      sh(range, "ws",
         "printf 'From: Alice <alice@ws.kakuu.example>\\r\\nTo: Bob <bob@kakuu.example>\\r\\n"
         "Subject: " +
             marker +
             "\\r\\n\\r\\nquarterly report attached\\r\\n' > /tmp/mail.txt && "
             "curl -sS --max-time 30 --url smtp://10.70.1.25 --mail-from alice@ws.kakuu.example "
             "--mail-rcpt Bob@kakuu.example --upload-file /tmp/mail.txt");
  ASSERT_EQ(sent.exit_code, 0) << sent.out << sent.err;

  // Delivery is asynchronous (queue manager, then the pipe transport): poll briefly.
  ExecResult mailbox, log;
  for (int i = 0; i < 40; ++i) {
    mailbox = sh(range, "mail", "cat /var/mail/bob");
    if (mailbox.out.find(marker) != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  EXPECT_NE(mailbox.out.find("Subject: " + marker), std::string::npos)
      << mailbox.out << mailbox.err;
  EXPECT_NE(mailbox.out.find("From alice@ws.kakuu.example"), std::string::npos)
      << "no mbox separator";
  log = sh(range, "mail", "cat /var/log/mail.log");
  EXPECT_NE(log.out.find("[10.70.1.50]"), std::string::npos)
      << "the SMTP connection from the workstation is not logged:\n"
      << log.out;
  EXPECT_NE(log.out.find("from=<alice@ws.kakuu.example>"), std::string::npos) << log.out;
  EXPECT_NE(log.out.find("to=<Bob@kakuu.example>, relay=cyrmbox"), std::string::npos) << log.out;
  EXPECT_NE(log.out.find("status=sent"), std::string::npos) << log.out;

  t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(range.down().ok());
  std::cout << "standard range down: " << since(t0) << " s\n";
  for (auto kind : {ObjectKind::domain, ObjectKind::network, ObjectKind::pool}) {
    auto left = (*hv)->list(kind, "cyr-istdtest-");
    ASSERT_TRUE(left.has_value());
    EXPECT_TRUE(left->empty()) << left->front().name << " leaked";
  }
  EXPECT_FALSE(std::filesystem::exists("/var/lib/cyrange/pools/istdtest/t1"));
}

}  // namespace
}  // namespace cyrange::range
