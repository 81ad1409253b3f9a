#!/usr/bin/env bash
# Publishes the gantry executable (CLI, server and router in one) into $1, only when a source changed.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-artifacts/gantry}
STAMP="$OUT/.source-hash"
hash=$(find src Directory.Build.props Directory.Packages.props -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.json' -o -name '*.html' -o -name '*.js' -o -name '*.css' \) -not -path '*/obj/*' -not -path '*/bin/*' -print0 \
  | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-32)
if [ -x "$OUT/gantry" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$hash" ]; then
  exit 0
fi
printf '[build] publishing gantry to %s\n' "$OUT" >&2
dotnet publish src/Gantry.Cli/Gantry.Cli.csproj -c Release -o "$OUT" --nologo -v quiet -p:UseAppHost=true >&2
echo "$hash" > "$STAMP"
touch "$OUT/.rebuilt"
