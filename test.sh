#!/usr/bin/env bash
# Installs the prerequisites (the same as ./run.sh), builds everything and runs every test.
# Tests talk to a real dockerd and real clients (docker, skopeo); nothing is mocked at the engine.
set -euo pipefail
cd "$(dirname "$0")"
export GANTRY_EXTRA_PKGS="${GANTRY_EXTRA_PKGS:-skopeo prometheus}"
./scripts/prereqs.sh
dotnet build Gantry.slnx -c Release --nologo -v quiet
results=$(mktemp -d)
status=0
dotnet test Gantry.slnx -c Release --no-build --nologo \
  --blame-hang-timeout 10m \
  --logger "console;verbosity=normal" --logger "trx" --results-directory "$results" 2>&1 | tee "$results/out.txt" || status=$?
# One plain closing line for the whole run, summed over every test project's trx.
python3 - "$results" <<'PY'
import glob, os, sys, xml.etree.ElementTree as ET
from datetime import datetime
def project(root, f):
    test = root.find(".//{*}UnitTest")
    return os.path.basename(test.get("storage", f)).removesuffix(".dll") if test is not None else os.path.basename(f)
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    c = ET.parse(f).getroot().find(".//{*}Counters")
    if c is None: continue
    passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    skipped += int(c.get("notExecuted", 0))
# The failures again, last, so that the tail of a long log names them with their first lines.
for f in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    for r in ET.parse(f).getroot().findall(".//{*}UnitTestResult"):
        if r.get("outcome") in ("Passed", "NotExecuted"): continue
        msg = r.find(".//{*}Message")
        first = (msg.text or "").strip().splitlines()[:3] if msg is not None else []
        print(f"{r.get('outcome').upper()} {r.get('testName')} ({r.get('duration')})")
        for line in first: print(f"    {line[:300]}")
# Run-level errors (a test host that crashed or hung, a collector that failed) are not test results: name them too.
for f in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    root = ET.parse(f).getroot()
    summary = root.find(".//{*}ResultSummary")
    if summary is None or summary.get("outcome") in ("Completed", "Passed"): continue
    counters = root.find(".//{*}Counters")
    counted = " ".join(f"{k}={v}" for k, v in (counters.attrib.items() if counters is not None else []) if v != "0")
    print(f"RUN {summary.get('outcome')}: {project(root, f)} ({counted})")
    for info in root.findall(".//{*}RunInfo"):
        text = info.find("{*}Text")
        if info.get("outcome") == "Error" and text is not None:
            for line in (text.text or "").strip().splitlines()[:5]: print(f"    {line[:300]}")
# The slowest tests, so that what to shorten when the run nears its budget is plain.
def seconds(d):
    h, m, s = (d or "0:0:0").split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)
slowest = sorted(((seconds(r.get("duration")), r.get("testName")) for f in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True)
                  for r in ET.parse(f).getroot().findall(".//{*}UnitTestResult")), reverse=True)[:15]
for took, name in slowest: print(f"slow {took:6.1f} s {name}")
# Each project's wall time, so that the slow part of a long run is plain.
for f in sorted(glob.glob(sys.argv[1] + "/**/*.trx", recursive=True)):
    root = ET.parse(f).getroot()
    times = root.find(".//{*}Times")
    if times is None: continue
    start, finish = (datetime.fromisoformat(times.get(k)) for k in ("start", "finish"))
    print(f"time {project(root, f)}: {(finish - start).total_seconds():.0f} s")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
