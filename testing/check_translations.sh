#!/usr/bin/env bash
# check_translations.sh LUPDATE SOURCE_DIR TS_FILE...
# Runs lupdate over SOURCE_DIR (and client-qt, whose strings both apps show) into a copy
# of every .ts file, then fails when any message has no finished translation: a string
# added to the code without its Japanese (or English) text fails here.
set -euo pipefail
lupdate=$1
src=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for ts in "$@"; do
  copy="$work/$(basename "$ts")"
  cp "$ts" "$copy"
  # English is the source language: its .ts holds only plural forms ("%n team(s)").
  extra=()
  case "$ts" in *_en.ts) extra=(-pluralonly) ;; esac
  "$lupdate" -silent -locations none -no-obsolete -I "$root" "${extra[@]}" "$src" "$root/client-qt" -ts "$copy" >/dev/null
  missing=$(grep -c 'type="unfinished"' "$copy" || true)
  if [ "$missing" -gt 0 ]; then
    echo "$(basename "$ts"): $missing message(s) without a translation:"
    grep -B3 'type="unfinished"' "$copy" | grep '<source>' | sed 's/^ */  /' | head -40
    echo "Run: $lupdate -locations none -no-obsolete -I $root $src $root/client-qt -ts $ts, then translate them (Qt Linguist or by hand)."
    status=1
  fi
done
exit $status
