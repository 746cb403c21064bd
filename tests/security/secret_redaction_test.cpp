// Secrets a trainee types stay out of terminal recordings and typed lines (#17, Low): a
// password typed ahead, before the guest asked for it, and secrets written on a command line
// (`mysql -pX`, `--password=X`, `curl -u user:X`, ...). Before, only the line after a prompt
// the guest had already printed was redacted.
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include <orchestrator/exercise/secret_input.h>

namespace cyrange::security {
namespace {

using exercise::SecretInputFilter;

// Types `text` one byte at a time, as a terminal client sends keystrokes.
std::string type(SecretInputFilter& filter, std::string_view text) {
  std::string recorded;
  for (char c : text) recorded += filter.recordable_input(std::string_view(&c, 1));
  return recorded;
}

TEST(SecretRedaction, APasswordTypedAheadOfItsPromptIsRedacted) {
  SecretInputFilter filter;
  filter.saw_output("ws01:~$ ");
  std::string recorded = type(filter, "sudo cat /etc/shadow\r");
  recorded += type(filter, "hunter2\r");  // typed before sudo asked
  filter.saw_output("sudo cat /etc/shadow\r\nhunter2\r\n[sudo] password for sato: ");
  filter.saw_output("\r\nroot:*:19000:0:99999:7:::\r\nws01:~$ ");
  recorded += type(filter, "ls /tmp\r");
  EXPECT_EQ(recorded, "sudo cat /etc/shadow\r[redacted]\rls /tmp\r")
      << "the prompt the line answered does not also take the next command";
}

TEST(SecretRedaction, ACommandThatDidNotAskLeavesTheNextLineAlone) {
  SecretInputFilter filter;
  filter.saw_output("ws01:~$ ");
  std::string recorded = type(filter, "sudo ls\r");
  filter.saw_output("sudo ls\r\nreport.txt\r\nws01:~$ ");  // credentials cached: no prompt
  recorded += type(filter, "cat report.txt\r");
  EXPECT_EQ(recorded, "sudo ls\rcat report.txt\r");
}

TEST(SecretRedaction, RetypingAtAPromptAfterCtrlUIsStillRedacted) {
  SecretInputFilter filter;
  filter.saw_output("Password: ");
  EXPECT_EQ(type(filter, "wrnog\x15hunter2\r"), "[redacted]\r");
}

TEST(SecretRedaction, SecretsOnACommandLineAreRedacted) {
  const std::pair<const char*, const char*> kLines[] = {
      {"mysql -u root -pS3cret shop", "mysql -u root -p[redacted] shop"},
      {"mysqldump -h db -pS3cret --all-databases", "mysqldump -h db -p[redacted] --all-databases"},
      {"psql --password=S3cret -h db", "psql --password=[redacted] -h db"},
      {"app --token abc123 --verbose", "app --token [redacted] --verbose"},
      {"curl -u admin:S3cret http://10.0.0.5/", "curl -u admin:[redacted] http://10.0.0.5/"},
      {"curl --user admin:S3cret http://x/", "curl --user admin:[redacted] http://x/"},
      {"wget http://admin:S3cret@10.0.0.5/a", "wget http://admin:[redacted]@10.0.0.5/a"},
      {"smbclient //fs/share -U sato%S3cret", "smbclient //fs/share -U sato%[redacted]"},
      {"sshpass -p S3cret ssh root@10.0.0.5", "sshpass -p [redacted] ssh root@10.0.0.5"},
      {"PGPASSWORD=S3cret psql -h db", "PGPASSWORD=[redacted] psql -h db"},
      {"openssl enc -d -in x -pass pass:S3cret", "openssl enc -d -in x -pass pass:[redacted]"},
      // Not secrets: -p is a port or "parents" elsewhere, a user without a password.
      {"mkdir -p /tmp/evidence", "mkdir -p /tmp/evidence"},
      {"ssh -p 2222 admin@10.0.0.5", "ssh -p 2222 admin@10.0.0.5"},
      {"curl -u admin http://x/", "curl -u admin http://x/"},
      {"grep -i password /var/log/auth.log", "grep -i password /var/log/auth.log"},
  };
  for (const auto& [typed, kept] : kLines) {
    EXPECT_EQ(exercise::redact_command_line(typed), kept) << typed;
    SecretInputFilter filter;
    filter.saw_output("ws01:~# ");
    EXPECT_EQ(type(filter, std::string(typed) + "\r"), std::string(kept) + "\r") << typed;
  }
}

}  // namespace
}  // namespace cyrange::security
