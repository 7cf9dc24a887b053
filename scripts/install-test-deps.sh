#!/usr/bin/env bash
# System packages the test suite uses: Debian's chromium (UI tests) and virtuoso-opensource
# (the remote-backend tests start a private Virtuoso on loopback). Root (as in CI) installs what
# is missing; otherwise those tests skip with a reason. Never fails.
set -uo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v virtuoso-t >/dev/null 2>&1 || missing+=(virtuoso-opensource)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "install-test-deps: installing ${missing[*]} from Debian's packages" >&2
  apt-get update -qq || true
  for pkg in "${missing[@]}"; do
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null \
      || echo "install-test-deps: $pkg could not be installed; its tests will skip" >&2
  done
else
  echo "install-test-deps: ${missing[*]} missing and not root; their tests will skip" >&2
fi
exit 0
