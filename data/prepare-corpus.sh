#!/usr/bin/env bash
# Rebuilds data/tinytext.txt (Pride and Prejudice) from Debian's r-cran-janeaustenr package, then prints its
# SHA-256, which must match the one in data/README.md (the kernel-lib test ShippedTextTest checks it).
# Needs: apt-get (to download the .deb; nothing is installed), dpkg-deb, a JDK 11+.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download r-cran-janeaustenr=1.0.0-1 >/dev/null)
dpkg-deb -x "$work"/r-cran-janeaustenr_1.0.0-1_all.deb "$work/x"
java "$here/tools/ExtractAustenNovel.java" \
  "$work/x/usr/lib/R/site-library/janeaustenr/data/Rdata.rdb" "PRIDE AND PREJUDICE" "$here/tinytext.txt"
sha256sum "$here/tinytext.txt"
