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
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    c = ET.parse(f).getroot().find(".//{*}Counters")
    if c is None: continue
    passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    skipped += int(c.get("notExecuted", 0))
# The failures again, last, so that the tail of a long log names them with their first lines.
for f in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    for r in ET.parse(f).getroot().iter("{*}UnitTestResult"):
        if r.get("outcome") not in ("Failed", "Error", "Timeout"): continue
        msg = r.find(".//{*}Message")
        first = (msg.text or "").strip().splitlines()[:3] if msg is not None else []
        print(f"FAILED {r.get('testName')} ({r.get('duration')})")
        for line in first: print(f"    {line[:300]}")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
