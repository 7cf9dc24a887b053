#!/usr/bin/env bash
# Install the Debian packages a job uses, where missing: each argument after the job's name is
# COMMAND:PACKAGE (the package is installed when the command is not on PATH). Root (as in CI)
# installs with apt-get; otherwise what needs the package skips with a reason. Never fails.
set -uo pipefail
job=$1
shift
missing=()
for pair in "$@"; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "install-debian ($job): installing ${missing[*]} from Debian's packages" >&2
  apt-get update -qq || true
  for pkg in "${missing[@]}"; do
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null \
      || echo "install-debian ($job): $pkg could not be installed; what needs it will skip" >&2
  done
else
  echo "install-debian ($job): ${missing[*]} missing and not root; what needs it will skip" >&2
fi
exit 0
