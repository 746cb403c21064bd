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

// A recording as output() and input() write it, and a console that echoes each key.
struct Recording {
  SecretInputFilter filter;
  std::vector<std::pair<std::int64_t, char>> events;  // (time, direction) in recorded order
  std::string output, input;
  std::int64_t now = 0;

  SecretInputFilter::Sink sink() {
    return [this](std::int64_t at_us, char direction, std::string_view bytes) {
      events.emplace_back(at_us, direction);
      (direction == 'o' ? output : input) += bytes;
    };
  }
  void guest(std::string_view bytes) { filter.output(++now, bytes, sink()); }
  // Types each key; the guest echoes it unless `echo` is off.
  void type(std::string_view text, bool echo = true) {
    for (char c : text) {
      filter.input(++now, std::string_view(&c, 1), sink());
      if (echo && c != '\r') guest(std::string_view(&c, 1));
    }
  }
};

// The guest's echo of a command line's secret never reaches the recorded output, and what
// is recorded keeps its order in time.
TEST(SecretInput, TheEchoOfACommandLinesSecretIsNotRecorded) {
  Recording r;
  r.guest("ws01:~# ");
  EXPECT_EQ(r.output, "ws01:~# ") << "nothing is being typed: recorded at once";
  r.type("mysql -uroot -pS3cretPw db\r");
  EXPECT_EQ(r.output, "ws01:~# ") << "the echo waits for the end of the line's echo";
  r.guest("\r\nERROR 2002 (HY000): Can't connect\r\nws01:~# ");
  EXPECT_EQ(r.input, "mysql -uroot -p[redacted] db\r");
  EXPECT_EQ(r.output.find("S3cretPw"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("-p[redacted] db\r\nERROR 2002"), std::string::npos) << r.output;
  for (std::size_t i = 1; i < r.events.size(); ++i)
    EXPECT_LE(r.events[i - 1].first, r.events[i].first) << "event " << i;
}

// A password typed ahead of its prompt is echoed while echo is still on: the echo is taken
// out wherever it shows, also when the guest echoes the line only after its Enter.
TEST(SecretInput, TheEchoOfAPasswordTypedAheadIsNotRecorded) {
  Recording r;
  r.guest("ws01:~# ");
  r.type("sudo cat /etc/shadow\r");
  r.guest("\r\n");
  r.type("hunter2-typed-ahead\r", /*echo=*/false);
  r.guest("hunter2-typed-ahead\r\n[sudo] password for sato: ");
  EXPECT_EQ(r.input, "sudo cat /etc/shadow\r[redacted]\r");
  EXPECT_EQ(r.output.find("hunter2"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("[redacted]\r\n[sudo] password for sato: "), std::string::npos)
      << r.output;
}

// Ordinary typing loses nothing: the output held while a line was typed is recorded, as it
// came, once the line ends, and a closing terminal records what is still held.
TEST(SecretInput, OutputHeldForALineIsRecordedWhenItEndsOrTheTerminalCloses) {
  Recording r;
  r.guest("ws01:~# ");
  r.type("ls /tm");
  EXPECT_EQ(r.output, "ws01:~# ");
  r.type("p\r");
  EXPECT_EQ(r.output, "ws01:~# ls /tmp");
  EXPECT_EQ(r.input, "ls /tmp\r");
  r.guest("\r\nx.txt\r\nws01:~# ");
  r.type("ex");
  r.filter.finish(r.sink());
  EXPECT_EQ(r.output, "ws01:~# ls /tmp\r\nx.txt\r\nws01:~# ex");
}

}  // namespace
}  // namespace cyrange::exercise
