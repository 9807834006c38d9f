#!/usr/bin/env sh
# Installs Debian's chromium package for the status page browser tests (cli/src/test/.../StatusPageIT),
# unless a Chromium is already on the PATH (or BEN_CHROMIUM points to one). Idempotent; safe to call from CI:
#   cli/install-chromium.sh
# Without root or apt-get it only explains what to do: the browser tests then skip with a clear message.
set -eu
if [ -n "${BEN_CHROMIUM:-}" ] && [ -x "$BEN_CHROMIUM" ]; then
  echo "chromium: using BEN_CHROMIUM=$BEN_CHROMIUM"; exit 0
fi
for name in chromium chromium-browser google-chrome; do
  if command -v "$name" >/dev/null 2>&1; then
    echo "chromium: found $(command -v "$name")"; exit 0
  fi
done
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium: not installed and no apt-get here; install Chromium and/or set BEN_CHROMIUM=/path/to/chromium" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "chromium: not installed; run as root: apt-get update && apt-get install -y chromium" >&2; exit 0
  fi
fi
echo "chromium: installing Debian's chromium package ..."
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "chromium: installed $(command -v chromium)"
