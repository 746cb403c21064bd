#!/bin/sh
# Builds the "tiny" guest image: the Debian cloud kernel plus a busybox initramfs
# with qemu-ga and the virtio modules, and a small ext4 data disk as qcow2 base.
# Usage: build.sh OUTPUT_DIR KERNEL_VERSION
# Called by `cyrange images build`, which owns caching; this script only builds.
# Deterministic: sorted file list, fixed mtimes and owners, no compression stamp.
set -eu

out=$1
kver=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root

mkdir -p "$root"/bin "$root"/sbin "$root"/usr/bin "$root"/usr/sbin "$root"/lib/modules \
  "$root"/proc "$root"/sys "$root"/dev "$root"/run "$root"/tmp "$root"/data "$root"/www \
  "$root"/etc "$root"/var "$root"/root
ln -s ../run "$root"/var/run

cp /bin/busybox "$root"/bin/busybox
for applet in $(/bin/busybox --list | sort); do
  [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done

# qemu-ga from the Debian package, with the shared libraries it links.
cp /usr/sbin/qemu-ga "$root"/usr/sbin/qemu-ga
for lib in $(ldd /usr/sbin/qemu-ga | awk '/=>/ {print $3} /^\t\/lib64/ {print $1}' | sort -u); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done

# iptables (legacy backend: no nftables userland needed) for router/firewall roles,
# with the few match extensions the firewall rules use.
cp /usr/sbin/xtables-legacy-multi "$root"/usr/sbin/xtables-legacy-multi
ln -s xtables-legacy-multi "$root"/usr/sbin/iptables
for lib in $(ldd /usr/sbin/xtables-legacy-multi | awk '/=>/ {print $3}' | sort -u); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
xt=/usr/lib/x86_64-linux-gnu/xtables
mkdir -p "$root$xt"
for ext in libxt_standard libxt_tcp libxt_udp libxt_multiport libxt_conntrack libipt_icmp; do
  cp "$xt/$ext.so" "$root$xt/$ext.so"
done

# Modules in load order (dependencies first); the list is part of the recipe.
while read -r mod; do
  case "$mod" in ''|'#'*) continue ;; esac
  src=$(find "/lib/modules/$kver/kernel" -name "$mod.ko" | head -n 1)
  [ -n "$src" ] || { echo "module $mod.ko not found for kernel $kver" >&2; exit 1; }
  cp "$src" "$root/lib/modules/$mod.ko"
  echo "$mod" >> "$root/lib/modules/order"
done < "$here/modules.list"

install -m 0755 "$here/init" "$root/init"
install -m 0755 "$here/configure" "$root/bin/cyrange-configure"
install -m 0755 "$here/smtp-banner" "$root/bin/smtp-banner"
install -m 0755 "$here/http-proxy" "$root/bin/http-proxy"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"
printf '<html><body>cyrange tiny guest</body></html>\n' > "$root/www/index.html"

find "$root" -exec touch -h -d @0 {} +
mkdir -p "$out"
(cd "$root" && find . | LC_ALL=C sort | cpio --quiet -o -H newc --reproducible -R 0:0) \
  > "$out/initramfs.cpio"
cp "/boot/vmlinuz-$kver" "$out/vmlinuz"

# Data disk base: every host gets a qcow2 overlay of this image (linked clone).
data=$work/data
mkdir -p "$data"
printf 'cyrange tiny data disk\n' > "$data/cyrange-disk"
find "$data" -exec touch -h -d @0 {} +
E2FSPROGS_FAKE_TIME=1 SOURCE_DATE_EPOCH=0 mkfs.ext4 -q -F -d "$data" -U 6d3c1b52-0000-4000-8000-000000000001 \
  -E root_owner=0:0,hash_seed=6d3c1b52-0000-4000-8000-000000000002 -L cyrdata \
  "$work/data.ext4" 16M > /dev/null
qemu-img convert -q -O qcow2 "$work/data.ext4" "$out/data-base.qcow2"
