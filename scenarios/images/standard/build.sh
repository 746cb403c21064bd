#!/bin/sh
# Builds the "standard" guest image: Debian bookworm minbase with the range's
# real services, booted by the Debian cloud kernel through a tiny busybox stage-1
# initramfs into /sbin/cyrange-init (no systemd). Outputs in OUTPUT_DIR:
#   vmlinuz, initramfs.cpio (stage 1) and root-base.qcow2 (every host's root disk
#   is a qcow2 overlay of it, a linked clone).
# Usage: build.sh OUTPUT_DIR KERNEL_VERSION
# Called by `cyrange images build --profile standard`, which owns caching.
# The mirror is the machine's Debian archive (override: CYRANGE_DEBIAN_MIRROR).
set -eu

out=$1
kver=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /var/tmp/cyrange-standard.XXXXXX)
trap 'umount "$work/root/proc" 2>/dev/null || true; rm -rf "$work"' EXIT
root=$work/root
t0=$(date +%s)
step() { echo "[$(( $(date +%s) - t0 ))s] $*"; }

mirror=${CYRANGE_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  # deb822 "URIs:" or one-line "deb URL bookworm ..." pointing at the main archive.
  mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
    awk '/^URIs:/ {print $2}' | grep -v -e security -e '^$' | grep debian | head -n 1)
  [ -n "$mirror" ] || mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk '$1 == "deb" && $3 == "bookworm" {print $2}' | head -n 1)
fi
[ -n "$mirror" ] || { echo "no Debian mirror found in /etc/apt/sources.list*; set CYRANGE_DEBIAN_MIRROR" >&2; exit 1; }
packages=$(grep -v -e '^#' -e '^$' "$here/packages.list" | tr '\n' ',' | sed 's/,$//')

step "debootstrap bookworm from $mirror"
export SOURCE_DATE_EPOCH=0 DEBIAN_FRONTEND=noninteractive
# Downloaded .debs are kept, so a changed recipe rebuilds without fetching again.
debs=${CYRANGE_DEBOOTSTRAP_CACHE:-/var/cache/cyrange/debootstrap}
mkdir -p "$debs"
debootstrap --variant=minbase --include="$packages" --cache-dir="$debs" bookworm "$root" "$mirror" \
  > "$work/debootstrap.log" 2>&1 ||
  { tail -n 30 "$work/debootstrap.log" "$root/debootstrap/debootstrap.log" >&2 2>/dev/null; exit 1; }

step "configure services"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
# Legacy iptables: the same rules and modules as the tiny image's routers.
in_root update-alternatives --quiet --set iptables /usr/sbin/iptables-legacy
install -m 0755 "$here/cyrange-init" "$root/sbin/cyrange-init"
install -m 0755 "$here/configure" "$root/sbin/cyrange-configure"
install -d "$root/etc/cyrange"
: > "$root/etc/cyrange/hosts"
install -m 0644 "$here/dnsmasq.conf" "$root/etc/cyrange/dnsmasq.conf"
install -m 0644 "$here/squid.conf" "$root/etc/squid/squid.conf"
printf '# Domains the proxy refuses, one a line (squid.conf: blocked_domains).\n' \
  > "$root/etc/squid/blocked-domains"
install -m 0644 "$here/postfix-main.cf" "$root/etc/postfix/main.cf"
cat "$here/postfix-master.cf.append" >> "$root/etc/postfix/master.cf"
install -m 0755 "$here/cyrange-deliver" "$root/usr/local/sbin/cyrange-deliver"
# IMAP over the same mboxes; other folders under /var/spool/imap (see dovecot.conf).
install -m 0644 "$here/dovecot.conf" "$root/etc/dovecot/dovecot.conf"
install -d -o 5000 -g 8 -m 0750 "$root/var/spool/imap"
# File server: one share, every operation audited to /var/log/samba/audit.log.
install -m 0644 "$here/smb.conf" "$root/etc/samba/smb.conf"
install -m 0644 "$here/rsyslog-cyrange.conf" "$root/etc/rsyslog.d/cyrange.conf"
install -d -o 65534 -g 65534 -m 0775 "$root/srv/share"
# Without chroot jails postfix needs no copies of /etc files and logs straight to /dev/log.
in_root postconf -F '*/*/chroot = n'
in_root useradd -u 5000 -g mail -d /var/mail -s /usr/sbin/nologin -M vmail
chmod 2775 "$root/var/mail"
printf 'cyrange\n' > "$root/etc/mailname"
printf '<html><head><meta charset="utf-8"><title>cyrange</title></head><body>cyrange standard guest / 演習用サーバ</body></html>\n' \
  > "$root/var/www/html/index.html"
