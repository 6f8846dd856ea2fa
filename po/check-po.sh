#!/bin/sh
# Checks the German catalogue:
#   check-po.sh complete PO          msgfmt -c --check; nothing fuzzy or untranslated
#   check-po.sh current PO SRCDIR    every translatable string of the sources is in PO
set -eu
mode=$1
po=$2

check_complete () {
  out=$(LC_ALL=C msgfmt -c --check --statistics -o /dev/null "$1" 2>&1) || { echo "$out"; exit 1; }
  echo "$out"
  case "$out" in
    *fuzzy*|*untranslated*) echo "$1 is not complete"; exit 1 ;;
  esac
}

case "$mode" in
  complete)
    check_complete "$po"
    ;;
  current)
    srcdir=$3
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    (cd "$srcdir" && xgettext --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ \
        --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 \
        --files-from=po/POTFILES.in --output="$tmp/kodex.pot" 2>/dev/null)
    msgmerge --quiet --no-fuzzy-matching --output-file="$tmp/de.po" "$po" "$tmp/kodex.pot"
    check_complete "$tmp/de.po"
    ;;
  *)
    echo "usage: $0 complete|current PO [SRCDIR]" >&2
    exit 2
    ;;
esac
