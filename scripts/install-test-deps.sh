#!/usr/bin/env bash
# System packages the test suite uses: Debian's chromium (UI tests) and virtuoso-opensource
# (the remote-backend tests start a private Virtuoso on loopback). Never fails.
exec bash "$(dirname "$0")/install-debian.sh" test chromium:chromium virtuoso-t:virtuoso-opensource