rm -f "$root"/var/www/html/index.nginx-debian.html
install -m 0644 "$here/nginx-default" "$root/etc/nginx/sites-available/default"
install -d "$root/etc/nginx/cyrange.d"
# Busybox applets the orchestrator's readiness checks call in both image profiles.
for applet in wget nc nslookup; do
  [ -e "$root/usr/bin/$applet" ] || ln -s /bin/busybox "$root/usr/bin/$applet"
done
printf 'root:cyrange\n' | in_root chpasswd
: > "$root/etc/fstab"
rm -f "$root/etc/resolv.conf"
: > "$root/etc/resolv.conf"

step "kernel modules for $kver"
# Netfilter and virtio modules with their index, for modprobe/autoload in the guest.
mkdir -p "$root/lib/modules/$kver/kernel/drivers"
for d in net lib crypto arch drivers/virtio drivers/net drivers/block drivers/char; do
  mkdir -p "$root/lib/modules/$kver/kernel/$(dirname "$d")"
  cp -a "/lib/modules/$kver/kernel/$d" "$root/lib/modules/$kver/kernel/$d"
done
cp "/lib/modules/$kver"/modules.order "/lib/modules/$kver"/modules.builtin* "$root/lib/modules/$kver/"
depmod -b "$root" "$kver"

step "trim"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
  "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/*.log "$root"/var/log/apt/* \
  "$root"/var/cache/debconf/*-old "$root"/debootstrap
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'ja*' ! -name 'en*' -exec rm -rf {} +
# Samba's Python bindings serve samba-tool (AD domain controller work), never the standalone
# smbd the file-server role runs; with Python's byte-code caches they are ~40 MB of the rootfs.
rm -rf "$root"/usr/lib/python3/dist-packages/samba
find "$root/usr/lib" -name __pycache__ -type d -prune -exec rm -rf {} +
# Reproducible file metadata: fixed mtimes, so equal inputs give equal filesystems.
find "$root" -xdev -exec touch -h -d @0 {} + 2>/dev/null || true

step "stage-1 initramfs"
s1=$work/stage1
mkdir -p "$s1"/bin "$s1"/proc "$s1"/dev "$s1"/newroot "$s1"/lib/modules
cp /bin/busybox "$s1"/bin/busybox
for applet in sh mount umount insmod sleep switch_root cat; do ln -s busybox "$s1/bin/$applet"; done
while read -r mod; do
  case "$mod" in ''|'#'*) continue ;; esac
  src=$(find "/lib/modules/$kver/kernel" -name "$mod.ko" | head -n 1)
  [ -n "$src" ] || { echo "module $mod.ko not found for kernel $kver" >&2; exit 1; }
  cp "$src" "$s1/lib/modules/$mod.ko"
  echo "$mod" >> "$s1/lib/modules/order"
done < "$here/modules.list"
install -m 0755 "$here/stage1-init" "$s1/init"
find "$s1" -exec touch -h -d @0 {} +
mkdir -p "$out"
(cd "$s1" && find . | LC_ALL=C sort | cpio --quiet -o -H newc --reproducible -R 0:0) > "$out/initramfs.cpio"
cp "/boot/vmlinuz-$kver" "$out/vmlinuz"

step "root filesystem"
E2FSPROGS_FAKE_TIME=1 mkfs.ext4 -q -F -d "$root" -U 6d3c1b52-0000-4000-8000-000000000011 \
  -E hash_seed=6d3c1b52-0000-4000-8000-000000000012 -L cyrroot -I 256 \
  "$work/root.ext4" 2G > /dev/null
qemu-img convert -q -c -O qcow2 -o cluster_size=65536 "$work/root.ext4" "$out/root-base.qcow2"
du -sh "$root" | sed 's/^/rootfs /'
du -h "$out/root-base.qcow2" | sed 's/^/qcow2 /'
step "done"
