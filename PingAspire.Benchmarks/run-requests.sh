#!/usr/bin/env bash
# The request-overhead harness (README "Performance"): installs Debian's wrk if it is missing, builds the solution in
# Release, and runs it. Arguments go to the harness: --rounds N (default 13), --seconds N (default 5), --json PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
dotnet build -c Release PingAspire.sln -nologo -v q
exec dotnet run -c Release --no-build --project PingAspire.Benchmarks -- requests "$@"
