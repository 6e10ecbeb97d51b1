#!/usr/bin/env python3
"""Run argovet over a corpus of real Argo CD repositories and measure it.

Python 3.11, standard library only.

    run.py --bin PATH --checkouts DIR [--out results.json] [--compare other.json]
        Run `argovet check . --format json -q` in every checkout (a sub-directory of DIR,
        named owner+name as in repos.txt), print one row per repository and one per rule,
        and optionally the deltas against an earlier results file.

    run.py materialise --mirrors DIR --checkouts DIR [--repos repos.txt]
        Write the pinned commit of every repository of repos.txt from a bare git directory
        (DIR/owner+name/repo, as the fetch tool leaves it, or DIR/owner+name.git) into
        CHECKOUTS/owner+name. Blobs missing from a partial snapshot are skipped and counted.

    run.py sample --results results.json [--per-rule 5] [--error-rule-extra 3] [--big-rule-extra 6]
                  [--labels labels.tsv]
        Print a deterministic stratified sample of findings (a hash of each finding's key orders
        them) as label-file rows with the verdict columns empty; rows already labelled are skipped.

    run.py precision --labels labels.tsv --results results.json
        Join the labels to the findings of a results file and print precision per rule, per
        severity, of the error findings of the sample, and labels that no longer match a finding.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_REPOS = HERE / "repos.txt"
SEVERITIES = ("error", "warning", "info")
PREFIX = 60


# ---------------------------------------------------------------- repos.txt


def read_repos(path: Path) -> list[dict]:
    repos = []
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 3 or len(parts[1]) != 40 or "/" not in parts[0]:
            raise SystemExit(f"{path}:{number}: expected `owner/name <40-hex commit> <kind>`: {raw!r}")
        note = raw.split("#", 1)[1].strip() if "#" in raw else ""
        repos.append({"repo": parts[0], "commit": parts[1], "kind": parts[2], "note": note,
                      "dir": parts[0].replace("/", "+")})
    return repos


# ---------------------------------------------------------------- materialise


def git_dir_for(mirrors: Path, dirname: str) -> Path | None:
    for candidate in (mirrors / dirname / "repo", mirrors / f"{dirname}.git", mirrors / dirname):
        if (candidate / "HEAD").is_file() or (candidate / ".git").exists():
            return candidate
    return None


def materialise(args: argparse.Namespace) -> int:
    repos = read_repos(Path(args.repos))
    out = Path(args.checkouts)
    out.mkdir(parents=True, exist_ok=True)
    status = 0
    for r in repos:
        gd = git_dir_for(Path(args.mirrors), r["dir"])
        dest = out / r["dir"]
        if gd is None:
            print(f"{r['repo']}: no git directory under {args.mirrors}", file=sys.stderr)
            status = 1
            continue
        if dest.exists() and not args.force:
            print(f"{r['repo']}: {dest} exists (use --force to rewrite)")
            continue
        listing = subprocess.run(["git", "--git-dir", str(gd), "ls-tree", "-r", "-z", r["commit"]],
                                 capture_output=True, check=False)
        if listing.returncode != 0:
            print(f"{r['repo']}: commit {r['commit']} not in {gd}: {listing.stderr.decode().strip()}",
                  file=sys.stderr)
            status = 1
            continue
        entries = []
        for item in listing.stdout.split(b"\0"):
            if not item:
                continue
            meta, path = item.split(b"\t", 1)
            mode, typ, sha = meta.split()
            if typ == b"blob" and mode in (b"100644", b"100755"):
                entries.append((sha.decode(), path.decode("utf-8", "surrogateescape"), mode))
        written = missing = 0
        with subprocess.Popen(["git", "--git-dir", str(gd), "cat-file", "--batch"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE) as proc:
            assert proc.stdin and proc.stdout
            for sha, path, mode in entries:
                proc.stdin.write(sha.encode() + b"\n")
                proc.stdin.flush()
                header = proc.stdout.readline().split()
                if len(header) < 3 or header[1] != b"blob":
                    missing += 1
                    continue
                data = proc.stdout.read(int(header[2]))
                proc.stdout.read(1)
                target = dest / path
                if ".." in Path(path).parts:
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                if mode == b"100755":
                    target.chmod(0o755)
                written += 1
            proc.stdin.close()
        print(f"{r['repo']}: {written} files at {r['commit'][:12]}"
              + (f", {missing} blobs missing from the snapshot" if missing else ""))
    return status


# ---------------------------------------------------------------- run


def run_one(binary: str, checkout: Path, timeout: float) -> dict:
    cmd = [binary, "check", ".", "--format", "json", "-q"]
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=checkout, capture_output=True, timeout=timeout, check=False)
        elapsed = time.monotonic() - start
        code = proc.returncode
        stdout, stderr = proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:
        elapsed = time.monotonic() - start
        code = "timeout"
        stdout, stderr = exc.stdout or b"", exc.stderr or b""
    result = {"exit": code, "seconds": round(elapsed, 3), "findings": [], "summary": {},
              "stderr": stderr.decode("utf-8", "replace")[-2000:]}
    if stdout:
        try:
            doc = json.loads(stdout)
            result["findings"] = doc.get("findings", [])
            result["summary"] = doc.get("summary", {})
        except json.JSONDecodeError as exc:
            result["json_error"] = str(exc)
    by_rule: dict[str, Counter] = defaultdict(Counter)
    for f in result["findings"]:
        by_rule[f["rule"]][f["severity"]] += 1
    result["rules"] = {rule: dict(c) for rule, c in sorted(by_rule.items())}
    return result


def version_of(binary: str) -> str:
    try:
        return subprocess.run([binary, "--version"], capture_output=True, text=True,
                              check=False).stdout.strip()
    except OSError:
        return "?"


def sev_counts(res: dict) -> Counter:
    return Counter(f["severity"] for f in res["findings"])


def print_tables(results: dict) -> None:
    repos = results["repos"]
    width = max([len(n) for n in repos] + [10])
    print(f"{'repository':<{width}} {'exit':>7} {'secs':>7} {'files':>6} {'docs':>6} "
          f"{'finds':>6} {'err':>5} {'warn':>5} {'info':>5}")
    tot = Counter()
    for name, res in sorted(repos.items()):
        c = sev_counts(res)
        s = res.get("summary", {})
        print(f"{name:<{width}} {str(res['exit']):>7} {res['seconds']:>7.2f} {s.get('files', '-'):>6} "
              f"{s.get('documents', '-'):>6} {len(res['findings']):>6} {c['error']:>5} "
              f"{c['warning']:>5} {c['info']:>5}")
        tot.update(c)
        tot["secs"] += res["seconds"]
        tot["exit1"] += res["exit"] == 1
    print(f"{'TOTAL':<{width}} {str(tot['exit1']) + 'x1':>7} {tot['secs']:>7.2f} {'':>6} {'':>6} "
          f"{tot['error'] + tot['warning'] + tot['info']:>6} {tot['error']:>5} {tot['warning']:>5} "
          f"{tot['info']:>5}")
    print()
    rules: dict[str, Counter] = defaultdict(Counter)
    spread: dict[str, set] = defaultdict(set)
    for name, res in repos.items():
        for f in res["findings"]:
            rules[f["rule"]][f["severity"]] += 1
            spread[f["rule"]].add(name)
    rw = max([len(r) for r in rules] + [4])
    print(f"{'rule':<{rw}} {'error':>6} {'warn':>6} {'info':>6} {'repos':>6}")
    for rule in sorted(rules, key=lambda r: (-sum(rules[r].values()), r)):
        c = rules[rule]
        print(f"{rule:<{rw}} {c['error']:>6} {c['warning']:>6} {c['info']:>6} {len(spread[rule]):>6}")


def print_compare(new: dict, old: dict) -> None:
    print()
    print(f"compare: {old.get('version', '?')}  ->  {new.get('version', '?')}")
    names = sorted(set(new["repos"]) | set(old["repos"]))
    width = max([len(n) for n in names] + [10])
    print(f"{'repository':<{width}} {'exit':>9} {'findings':>14} {'errors':>12} {'secs':>14}")
    for name in names:
        a, b = old["repos"].get(name), new["repos"].get(name)
        if a is None or b is None:
            print(f"{name:<{width}} only in {'new' if a is None else 'old'}")
            continue
        ea, eb = sev_counts(a)["error"], sev_counts(b)["error"]
        fa, fb = len(a["findings"]), len(b["findings"])
        print(f"{name:<{width}} {str(a['exit']) + '->' + str(b['exit']):>9} "
              f"{f'{fa}->{fb} ({fb - fa:+d})':>14} {f'{ea}->{eb}':>12} "
              f"{'%.2f->%.2f' % (a['seconds'], b['seconds']):>14}")
    print()
    ra: Counter = Counter()
    rb: Counter = Counter()
    for res, c in ((old, ra), (new, rb)):
        for r in res["repos"].values():
            for f in r["findings"]:
                c[(f["rule"], f["severity"])] += 1
    keys = sorted(set(ra) | set(rb), key=lambda k: (k[0], k[1]))
    rw = max([len(k[0]) + len(k[1]) + 3 for k in keys] + [4])
    print(f"{'rule (severity)':<{rw}} {'old':>6} {'new':>6} {'delta':>6}")
    for k in keys:
        if ra[k] != rb[k]:
            print(f"{k[0] + ' (' + k[1] + ')':<{rw}} {ra[k]:>6} {rb[k]:>6} {rb[k] - ra[k]:>+6}")


def run(args: argparse.Namespace) -> int:
    checkouts = Path(args.checkouts)
    names = sorted(p.name for p in checkouts.iterdir() if p.is_dir())
    if args.only:
        names = [n for n in names if n in set(args.only)]
    commits = {}
    if Path(args.repos).is_file():
        commits = {r["dir"]: r for r in read_repos(Path(args.repos))}
    results = {"version": version_of(args.bin), "bin": args.bin, "repos": {}}
    for name in names:
        res = run_one(args.bin, checkouts / name, args.timeout)
        if name in commits:
            res["repo"] = commits[name]["repo"]
            res["commit"] = commits[name]["commit"]
            res["kind"] = commits[name]["kind"]
        results["repos"][name] = res
        print(f"  {name}: exit {res['exit']} in {res['seconds']:.1f}s, {len(res['findings'])} findings",
              file=sys.stderr)
    print_tables(results)
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    if args.compare:
        print_compare(results, json.loads(Path(args.compare).read_text()))
    return 0


# ---------------------------------------------------------------- labels


def key_of(repo: str, f: dict) -> tuple:
    msg = " ".join(f["message"].split())[:PREFIX]
    return (repo, f["file"], f["rule"], str(f["line"]), msg)


def all_findings(results: dict):
    for name, res in results["repos"].items():
        repo = res.get("repo", name.replace("+", "/", 1))
        for f in res["findings"]:
            yield key_of(repo, f), f


def read_labels(path: Path) -> dict[tuple, tuple]:
    labels = {}
    if not path.is_file():
        return labels
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        if not raw.strip() or raw.startswith("#") or raw.startswith("repo\t"):
            continue
        cols = raw.split("\t")
        if len(cols) < 8:
            raise SystemExit(f"{path}:{number}: expected 8 tab-separated columns, got {len(cols)}")
        verdict = cols[5].strip().upper()
        if verdict not in ("TRUE", "FALSE", ""):
            raise SystemExit(f"{path}:{number}: verdict must be TRUE or FALSE, got {cols[5]!r}")
        labels[tuple(cols[:5])] = (verdict, cols[6], "\t".join(cols[7:]))
    return labels


def digest(key: tuple) -> str:
    return hashlib.sha256("\t".join(key).encode()).hexdigest()


def sample(args: argparse.Namespace) -> int:
    results = json.loads(Path(args.results).read_text())
    labelled = read_labels(Path(args.labels)) if args.labels else {}
    by_rule: dict[str, list] = defaultdict(list)
    seen = set()
    for key, f in all_findings(results):
        if key in seen:
            continue
        seen.add(key)
        by_rule[f["rule"]].append((digest(key), key, f))
    for rule in sorted(by_rule):
        items = sorted(by_rule[rule])
        quota = args.per_rule
        if any(f["severity"] == "error" for _, _, f in items):
            quota += args.error_rule_extra
            if len(items) >= args.big_rule_min:
                quota += args.big_rule_extra
        # Spread over repositories: round-robin across repos in hash order.
        per_repo: dict[str, list] = defaultdict(list)
        for item in items:
            per_repo[item[1][0]].append(item)
        order = []
        queues = [per_repo[r] for r in sorted(per_repo, key=lambda r: per_repo[r][0][0])]
        while any(queues):
            for q in queues:
                if q:
                    order.append(q.pop(0))
        for _, key, f in order[:quota]:
            if key in labelled:
                continue
            print("\t".join(key) + f"\t\t\t[{f['severity']}] {' '.join(f['message'].split())}")
    return 0


def precision(args: argparse.Namespace) -> int:
    results = json.loads(Path(args.results).read_text())
    labels = read_labels(Path(args.labels))
    findings = {}
    for key, f in all_findings(results):
        findings.setdefault(key, f)
    per_rule: dict[str, Counter] = defaultdict(Counter)
    per_sev: dict[str, Counter] = defaultdict(Counter)
    classes: Counter = Counter()
    unmatched = []
    for key, (verdict, cls, _reason) in sorted(labels.items()):
        if not verdict:
            continue
        f = findings.get(key)
        if f is None:
            unmatched.append(key)
            continue
        per_rule[f["rule"]][verdict] += 1
        per_sev[f["severity"]][verdict] += 1
        if verdict == "FALSE":
            classes[cls or "unclassified"] += 1
    population: Counter = Counter(f["rule"] for f in findings.values())
    sev_of_rule: dict[str, set] = defaultdict(set)
    for f in findings.values():
        sev_of_rule[f["rule"]].add(f["severity"])

    def pct(c: Counter) -> str:
        n = c["TRUE"] + c["FALSE"]
        return f"{100.0 * c['TRUE'] / n:6.1f}%" if n else "     -"

    rw = max([len(r) for r in population] + [4])
    print(f"{'rule':<{rw}} {'sev':<13} {'found':>6} {'labelled':>8} {'true':>5} {'false':>5} {'precision':>9}")
    for rule in sorted(population):
        c = per_rule.get(rule, Counter())
        print(f"{rule:<{rw}} {'/'.join(sorted(sev_of_rule[rule])):<13} {population[rule]:>6} "
              f"{c['TRUE'] + c['FALSE']:>8} {c['TRUE']:>5} {c['FALSE']:>5} {pct(c):>9}")
    total = Counter()
    for c in per_rule.values():
        total.update(c)
    print()
    for sev in SEVERITIES:
        c = per_sev.get(sev, Counter())
        print(f"{sev + ' findings':<18} labelled {c['TRUE'] + c['FALSE']:>4}  true {c['TRUE']:>4}  "
              f"false {c['FALSE']:>4}  precision {pct(c)}")
    print(f"{'all findings':<18} labelled {total['TRUE'] + total['FALSE']:>4}  true {total['TRUE']:>4}  "
          f"false {total['FALSE']:>4}  precision {pct(total)}")
    # The sample is stratified by rule, so the plain ratio over-weights small rules. Weight each
    # rule's sample precision by the number of its findings of that severity to estimate the
    # precision over every finding of the run.
    per_rule_sev: dict[tuple, Counter] = defaultdict(Counter)
    pop_rule_sev: Counter = Counter(f"{f['rule']}\t{f['severity']}" for f in findings.values())
    for key, (verdict, _cls, _reason) in labels.items():
        f = findings.get(key)
        if verdict and f is not None:
            per_rule_sev[f"{f['rule']}\t{f['severity']}"][verdict] += 1
    for sev in SEVERITIES:
        est = covered = 0.0
        for rs, n in pop_rule_sev.items():
            if not rs.endswith("\t" + sev):
                continue
            c = per_rule_sev.get(rs)
            if c and c["TRUE"] + c["FALSE"]:
                est += n * c["TRUE"] / (c["TRUE"] + c["FALSE"])
                covered += n
        if covered:
            total_sev = sum(n for rs, n in pop_rule_sev.items() if rs.endswith("\t" + sev))
            print(f"{sev + ' findings':<18} estimated precision over all {int(covered)} of {total_sev} "
                  f"(rules weighted by their counts): {100.0 * est / covered:5.1f}%")
    if classes:
        print()
        print("false findings by class:")
        for cls, n in classes.most_common():
            print(f"  {n:>4}  {cls}")
    exits = []
    for name, res in sorted(results["repos"].items()):
        if res["exit"] == 1:
            repo = res.get("repo", name.replace("+", "/", 1))
            errs = [key_of(repo, f) for f in res["findings"] if f["severity"] == "error"]
            judged = [labels[k][0] for k in errs if k in labels and labels[k][0]]
            exits.append((repo, len(errs), judged.count("TRUE"), judged.count("FALSE")))
    if exits:
        print()
        print("repositories exiting 1: errors, labelled TRUE, labelled FALSE")
        for repo, n, t, fl in exits:
            flag = "" if t else "   <- no error labelled TRUE"
            print(f"  {repo:<55} {n:>5} {t:>4} {fl:>4}{flag}")
    if unmatched:
        print()
        print(f"{len(unmatched)} labels match no finding of this results file (fixed or moved):")
        for key in unmatched[:40]:
            print("  " + " | ".join(key))
    return 0


# ---------------------------------------------------------------- main


def main(argv: list[str]) -> int:
    commands = {"materialise", "sample", "precision", "run"}
    if argv and argv[0] in commands:
        command, argv = argv[0], argv[1:]
    else:
        command = "run"
    p = argparse.ArgumentParser(prog=f"run.py {command}")
    if command == "run":
        p.add_argument("--bin", required=True, help="argovet binary")
        p.add_argument("--checkouts", required=True, help="directory of owner+name checkouts")
        p.add_argument("--out", help="write results JSON here")
        p.add_argument("--compare", help="earlier results JSON to compare with")
        p.add_argument("--repos", default=str(DEFAULT_REPOS))
        p.add_argument("--timeout", type=float, default=600.0, help="seconds per repository")
        p.add_argument("--only", nargs="*", help="only these owner+name directories")
        return run(p.parse_args(argv))
    if command == "materialise":
        p.add_argument("--mirrors", required=True, help="directory of bare git dirs (owner+name/repo)")
        p.add_argument("--checkouts", required=True)
        p.add_argument("--repos", default=str(DEFAULT_REPOS))
        p.add_argument("--force", action="store_true")
        return materialise(p.parse_args(argv))
    if command == "sample":
        p.add_argument("--results", required=True)
        p.add_argument("--labels", help="skip findings already labelled here")
        p.add_argument("--per-rule", type=int, default=5)
        p.add_argument("--error-rule-extra", type=int, default=3,
                       help="more findings for rules that report errors")
        p.add_argument("--big-rule-extra", type=int, default=6,
                       help="more again for error rules with at least --big-rule-min findings")
        p.add_argument("--big-rule-min", type=int, default=100)
        return sample(p.parse_args(argv))
    p.add_argument("--labels", required=True)
    p.add_argument("--results", required=True)
    return precision(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
