// The scripted trainee against a fake session: captures feed answers, a capture
// that does not match stops the playtest naming the action, verdicts and waits are
// checked; and the console framing finds a command's output in what a serial
// console really sends back (echo, prompts, CR, escape sequences).
#include <set>

#include <gtest/gtest.h>

#include <client-core/script/scripted_trainee.h>
#include <client-core/script/tests/script_text.h>

namespace cyrange::client {
namespace {

using namespace std::chrono_literals;

// A team in an exercise, without a server: fixed command outputs, fixed correct answers.
class FakeSession : public TraineeSession {
 public:
  std::map<std::string, std::string> outputs;  // "HOST$ COMMAND" -> output
  std::map<std::string, std::string> correct;  // "OBJECTIVE" or "OBJECTIVE/PART" -> answer
  std::set<std::string> open;                  // objectives open for the team
  double now = 100;
  std::vector<std::string> calls;
  TeamLine line{"team1", 0, 1, {}};

  Status wait_until(const WaitCondition& c, std::chrono::milliseconds) override {
    calls.push_back("wait " + c.objective + (c.seconds > 0 ? std::to_string(int(c.seconds)) : ""));
    if (c.kind == WaitCondition::Kind::exercise_time) {
      now = std::max(now, c.seconds);
      return Status::success();
    }
    if (c.kind == WaitCondition::Kind::objective_solved) {
      for (const auto& o : line.objectives) {
        if (o.objective == c.objective && o.status == ObjectiveStatus::solved) return Status::success();
      }
      return make_error(ErrorCode::unavailable, "Objective '" + c.objective + "' was not solved.");
    }
    if (open.count(c.objective)) return Status::success();
    return make_error(ErrorCode::unavailable, "Objective '" + c.objective + "' did not open.");
  }
  Expected<double> exercise_time() override { return now; }
  Expected<ConsoleOutput> run_command(const std::string& host, const std::string& command,
                                      std::chrono::milliseconds) override {
    calls.push_back("run " + host + "$ " + command);
    now += 20;
    auto it = outputs.find(host + "$ " + command);
    if (it == outputs.end()) return ConsoleOutput{"sh: not found\n", 127};
    return ConsoleOutput{it->second, 0};
  }
  Expected<ScoringReply> submit_answer(const std::string& objective, const std::string& part,
                                       const std::string& answer) override {
    const std::string key = part.empty() ? objective : objective + "/" + part;
    calls.push_back("answer " + key + " = " + answer);
    ObjectiveLine& o = objective_line(objective);
    if (correct[key] != answer) {
      ++o.wrong_attempts;
      return ScoringReply{Verdict::wrong, {"不正解", "Wrong."}, {}, {}};
    }
    o.status = ObjectiveStatus::solved;
    o.points += 100;
    line.total += 100;
    ScoreEntry entry{
        1, "team1", objective, part, EntryKind::solve, 100, "t", "", static_cast<std::int64_t>(now * 1000)};
    return ScoringReply{Verdict::correct, {"正解", "Correct."}, {entry}, {}};
  }
  Expected<ScoringReply> take_hint(const std::string& objective, const std::string& hint) override {
    calls.push_back("hint " + objective + "/" + hint);
    ObjectiveLine& o = objective_line(objective);
    o.hints_taken.push_back(hint);
    o.points -= 20;
    line.total -= 20;
    return ScoringReply{Verdict::recorded,
                        {"ヒント", "Hint."},
                        {ScoreEntry{2, "team1", objective, hint, EntryKind::hint, -20, "t", "", 0}},
                        {}};
  }
  Expected<TeamLine> progress() override { return line; }

