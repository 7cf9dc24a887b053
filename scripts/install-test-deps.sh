#!/usr/bin/env bash
# System packages the test suite uses: Debian's chromium for the UI tests.
# Root (as in CI) installs them; otherwise the browser tests skip with a reason.
set -uo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "install-test-deps: installing chromium from Debian's packages" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "install-test-deps: chromium could not be installed; browser tests will skip" >&2
else
  echo "install-test-deps: chromium missing and not root; browser tests will skip" >&2
fi
exit 0
