#!/bin/sh
# run-fuzz.sh SOURCE_ROOT WORK_DIR [--target NAME] [--fuzzer PATH] [--seconds N] [-- LIBFUZZER_OPTIONS...]
#
# Runs a fuzzer for N seconds (default 30), keeping its corpus and any
# crash in WORK_DIR. Targets: topology-file (the default, seeded with the
# bundled examples) and recording-file (seeded with tests/fuzz/recordings:
# the data inside recording files, see fuzz-recording-file.c), lesson
# (seeded with the shipped lessons) and zmtp (the wire's TCP reassembly
# and ZMTP decoder; seeded with tests/fuzz/zmtp-seeds), capture-stream
# (the capture helper's stream as the app reads it; seeded with
# tests/fuzz/capture-stream-seeds). Without
# --fuzzer it first builds one with clang, ASan and UBSan in
# WORK_DIR/build (reused next time); without clang or its fuzzer runtime
# (Debian: clang, libclang-rt-14-dev) it skips (exit 77).
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

src=$1 work=$2
shift 2
fuzzer= seconds=30 target=topology-file
while [ $# -gt 0 ]; do
  case $1 in
    --target) target=$2; shift 2 ;;
    --fuzzer) fuzzer=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "run-fuzz.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
case $target in
  topology-file) corpus="$work/corpus" seeds="$src/data/examples" dict="$src/tests/fuzz/topology.dict" ;;
  recording-file) corpus="$work/corpus-recording" seeds="$src/tests/fuzz/recordings" dict= ;;
  lesson) corpus="$work/corpus-lesson" seeds="$src/data/lessons" dict="$src/tests/fuzz/topology.dict" ;;
  zmtp) corpus="$work/corpus-zmtp" seeds="$src/tests/fuzz/zmtp-seeds" dict="$src/tests/fuzz/zmtp.dict" ;;
  capture-stream) corpus="$work/corpus-capture-stream" seeds="$src/tests/fuzz/capture-stream-seeds" dict= ;;
  *) echo "run-fuzz.sh: unknown target $target" >&2; exit 2 ;;
esac
mkdir -p "$corpus"

if [ -z "$fuzzer" ]; then
  probe="$work/probe"
  if ! command -v clang >/dev/null 2>&1 ||
     ! printf 'int LLVMFuzzerTestOneInput (const char *d, unsigned long n) { return 0; }\n' |
       clang -x c -fsanitize=fuzzer,address,undefined -o "$probe" - >/dev/null 2>&1; then
    echo "clang with libFuzzer not found (Debian: clang libclang-rt-14-dev): skipped"
    exit 77
  fi
  if [ ! -f "$work/build/build.ninja" ]; then
    rm -rf "$work/build"
    CC=clang meson setup "$work/build" "$src" -Dfuzzing=true -Dgui=disabled \
      -Db_sanitize=address,undefined -Db_lundef=false
  fi
  ninja -C "$work/build" "tests/fuzz/fuzz-$target"
  fuzzer="$work/build/tests/fuzz/fuzz-$target"
fi

# Undefined behaviour stops the run like a crash; GLib allocates plainly.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export G_SLICE=always-malloc
# libFuzzer's default error exit code, 77, would read as "skipped" to meson.
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -error_exitcode=1 \
  ${dict:+-dict="$dict"} -artifact_prefix="$work/$target-" -print_final_stats=1 \
  "$@" "$corpus" "$seeds"
