#!/bin/sh
# Every source file with translatable strings is listed in POTFILES.in.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
top=$1
cd "$top"
listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort)
found=$( { grep -lE '\b(N_|_|C_|NC_|ngettext|g_dngettext)[[:space:]]*\(' monitor/*/*.c widgets/*.c app/*.c 2>/dev/null || true
           grep -l 'translatable="yes"' app/*.ui app/gtk/*.ui widgets/*.ui 2>/dev/null || true
           ls data/*.desktop.in data/*.metainfo.xml.in 2>/dev/null || true; } | sort -u)
missing=$(printf '%s\n' "$found" | while read -r f; do printf '%s\n' "$listed" | grep -qxF "$f" || echo "$f"; done)
stale=$(printf '%s\n' "$listed" | while read -r f; do [ -e "$f" ] || echo "$f"; done)
if [ -n "$missing" ] || [ -n "$stale" ]; then
  [ -z "$missing" ] || printf 'Not in po/POTFILES.in:\n%s\n' "$missing"
  [ -z "$stale" ] || printf 'In po/POTFILES.in but gone:\n%s\n' "$stale"
  exit 1
fi
echo "po/POTFILES.in lists every file with translatable strings"
