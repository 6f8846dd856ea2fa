#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks of the Mallard help, run by `meson test --suite help`.
#
#   check-help.sh validate PAGE...
#       Validate the English pages against the Mallard schema (strict), and
#       check that every xref and every page id resolves.
#   check-help.sh validate-lang LANG PO PAGE...
#       Compile PO, merge it into PAGE... with itstool (as the build does) in a
#       temporary directory, and validate the translated pages the same way.
#   check-help.sh po-complete PO
#       msgfmt -c --check --statistics; fail on any fuzzy or untranslated entry.
#   check-help.sh po-current PO PAGE...
#       Fail when PAGE... contain text that PO does not translate yet, i.e. when
#       the translation is older than the English pages.
#
# Exit status: 0 pass, 1 fail, 77 skip (a tool is missing).

set -eu

need() {
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "SKIP: $tool is not installed (build-aux/install-deps installs it)"
      exit 77
    fi
  done
}

tmp=""
make_tmp() {
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/kodex-help.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  trap 'exit 1' HUP INT TERM
}

# Mallard validation plus link and id checks on one directory of pages.
check_pages() {
  dir=$1
  shift
  yelp-check validate --strict "$@"
  # `links` and `ids` print one line per problem; make sure either fails the test.
  out=$(cd "$dir" && yelp-check links . && yelp-check ids .) || {
    echo "$out"
    echo "FAIL: broken links or page ids that do not match file names in $dir"
    return 1
  }
  if [ -n "$out" ]; then
    echo "$out"
    echo "FAIL: broken links or page ids that do not match file names in $dir"
    return 1
  fi
}

# Print msgfmt's statistics for a PO file and fail unless all is translated.
check_stats() {
  po=$1
  stats=$(LC_ALL=C msgfmt -c --check --statistics -o /dev/null "$po" 2>&1) || {
    echo "$stats"
    echo "FAIL: msgfmt -c --check rejects $po"
    return 1
  }
  echo "$po: $stats"
  case $stats in
    *fuzzy* | *untranslated*)
      echo "FAIL: $po has fuzzy or untranslated messages:"
      LC_ALL=C msgattrib --only-fuzzy --no-obsolete "$po" 2>/dev/null | grep '^msgid' | head -n 10 || :
      LC_ALL=C msgattrib --untranslated --no-obsolete "$po" 2>/dev/null | grep '^msgid' | head -n 10 || :
      return 1
      ;;
  esac
}

[ $# -ge 1 ] || { echo "usage: $0 validate|validate-lang|po-complete|po-current ..." >&2; exit 2; }
cmd=$1
shift

case $cmd in
  validate)
    [ $# -ge 1 ] || { echo "usage: $0 validate PAGE..." >&2; exit 2; }
    need yelp-check xmllint xsltproc
    check_pages "$(dirname "$1")" "$@"
    ;;

  validate-lang)
    [ $# -ge 3 ] || { echo "usage: $0 validate-lang LANG PO PAGE..." >&2; exit 2; }
    need msgfmt itstool yelp-check xmllint xsltproc
    lang=$1
    po=$2
    shift 2
    make_tmp
    msgfmt -c -o "$tmp/$lang.mo" "$po"
    mkdir "$tmp/$lang"
    # --strict: a translation that is not well-formed XML is an error, not a
    # silent fallback to English.
    itstool --strict -m "$tmp/$lang.mo" --lang "$lang" -o "$tmp/$lang/" "$@"
    for page in "$@"; do
      name=$(basename "$page")
      [ -s "$tmp/$lang/$name" ] || { echo "FAIL: itstool wrote no $lang/$name"; exit 1; }
      grep -q "xml:lang=\"$lang\"" "$tmp/$lang/$name" ||
        { echo "FAIL: $lang/$name is not marked xml:lang=\"$lang\""; exit 1; }
    done
    cd "$tmp/$lang"
    set --
    for page in *.page; do set -- "$@" "$page"; done
    check_pages . "$@"
    ;;

  po-complete)
    [ $# -eq 1 ] || { echo "usage: $0 po-complete PO" >&2; exit 2; }
    need msgfmt msgattrib
    check_stats "$1"
    ;;

  po-current)
    [ $# -ge 2 ] || { echo "usage: $0 po-current PO PAGE..." >&2; exit 2; }
    need msgfmt msgattrib msgmerge itstool
    po=$1
    shift
    make_tmp
    itstool -o "$tmp/help.pot" "$@"
    msgmerge --quiet --no-fuzzy-matching -o "$tmp/current.po" "$po" "$tmp/help.pot"
    if ! check_stats "$tmp/current.po" >"$tmp/log" 2>&1; then
      sed "s|$tmp/current.po|$po (merged with the current pages)|" "$tmp/log"
      echo "Update it: ninja -C BUILDDIR help-kodex-pot help-kodex-LANG-update-po, then translate."
      exit 1
    fi
    echo "$po is up to date with the English pages"
    ;;

  *)
    echo "$0: unknown check '$cmd'" >&2
    exit 2
    ;;
esac
