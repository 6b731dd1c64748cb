#!/usr/bin/env bash
# The whole test suite: unit tests, and integration tests against a real Docker engine and a real
# Redis (installed and started by setup-machine.sh), with Netty's paranoid leak detection on.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-machine.sh
exec mvn -B -ntp verify "$@"
