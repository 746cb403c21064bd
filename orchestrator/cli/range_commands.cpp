#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include <orchestrator/cli/commands.h>
#include <orchestrator/common/expected.h>
#include <orchestrator/exercise/exercise_cli.h>
#include <orchestrator/range/image_builder.h>
#include <orchestrator/range/libvirt_hypervisor.h>
#include <orchestrator/range/naming.h>
#include <orchestrator/range/provision_bench.h>
#include <orchestrator/range/range_cli.h>
#include <orchestrator/range/selfpaced_bench.h>
#include <orchestrator/range/team_range.h>

namespace cyrange::cli {
namespace {

namespace rg = cyrange::range;
namespace ex = cyrange::exercise;

struct RangeUpArgs {
  std::string scenario;
  int teams = 1;
  std::string exercise;
  std::uint64_t seed = 1;
};

void fail_on(const Status& status) {
  if (status) return;
  std::cerr << status.error().message << "\n";
  throw CLI::RuntimeError(1);
}

void run_images_build(const rg::ImageBuildOptions& options) {
  auto started = std::chrono::steady_clock::now();
  auto image = rg::build_image(options);
  if (!image) fail_on(image.error());
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "Image '" << image->profile << "' " << (image->cache_hit ? "is cached" : "was built")
            << " / イメージ" << (image->cache_hit ? "はキャッシュ済み" : "を作成") << ": "
            << image->dir << " (" << std::fixed << std::setprecision(2) << secs << " s)\n"
            << "  kernel    " << image->kernel << "\n"
            << "  initramfs " << image->initrd << "\n"
            << (image->root_disk ? "  root base " : "  data base ") << image->data_base << "\n"
            << "  recipe    sha256:" << image->recipe_hash << "\n";
}

void run_bench_provision(const rg::ProvisionBenchOptions& options,
                         const rg::RangeCliOptions& where) {
  rg::ImageBuildOptions image_options;
  image_options.cache_root = where.image_cache;
  image_options.profile = options.profile;
  auto image = rg::build_image(image_options);
  if (!image) fail_on(image.error());
  auto hv = rg::LibvirtHypervisor::connect(where.uri);
  if (!hv) fail_on(hv.error());
  auto result = rg::run_provision_bench(**hv, *image, options, std::cout);
  if (!result) fail_on(result.error());
}

// Ctrl-C (SIGINT) or SIGTERM while a benchmark builds guests: the first asks it to stop after
// its current step and remove what it created; a second runs `now` (remove at once) and exits
// with 130. Signals are blocked in this thread and every thread started after it.
class InterruptGuard {
 public:
  explicit InterruptGuard(std::function<void()> now) {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    sigaddset(&set_, SIGUSR2);  // the destructor's "stop waiting"
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
    thread_ = std::thread([this, now = std::move(now)] {
      for (;;) {
        int signal_number = 0;
        if (sigwait(&set_, &signal_number) != 0 || signal_number == SIGUSR2) return;
        if (!interrupted_.exchange(true)) {
          std::cerr
              << "Interrupted: removing everything the benchmark created after the current "
                 "step (interrupt again to remove it at once) / 中断: 現在の手順の後で作成した"
                 "ものをすべて削除します\n";
          continue;
        }
        std::cerr
            << "Removing everything the benchmark created now / 作成したものを今すぐ削除します\n";
        now();
        ::_exit(130);
      }
    });
  }
  ~InterruptGuard() {
    pthread_kill(thread_.native_handle(), SIGUSR2);
    thread_.join();
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  bool interrupted() const { return interrupted_; }

 private:
  sigset_t set_{}, old_{};
  std::atomic<bool> interrupted_{false};
  std::thread thread_;
};

void run_bench_selfpaced(const rg::SelfPacedBenchOptions& options,
                         const rg::RangeCliOptions& where) {
  rg::ImageBuildOptions image_options;
  image_options.cache_root = where.image_cache;
  auto image = rg::build_image(image_options);
  if (!image) fail_on(image.error());
  // Before libvirt starts its threads, so they inherit the blocked signals.
  InterruptGuard guard([options, uri = where.uri] {
    if (auto hv = rg::LibvirtHypervisor::connect(uri))
      (void)rg::TeamRange::remove_orphans(**hv, rg::exercise_prefix(options.exercise));
    std::error_code ignored;
    std::filesystem::remove_all(std::filesystem::path(options.pool_root) / options.exercise,
                                ignored);
  });
  auto hv = rg::LibvirtHypervisor::connect(where.uri);
  if (!hv) fail_on(hv.error());
  auto result =
      rg::run_selfpaced_bench(**hv, *image, options, rg::local_guest_probe(options.save_dir),
                              std::cout, [&guard] { return guard.interrupted(); });
  if (!result) {
    std::cerr << result.error().message << "\n";
    throw CLI::RuntimeError(result.error().code == ErrorCode::cancelled ? 130 : 1);
  }
}

}  // namespace

void add_range_commands(CLI::App& app) {
  auto* images = app.add_subcommand("images", "Guest images / ゲストイメージ");
  images->require_subcommand(1);
  auto* build = images->add_subcommand(
      "build",
      "Build a guest image profile, or reuse the cached one / イメージを作成（キャッシュ再利用）");
  auto image_options = std::make_shared<rg::ImageBuildOptions>();
  build
      ->add_option("--profile", image_options->profile,
                   "Image profile: tiny (busybox, tests) or standard (Debian services)")
      ->capture_default_str();
  build->add_option("--cache", image_options->cache_root, "Image cache folder")
      ->capture_default_str();
  build->add_option("--recipes", image_options->recipe_root,
                    "Folder with <profile>/build.sh (default: the source tree's scenarios/images)");
  build->add_flag("--force", image_options->force, "Rebuild even if the cache holds this recipe");
  build->callback([image_options] { run_images_build(*image_options); });

  auto* range = app.add_subcommand("range", "Team ranges on libvirt / libvirt 上のチーム演習環境");
  range->require_subcommand(1);
  auto options = std::make_shared<ex::ExerciseCliOptions>();
  auto exercise = std::make_shared<std::string>();
  range
      ->add_option("--uri", options->uris,
                   "libvirt URI of a hypervisor host; repeat it for several hosts (teams are "
                   "placed on the roomiest one that fits, the first is the primary) / "
                   "ハイパーバイザーの libvirt URI（複数指定可）")
      ->capture_default_str();
  range->add_option("--pool-root", options->where.pool_root, "Folder of the storage pools")
      ->capture_default_str();
  range->add_option("--db", options->database_uri, "PostgreSQL URI of the system of record")
      ->capture_default_str();

  auto* up = range->add_subcommand("up",
                                   "Validate a scenario and build one range per team / "
                                   "シナリオを検証し、チームごとに演習環境を構築");
  auto up_args = std::make_shared<RangeUpArgs>();
  up->add_option("scenario", up_args->scenario, "Scenario file (scenario.yaml)")->required();
  up->add_option("--teams", up_args->teams, "Number of teams (t1..tN)")->capture_default_str();
  up->add_option("--exercise", up_args->exercise,
                 "Exercise id [a-z0-9_] (default: from the scenario id)");
  up->add_option("--seed", up_args->seed, "Seed of the per-team variables")->capture_default_str();
  up->add_option("--parallel", options->max_boots, "Guests booting at once across teams")
      ->capture_default_str();
  up->add_flag("--plan", options->plan_only,
               "Print which host each team would go to, and build nothing / "
               "各チームの配置先を表示するだけで構築しない");
  up->callback([=] {
    fail_on(ex::run_exercise_up(up_args->scenario, up_args->teams, up_args->exercise, up_args->seed,
                                std::cout, *options));
  });

  auto* reset = range->add_subcommand(
      "reset", "Return every team (or one) to its pristine state / 演習環境を初期状態に戻す");
  auto team = std::make_shared<std::string>();
  reset->add_option("--exercise", *exercise, "Exercise id")->required();
  reset->add_option("team", *team, "Only this team");
  reset->callback([=] { fail_on(ex::run_exercise_reset(*exercise, *team, std::cout, *options)); });

  auto* down = range->add_subcommand(
      "down", "Remove every domain, network and pool of an exercise / 演習の全オブジェクトを削除");
  down->add_option("--exercise", *exercise, "Exercise id")->required();
  down->callback([=] { fail_on(ex::run_exercise_down(*exercise, std::cout, *options)); });

  auto* status = range->add_subcommand(
      "status",
      "Live exercises, or one exercise's objects / 実施中の演習、または演習のオブジェクト一覧");
  status->add_option("--exercise", *exercise, "Exercise id (default: list live exercises)");
  status->callback([=] { fail_on(ex::run_exercise_status(*exercise, std::cout, *options)); });

  auto* console = range->add_subcommand(
      "console",
      "Serial console of a host; Ctrl-] leaves / ホストのシリアルコンソール（Ctrl-] で終了）");
  auto host = std::make_shared<std::string>();
  console->add_option("--exercise", *exercise, "Exercise id")->required();
  console->add_option("team", *team, "Team")->required();
  console->add_option("host", *host, "Host")->required();
  console->callback([=] { fail_on(ex::run_exercise_console(*exercise, *team, *host, *options)); });

  auto* bench = app.add_subcommand("bench", "Benchmarks printed side by side / 比較ベンチマーク");
  bench->require_subcommand(1);
  auto* provision = bench->add_subcommand(
      "provision",
      "Provision a range in parallel and CyRIS-style one host at a time, then reset it / "
      "並列構築と逐次構築を比較し、リセット時間を測定");
  auto bench_options = std::make_shared<rg::ProvisionBenchOptions>();
  auto bench_where = std::make_shared<rg::RangeCliOptions>();
  provision->add_option("--teams", bench_options->teams, "Teams (copies of the range)")
      ->capture_default_str();
  provision->add_option("--hosts", bench_options->hosts, "Hosts per team")->capture_default_str();
  provision
      ->add_option("--profile", bench_options->profile,
                   "Image profile of every host: tiny (busybox) or standard (Debian services) / "
                   "全ホストのイメージプロファイル")
      ->capture_default_str();
  provision->add_option("--parallel", bench_options->max_parallel, "Boots at once in our run")
      ->capture_default_str();
  provision->add_option("--uri", bench_where->uri, "libvirt URI")->capture_default_str();
  provision->add_option("--pool-root", bench_options->pool_root, "Folder of the storage pools")
      ->capture_default_str();
  provision->callback([=] { run_bench_provision(*bench_options, *bench_where); });

  auto* selfpaced = bench->add_subcommand(
      "selfpaced",
      "A self-paced run's personal range: provisioning it afresh against saving every guest to "
      "disk and restoring it (libvirt managed save), and how many ranges one host holds / "
      "自習用の個人演習環境: 新規構築とディスクへの保存・復元の比較、1 台に載る環境の数");
  auto sp = std::make_shared<rg::SelfPacedBenchOptions>();
  auto sp_where = std::make_shared<rg::RangeCliOptions>();
  selfpaced->add_option("--hosts", sp->hosts, "Hosts of the personal range")->capture_default_str();
  selfpaced->add_option("--rounds", sp->rounds, "Suspend/resume rounds (the line gives medians)")
      ->capture_default_str();
  selfpaced->add_option("--parallel", sp->max_parallel, "Boots at once while provisioning")
      ->capture_default_str();
  selfpaced->add_option("--at-once", sp->at_once, "Guests saved or restored at the same time")
      ->capture_default_str();
  selfpaced
      ->add_option("--memory-mib", sp->memory_mib,
                   "Memory budget of the capacity line (default: MemAvailable at the start)")
      ->check(CLI::PositiveNumber);
  selfpaced
      ->add_option("--disk-mib", sp->disk_mib,
                   "Disk budget for suspended ranges (default: free space under --save-dir)")
      ->check(CLI::PositiveNumber);
  selfpaced->add_flag("!--no-cold-boot", sp->cold_boot,
                      "Skip timing the range booted without templates");
  selfpaced->add_option("--save-dir", sp->save_dir, "Where libvirt keeps managed-save images")
      ->capture_default_str();
  selfpaced->add_option("--uri", sp_where->uri, "libvirt URI")->capture_default_str();
  selfpaced->add_option("--pool-root", sp->pool_root, "Folder of the storage pools")
      ->capture_default_str();
  selfpaced->callback([=] { run_bench_selfpaced(*sp, *sp_where); });
}

}  // namespace cyrange::cli
