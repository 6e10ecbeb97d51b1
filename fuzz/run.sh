#!/usr/bin/env bash
# Runs one fuzz target the way the figures in README.md were measured:
#   fuzz/run.sh TARGET SECONDS [extra libFuzzer flags...]
# The growing corpus goes to a scratch directory outside the repository ($FUZZ_SCRATCH, default
# /tmp/argovet-fuzz/TARGET/corpus, with libFuzzer's logs and artifacts one level up — never inside the
# corpus, or the fuzzer reads its own logs as inputs); the seeds in fuzz/seeds/TARGET are never written.
set -euo pipefail
target=$1
secs=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
scratch=${FUZZ_SCRATCH:-/tmp/argovet-fuzz}/$target
mkdir -p "$scratch/corpus"
case $target in
  yaml) dict=yaml.dict ;;
  check | appset | policy_input) dict=argo.dict ;;
  lua) dict=lua.dict ;;
  gotmpl | fasttemplate) dict=gotmpl.dict ;;
  *) dict= ;;
esac
# -timeout is wall-clock time: on a machine busy with builds a 1 s input (a template at its step limit)
# took 13 s, so 10 s reported load as hangs.
flags=(-jobs=1 -workers=1 -rss_limit_mb=2048 -timeout=60 -max_total_time="$secs" -print_final_stats=1)
[ -n "$dict" ] && flags+=(-dict="$here/dict/$dict")
cd "$scratch"
RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir "$here" -s none "$target" "$scratch/corpus" "$here/seeds/$target" -- \
  "${flags[@]}" -artifact_prefix="$scratch/" "$@"
