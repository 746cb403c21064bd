// cyrange-bench-terminal-console DOMAIN KEYS: the baseline of cyrange-bench-terminal, in
// a process of its own. It types KEYS keys into DOMAIN's serial console straight through
// libvirt (cyranged's own console reader, no gRPC, no daemon), each waiting for its echo,
// and prints
//   terminal-baseline: keys=N p50_ms=.. p99_ms=..
// Apart from the widget because libvirt's default event loop iterates GLib's default main
// context, which Qt's GLib event dispatcher holds on the GUI thread for its whole life:
// in a Qt process no console event would ever be dispatched.
#include <cstdio>
#include <string>

#include <bench/trainee/echo_path.h>
#include <orchestrator/range/libvirt_hypervisor.h>

int main(int argc, char** argv) {
  using namespace cyrange;
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DOMAIN KEYS\n", argv[0]);
    return 2;
  }
  const std::string domain = argv[1];
  const int keys = std::stoi(argv[2]);
  auto hv = range::LibvirtHypervisor::connect("qemu:///system");
  if (!hv) {
    std::fprintf(stderr, "%s\n", hv.error().message.c_str());
    return 1;
  }
  bench::DirectConsole console;
  if (auto opened = console.open(**hv, domain); !opened) {
    std::fprintf(stderr, "%s\n", opened.error().message.c_str());
    return 1;
  }
  const auto echo_ms = bench::type_keys(console, keys);
  if (!echo_ms) {
    std::fprintf(stderr, "On the console of '%s': %s\n", domain.c_str(),
                 echo_ms.error().message.c_str());
    return 1;
  }
  std::printf("terminal-baseline: keys=%d p50_ms=%.2f p99_ms=%.2f\n", keys,
              bench::percentile(*echo_ms, 50), bench::percentile(*echo_ms, 99));
  return 0;
}