 private:
  ObjectiveLine& objective_line(const std::string& objective) {
    for (auto& o : line.objectives) {
      if (o.objective == objective) return o;
    }
    line.objectives.push_back(ObjectiveLine{objective, ObjectiveStatus::open, 0, 0, 0, {}, {}});
    return line.objectives.back();
  }
};

TraineeScript script_of(const std::string& actions) {
  return testing::script_with_actions(actions, "play.yaml");
}

const char* kInvestigate =
    "  - when: {objective_open: sender}\n"
    "    run:\n"
    "      host: mail\n"
    "      command: grep lure /var/log/mail.log\n"
    "      capture: {domain: 'from=<[^@]+@([^>]+)>', size: 'size=([0-9]+)'}\n"
    "  - answer: {objective: sender, value: '${domain}', expect: correct}\n";

TEST(ScriptedTrainee, CapturedValuesBecomeAnswers) {
  FakeSession session;
  session.open = {"sender"};
  session.outputs["mail$ grep lure /var/log/mail.log"] =
      "Jan  5 09:00:01 mail postfix/qmgr[812]: 1A2B: noise\n"
      "Jan  5 09:31:02 mail postfix/qmgr[812]: 3C4D: from=<reporter@abcdef-press.jp>, "
      "size=312000, nrcpt=1 lure\n";
  session.correct["sender"] = "abcdef-press.jp";
  const PlaytestResult result = run_scripted_trainee(session, script_of(kInvestigate));
  EXPECT_TRUE(result.completed) << result.failure;
  EXPECT_EQ(result.captures.at("domain"), "abcdef-press.jp");
  EXPECT_EQ(result.captures.at("size"), "312000");
  ASSERT_EQ(session.calls.size(), 3u);
  EXPECT_EQ(session.calls[2], "answer sender = abcdef-press.jp");
  EXPECT_EQ(result.total, 100);
  ASSERT_EQ(result.objectives.size(), 1u);
  EXPECT_EQ(result.objectives[0].status, ObjectiveStatus::solved);
  ASSERT_TRUE(result.objectives[0].solved_at);
  EXPECT_DOUBLE_EQ(*result.objectives[0].solved_at, 120);
  EXPECT_NE(result.actions[0].detail.find("domain=abcdef-press.jp"), std::string::npos);
}

TEST(ScriptedTrainee, CapturesFeedLaterCommands) {
  FakeSession session;
  session.outputs["ws01$ ps"] = "  PID USER  COMMAND\n  412 root  sh /tmp/.cache/update-9.sh\n";
  session.outputs["ws01$ grep url= /tmp/.cache/update-9.sh"] = "url='http://cdn-q.net/x'\n";
  const PlaytestResult result = run_scripted_trainee(
      session, script_of("  - run: {host: ws01, command: ps, capture: {implant: 'sh (\\S+)'}}\n"
                         "  - run: {host: ws01, command: 'grep url= ${implant}',"
                         " capture: {c2: '//([^/]+)/'}}\n"));
  EXPECT_TRUE(result.completed) << result.failure;
  EXPECT_EQ(result.captures.at("c2"), "cdn-q.net");
}

TEST(ScriptedTrainee, UnmatchedCaptureStopsThePlaytestNamingTheAction) {
  FakeSession session;
  session.open = {"sender"};
  session.outputs["mail$ grep lure /var/log/mail.log"] = "nothing relevant here\n";
  const PlaytestResult result = run_scripted_trainee(session, script_of(kInvestigate));
  EXPECT_FALSE(result.completed);
  EXPECT_NE(result.failure.find("play.yaml:5:5"), std::string::npos) << result.failure;
  EXPECT_NE(result.failure.find("the capture 'domain'"), std::string::npos) << result.failure;
  EXPECT_NE(result.failure.find("nothing relevant here"), std::string::npos) << result.failure;
  // The answer after it never went out.
  ASSERT_EQ(session.calls.size(), 2u);
  EXPECT_EQ(result.actions.size(), 1u);
  EXPECT_FALSE(result.actions[0].ok);
}

TEST(ScriptedTrainee, UnexpectedVerdictStopsThePlaytest) {
  FakeSession session;
  session.open = {"sender"};
  session.outputs["mail$ grep lure /var/log/mail.log"] = "from=<a@wrong.jp> size=1\n";
  session.correct["sender"] = "abcdef-press.jp";
  const PlaytestResult result = run_scripted_trainee(session, script_of(kInvestigate));
  EXPECT_FALSE(result.completed);
  EXPECT_NE(result.failure.find("play.yaml:10:5"), std::string::npos) << result.failure;
  EXPECT_NE(result.failure.find("'wrong.jp': wrong"), std::string::npos) << result.failure;
  EXPECT_NE(result.failure.find("expects correct"), std::string::npos) << result.failure;
}

TEST(ScriptedTrainee, WrongGuessesAndHintsCountAgainstTheTeam) {
  FakeSession session;
  session.open = {"victim"};
  session.correct["victim"] = "sato@city";
  const PlaytestResult result = run_scripted_trainee(
      session, script_of("  - when: {objective_open: victim}\n"
                         "    answer: {objective: victim, value: koho@city, expect: wrong}\n"
                         "  - wait_seconds: 300\n"
                         "  - hint: {objective: victim, hint: hint-1}\n"
                         "  - answer: {objective: victim, value: sato@city}\n"));
  EXPECT_TRUE(result.completed) << result.failure;
  EXPECT_EQ(result.total, 80);
  EXPECT_EQ(result.hints_taken, std::vector<std::string>{"victim/hint-1"});
  ASSERT_EQ(result.objectives.size(), 1u);
  EXPECT_EQ(result.objectives[0].wrong_attempts, 1);
  // The pause waited 300 exercise seconds from T+100.
  EXPECT_EQ(session.calls[2], "wait 400");
  const std::string summary = format_summary(result, {{"victim", 100}});
  EXPECT_NE(summary.find("80 of 100"), std::string::npos) << summary;
  EXPECT_NE(summary.find("80/100"), std::string::npos) << summary;
  EXPECT_NE(summary.find("victim/hint-1"), std::string::npos) << summary;
  EXPECT_NE(summary.find("T+00:06:40"), std::string::npos) << summary;
}

TEST(ScriptedTrainee, ObjectiveThatNeverOpensFailsTheWait) {
  FakeSession session;
  const PlaytestResult result =
      run_scripted_trainee(session, script_of("  - when: {objective_open: scope}\n"
                                              "    answer: {objective: scope, value: x}\n"));
  EXPECT_FALSE(result.completed);
  EXPECT_NE(result.failure.find("play.yaml:5:5"), std::string::npos) << result.failure;
  EXPECT_NE(result.failure.find("'scope' did not open"), std::string::npos) << result.failure;
  EXPECT_EQ(session.calls.size(), 1u);  // the answer was not sent
}

// --- console framing ---

TEST(ConsoleFraming, TheTypedLineNeverContainsAMarkerVerbatim) {
  const std::string line = framed_command_line("grep x /var/log/mail.log", "7_abc");
  EXPECT_EQ(line.find("__cyr_b_7_abc__"), std::string::npos) << line;
  EXPECT_EQ(line.find("__cyr_e_7_abc__"), std::string::npos) << line;
  EXPECT_NE(line.find("grep x /var/log/mail.log"), std::string::npos) << line;
}

TEST(ConsoleFraming, FindsOutputBetweenTheMarkersOfABusyboxConsole) {
  const std::string typed = framed_command_line("ls /var/mail", "3_f00");
  // The echo (with a wrap escape of busybox line editing), CRLF line ends, then the prompt.
  const std::string transcript = "$ " + typed.substr(0, 30) + "\x1b[K\r\n" + typed.substr(30) +
                                 "\r\n__cyr_b_3_f00__\r\nkoho\r\nsato.yumi\r\n"
                                 "__cyr_e_3_f00__:0\r\n$ ";
  auto out = find_framed_output(transcript, "3_f00");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->text, "koho\nsato.yumi\n");
  EXPECT_EQ(out->exit_status, 0);
}

TEST(ConsoleFraming, HandlesBashBracketedPasteAndColours) {
  const std::string transcript =
      "\x1b[?2004hroot@ws01:~# " + framed_command_line("ls --color", "1_aa") +
      "\r\n\x1b[?2004l\r__cyr_b_1_aa__\r\n\x1b[0m\x1b[01;34mDownloads\x1b[0m\r\n"
      "__cyr_e_1_aa__:2\r\n\x1b]0;root@ws01: ~\a\x1b[?2004hroot@ws01:~# ";
  auto out = find_framed_output(transcript, "1_aa");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->text, "Downloads\n");
  EXPECT_EQ(out->exit_status, 2);
}

TEST(ConsoleFraming, OutputWithoutFinalNewlineAndPartialArrival) {
  const std::string head = "__cyr_b_2_x__\r\n";
  EXPECT_FALSE(find_framed_output(head + "partial", "2_x"));
  EXPECT_FALSE(find_framed_output(head + "no newline__cyr_e_2_x__:1", "2_x"));  // status pending
  auto out = find_framed_output(head + "no newline__cyr_e_2_x__:1\r\n", "2_x");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->text, "no newline");
  EXPECT_EQ(out->exit_status, 1);
  // Markers of another command do not count.
  EXPECT_FALSE(find_framed_output("__cyr_b_1_x__\r\nold\r\n__cyr_e_1_x__:0\r\n", "2_x"));
}

TEST(ConsoleFraming, StripsEscapesCutAtTheEnd) {
  EXPECT_EQ(plain_console_text("a\r\nb\x1b[01;3"), "a\nb");
  EXPECT_EQ(plain_console_text("x\x1b(By\x1b=z"), "xyz");
}

}  // namespace
}  // namespace cyrange::client
