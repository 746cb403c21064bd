#!/usr/bin/env bash
# Installs every Debian package cyrange needs to build, test and run.
# Idempotent: when everything is present it returns in well under a second.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git ca-certificates
  # wire and RPC
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
  # system of record
  postgresql postgresql-contrib libpqxx-dev
  # hypervisor
  libvirt-dev libvirt-daemon-system libvirt-daemon-driver-qemu libvirt-clients
  qemu-system-x86 qemu-utils
  # a qemu+ssh host pool member over loopback (the test starts its own sshd on 127.0.0.1;
  # the remote side runs virt-ssh-helper from libvirt-daemon)
  openssh-server openssh-client
  # desktop apps
  qt6-base-dev qt6-charts-dev qt6-tools-dev qt6-l10n-tools qt6-svg-dev qt6-translations-l10n libgl-dev
  libqt6opengl6-dev
  # Japanese glyphs in the apps, their screenshots and exported PDF reports; pdftotext for the report tests
  fonts-noto-cjk fonts-ipafont-gothic poppler-utils
  # libraries
  libyaml-cpp-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev
  libvterm-dev libssl-dev libicu-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev xvfb xauth
  # guest images
  busybox-static linux-image-cloud-amd64 e2fsprogs debootstrap cpio qemu-guest-agent iptables
  # tools the scenario commands use when present
  graphviz openssl
  # fuzzing the scenario parser (libFuzzer; docs/testing.md)
  clang libclang-rt-14-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed."
  exit 0
fi

echo "install-deps: installing ${#missing[@]} missing packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Services must not be started by package scripts: cyrange starts its own.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  created_policy=1
fi
cleanup() { if [ "$created_policy" = 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done."
