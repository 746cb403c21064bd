// `cyrange demo` (the README's main job) and `cyrange scenario playtest`: both run
// a whole training day on this machine (see training_day.h) and judge it.
#include <iostream>

#include <orchestrator/cli/commands.h>
#include <orchestrator/cli/training_day.h>

namespace cyrange::cli {
namespace {

void add_day_options(CLI::App& command, TrainingDayOptions& opts) {
  command.add_option("--exercise", opts.exercise, "Exercise id prefix ([a-z0-9_])")
      ->capture_default_str();
  command.add_option("--seed", opts.seed, "Seed of the per-team variables")->capture_default_str();
  command.add_option("--speed", opts.speed, "Exercise seconds per wall second")
      ->capture_default_str();
  command.add_option("--db", opts.database_uri, "PostgreSQL URI")->capture_default_str();
  command.add_option("--uri", opts.libvirt_uri, "libvirt connection URI")->capture_default_str();
  command.add_option("--state-dir", opts.state_dir, "Folder with tls/, images/ and pools/")
      ->capture_default_str();
  command.add_option("--out", opts.output_dir, "Folder for the after-action exports")
      ->capture_default_str();
  command.add_flag("--keep", opts.keep, "Keep the exercise and its ranges at the end");
}

/// Runs the day and its verdict; any failure ends the command with status 1.
void run_and_judge(const TrainingDayOptions& opts, const char* name) {
  auto day = run_training_day(opts, std::cout);
  if (!day) {
    std::cerr << name << ": " << day.error().message << "\n";
    throw CLI::RuntimeError(1);
  }
  if (auto verdict = verify_playthrough(*day); !verdict) {
    std::cerr << name << ": " << verdict.error().message << "\n";
    throw CLI::RuntimeError(1);
  }
  std::cout << "playthrough verified: the ideal trainee reached full marks, the careless one "
               "did not / 模範受講者は満点、不注意な受講者は満点未満\n";
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto opts = std::make_shared<TrainingDayOptions>();
  auto* demo = app.add_subcommand(
      "demo",
      "Run the main job: a training day with two scripted teams on real ranges, end to end.\n"
      "メインジョブ: 2チームのスクリプト受講者による演習日を実環境で通しで実行します。");
  demo->add_option("--scenario", opts->scenario,
                   "Scenario file (its playtest/ folder holds the trainee scripts)")
      ->capture_default_str();
  add_day_options(*demo, *opts);
  demo->callback([opts] { run_and_judge(*opts, "demo"); });

  // The same day for content designers, on any scenario with playtest/ideal.yaml and
  // playtest/careless.yaml beside it.
  // get_subcommand() throws when there is none; main.cpp adds `scenario` first.
  if (auto* scenario = app.get_subcommand("scenario")) {
    auto play = std::make_shared<TrainingDayOptions>();
    play->exercise = "playtest";
    auto* playtest = scenario->add_subcommand(
        "playtest",
        "Play a scenario through with its ideal and careless scripted trainees on real ranges\n"
        "模範・不注意なスクリプト受講者でシナリオを実環境で通しプレイ");
    playtest->add_option("FILE", play->scenario, "Scenario file")->required();
    add_day_options(*playtest, *play);
    playtest->callback([play] { run_and_judge(*play, "playtest"); });
  }
}

}  // namespace cyrange::cli
