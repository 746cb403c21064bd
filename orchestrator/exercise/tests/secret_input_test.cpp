// What a trainee types at a password prompt never reaches the terminal recording.
#include <gtest/gtest.h>

#include <orchestrator/exercise/secret_input.h>

namespace cyrange::exercise {
namespace {

/// Types `text` one byte at a time, as a terminal client sends keystrokes.
std::string type(SecretInputFilter& filter, std::string_view text) {
  std::string recorded;
  for (char c : text) recorded += filter.recordable_input(std::string_view(&c, 1));
  return recorded;
}

TEST(SecretInput, CommandsAreRecordedAsTyped) {
  SecretInputFilter filter;
  filter.saw_output("ws01:~# ");
  EXPECT_EQ(type(filter, "grep upload /var/log/x\r"), "grep upload /var/log/x\r");
}

TEST(SecretInput, TheLineAfterAPasswordPromptIsRedactedWithoutItsLength) {
  SecretInputFilter filter;
  filter.saw_output("ws01:~# su admin\r\nPassword: ");
  EXPECT_EQ(type(filter, "hunter2\r"), "[redacted]\r");
  EXPECT_EQ(type(filter, "s3cret-longer-one\r"), "s3cret-longer-one\r")
      << "only the one line after the prompt is a secret";
}

TEST(SecretInput, PromptsInOtherFormsAndJapaneseAreRecognised) {
  for (std::string prompt : {"[sudo] password for sato: ", "Enter passphrase for key '/x':",
                             "\x1b[1mPassword:\x1b[0m ", "パスワード：", "暗証番号: "}) {
    SecretInputFilter filter;
    filter.saw_output("login ok\r\n" + prompt);
    EXPECT_EQ(type(filter, "abc\n"), "[redacted]\n") << prompt;
  }
}

TEST(SecretInput, AMentionOfPasswordsThatIsNoPromptChangesNothing) {
  SecretInputFilter filter;
  filter.saw_output("Password: \r\nlogin incorrect, password policy applies\r\n$ ");
  EXPECT_EQ(type(filter, "ls\r"), "ls\r");
}

TEST(SecretInput, APromptSplitAcrossOutputChunksIsStillSeen) {
  SecretInputFilter filter;
  filter.saw_output("Pass");
  filter.saw_output("word");
  filter.saw_output(": ");
  EXPECT_EQ(filter.recordable_input("topsecret\r"), "[redacted]\r");
}

}  // namespace
}  // namespace cyrange::exercise
