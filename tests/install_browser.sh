#!/usr/bin/env bash
# Install the browser that tests/test_browser.py drives: Debian's chromium (no Playwright
# download), chromium-driver (for Selenium users) and a Japanese font. Idempotent: exits at
# once when everything is already installed. Needs root (or sudo) and apt-get.
set -euo pipefail

PACKAGES=(chromium chromium-driver fonts-ipafont-gothic)

missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done

if [ "${#missing[@]}" -eq 0 ] && [ -x /usr/bin/chromium ]; then
    echo "install_browser: chromium and fonts already installed"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser: apt-get not found; install chromium yourself" >&2
    exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
    else
        echo "install_browser: need root (or passwordless sudo) to install: ${missing[*]}" >&2
        exit 1
    fi
fi

echo "install_browser: installing ${missing[*]:-chromium}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]:-chromium}" >/dev/null
test -x /usr/bin/chromium
echo "install_browser: done ($(/usr/bin/chromium --version 2>/dev/null || echo chromium))"
