#!/usr/bin/env bash
# Install the Debian packages intake needs, when they are missing. Idempotent.
# Without root it installs nothing and names what is missing.
set -euo pipefail
PKGS=(tesseract-ocr tesseract-ocr-rus tesseract-ocr-kaz tesseract-ocr-eng libengine-gost-openssl fonts-dejavu-core openssl poppler-utils
  redis-server postgresql chromium)  # redis-server, postgresql: started on loopback by the tests (issue 13), never as services; chromium: tests/test_browser.py (issue 14)
python_bin="${PYTHON:-python3}"
if ! "$python_bin" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  PKGS+=(python3-venv)
fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "intake needs these system packages, and this system has no apt-get: ${missing[*]}" >&2
  echo "Install Tesseract 5 with the rus, kaz and eng language data, and the DejaVu fonts." >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "intake needs these Debian packages, and installing them needs root:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing system packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Redis and PostgreSQL are started on loopback by the tests that need them and stopped after:
# keep Debian from starting them as system services while installing (policy-rc.d, exit 101).
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
  trap 'rm -f "$policy"' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
