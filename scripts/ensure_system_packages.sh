#!/usr/bin/env bash
# System libraries the Python packages need at run time: WeasyPrint (official slips as PDF) uses
# Pango and HarfBuzz. Debian's packages, installed only when missing.
set -euo pipefail
missing=()
have() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have "libpango-1.0.so.0" || missing+=(libpango-1.0-0)
have "libpangoft2-1.0.so.0" || missing+=(libpangoft2-1.0-0)
have "libharfbuzz-subset.so.0" || missing+=(libharfbuzz-subset0)
if [[ ${#missing[@]} -eq 0 ]]; then exit 0; fi
echo "Installing system libraries: ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
