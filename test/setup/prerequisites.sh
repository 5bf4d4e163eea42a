#!/usr/bin/env bash
# Before `npm test`: the two programs the suite drives that npm cannot install. DynamoDB Local runs on Java;
# the console's browser test drives Debian's Chromium (playwright-core downloads no browser). On a Debian
# machine where we are root, a missing Chromium is installed; anywhere else a missing one stops the run with
# the command to fix it, rather than letting tests skip.
set -euo pipefail

if ! command -v java >/dev/null 2>&1; then
  echo "npm test needs Java 17 or newer for DynamoDB Local (Debian: apt-get install openjdk-17-jre-headless)." >&2
  exit 1
fi

CHROMIUM="${TESSERA_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's Chromium for the console's browser test (once)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "npm test needs Chromium at $CHROMIUM for the console's browser test:" >&2
    echo "  sudo apt-get install chromium   (or set TESSERA_CHROMIUM to a Chromium binary)" >&2
    exit 1
  fi
fi
