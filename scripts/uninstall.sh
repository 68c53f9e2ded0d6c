#!/usr/bin/env bash
# Removes the acumat service and its program files; the mat's data stays unless asked:
#
#     sudo scripts/uninstall.sh            # keeps /etc/acumat, /var/lib/acumat and the user
#     sudo scripts/uninstall.sh --purge    # removes those too (history, calibration, config)
#
# ACUMAT_ROOT, ACUMAT_SKIP_USER and ACUMAT_SKIP_SYSTEMCTL work as in install.sh.
set -euo pipefail

purge=0
case "${1:-}" in
  --purge) purge=1 ;;
  "") ;;
  *) echo "usage: $0 [--purge]" >&2; exit 2 ;;
esac
root="${ACUMAT_ROOT:-}"
root="${root%/}"
if [ -n "$root" ]; then live=0; else live=1; fi
skip_user="${ACUMAT_SKIP_USER:-$((1 - live))}"
skip_systemctl="${ACUMAT_SKIP_SYSTEMCTL:-0}"
unit="$root/etc/systemd/system/acumat.service"

say() { echo "acumat-uninstall: $*"; }

if [ "$live" -eq 1 ] && [ "$(id -u)" -ne 0 ]; then
  echo "acumat-uninstall: run as root (sudo $0)" >&2
  exit 1
fi

if [ "$skip_systemctl" != 1 ] && [ -f "$unit" ]; then
  if [ "$live" -eq 1 ]; then
    # SIGTERM: the service saves the running session and says offline before it exits.
    systemctl disable --now acumat.service || true
  else
    systemctl --root="$root" --quiet disable acumat.service || true
  fi
fi
rm -f "$unit"
[ "$live" -eq 1 ] && [ "$skip_systemctl" != 1 ] && systemctl daemon-reload
rm -rf "$root/opt/acumat"
link="$root/usr/local/bin/acumat"
if [ -L "$link" ] && [ "$(readlink "$link")" = /opt/acumat/venv/bin/acumat ]; then rm -f "$link"; fi
say "removed the service, /opt/acumat and /usr/local/bin/acumat"

if [ "$purge" -eq 1 ]; then
  rm -rf "$root/etc/acumat" "$root/var/lib/acumat" "$root/var/lib/private/acumat"
  if [ "$skip_user" != 1 ] && id acumat >/dev/null 2>&1; then userdel acumat; fi
  say "purged configuration, history and calibration"
else
  say "kept $root/etc/acumat and $root/var/lib/acumat (use --purge to remove them)"
fi
