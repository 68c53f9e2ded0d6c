#!/usr/bin/env bash
# Installs acumat as a system service on Raspberry Pi OS (Bookworm or later), in one command:
#
#     sudo scripts/install.sh
#
# System packages, a virtual environment in /opt/acumat/venv, `acumat` on the PATH
# (/usr/local/bin/acumat, a link into the venv), the system user "acumat" (in the gpio group),
# a commented default /etc/acumat/config.toml (never overwritten) whose [storage] dir is the
# service's state directory (/var/lib/acumat), so `acumat calibrate`, `acumat history` and
# `acumat report` given that config use the service's files, an empty root-only
# /etc/acumat/mqtt_password, every doc in /opt/acumat/docs, and acumat.service enabled and
# started. Running it again changes nothing unless the sources changed. Undo with
# scripts/uninstall.sh.
#
# Environment (all optional; the test suite uses them to install into a temporary root):
#   ACUMAT_ROOT=/tmp/x         prefix for every path; steps that touch the running system
#                              (apt, useradd, systemctl start) are skipped, and the unit is
#                              enabled with `systemctl --root`
#   ACUMAT_SKIP_APT=1          do not apt-get install
#   ACUMAT_SKIP_USER=1         do not create the user / gpio group
#   ACUMAT_SKIP_SYSTEMCTL=1    do not enable or start the unit
#   ACUMAT_PACKAGE=PATH        what pip installs (default: this checkout); a wheel works
#   ACUMAT_EXTRAS=pi           pip extras (default "pi": lgpio and the Adafruit driver)
#   ACUMAT_PIP_ARGS="..."      extra pip arguments (e.g. --no-deps --no-index)
#   ACUMAT_PYTHON=python3      the interpreter the venv is made from
set -euo pipefail
# Whatever umask root has (077 is common on hardened systems), what the service user must read
# (the venv, the unit, the config) is made 755/644; the one secret, mqtt_password, is 0600 by
# an explicit mode. The config holds no password: [mqtt] refuses one (password_file only).
umask 022

src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="${ACUMAT_ROOT:-}"
root="${root%/}"
if [ -n "$root" ]; then live=0; else live=1; fi
skip_apt="${ACUMAT_SKIP_APT:-$((1 - live))}"
skip_user="${ACUMAT_SKIP_USER:-$((1 - live))}"
skip_systemctl="${ACUMAT_SKIP_SYSTEMCTL:-0}"
package="${ACUMAT_PACKAGE:-$src}"
extras="${ACUMAT_EXTRAS-pi}"
python="${ACUMAT_PYTHON:-python3}"
read -r -a pip_args <<<"${ACUMAT_PIP_ARGS:-}"

prefix="$root/opt/acumat"
venv="$prefix/venv"
etc="$root/etc/acumat"
unit_dir="$root/etc/systemd/system"
bin_link="$root/usr/local/bin/acumat"
state_dir=/var/lib/acumat # the unit's StateDirectory=acumat, as the running system sees it
changed=0

say() { echo "acumat-install: $*"; }

need_root() {
  if [ "$live" -eq 1 ] && [ "$(id -u)" -ne 0 ]; then
    echo "acumat-install: run as root (sudo $0)" >&2
    exit 1
  fi
}

# Copies $1 to $2 with mode $3 only when the content differs (so a re-run touches nothing).
put() {
  if [ -f "$2" ] && cmp -s "$1" "$2"; then return 0; fi
  install -D -m "$3" "$1" "$2"
  say "wrote $2"
  changed=1
}

system_packages() {
  [ "$skip_apt" = 1 ] && return 0
  local want=(python3-venv python3-pip python3-lgpio) missing=()
  for pkg in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  say "apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

system_user() {
  [ "$skip_user" = 1 ] && return 0
  # The unit's SupplementaryGroups=gpio fails to start (216/GROUP) if the group is missing.
  getent group gpio >/dev/null || { groupadd --system gpio; say "created group gpio"; }
  if ! id acumat >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /var/lib/acumat --no-create-home \
      --shell /usr/sbin/nologin --comment "acumat mat service" acumat
    say "created user acumat"
  fi
  id -nG acumat | tr ' ' '\n' | grep -qx gpio || { usermod -aG gpio acumat; say "acumat joins gpio"; }
}

# A digest of what pip would install: unchanged sources skip the (slow) pip step.
package_digest() {
  if [ -f "$package" ]; then
    sha256sum "$package" | cut -d' ' -f1
  else
    (cd "$package" && find pyproject.toml firmware controller -type f -name '*.py' -o -name pyproject.toml \
      | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)
  fi
}

virtual_env() {
  if [ ! -x "$venv/bin/python" ]; then
    # System site packages: Debian's python3-lgpio is used instead of building lgpio.
    "$python" -m venv --system-site-packages "$venv"
    say "created $venv"
    changed=1
  fi
  local stamp="$venv/.acumat-installed" want spec="$package"
  want="$(package_digest) extras=$extras"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  [ -n "$extras" ] && spec="$package[$extras]"
  "$venv/bin/pip" install -q --disable-pip-version-check "${pip_args[@]}" --upgrade "$spec"
  echo "$want" >"$stamp"
  say "installed acumat into $venv"
  changed=1
}

# The shipped config with [storage] dir set to the service's state directory: the service and
# every command run with this config then share one history and one calibration.
installed_config() {
  sed -e 's|^# \[storage\]$|[storage]|' \
    -e "s|^# dir = .*|dir = \"$state_dir\"   # the service's StateDirectory: commands given this config share it|" \
    "$src/config/config.toml"
}

configuration() {
  install -d -m 0755 "$etc"
  put "$src/config/config.toml" "$prefix/share/config.toml.default" 0644
  # The user's own config is never overwritten; the shipped default sits next to the venv.
  if [ ! -f "$etc/config.toml" ]; then
    local tmp
    tmp="$(mktemp)"
    installed_config >"$tmp"
    put "$tmp" "$etc/config.toml" 0644
    rm -f "$tmp"
  elif ! grep -q '^dir *=' "$etc/config.toml"; then
    say "note: $etc/config.toml sets no [storage] dir; add dir = \"$state_dir\" so that" \
      "commands run by hand use the service's history and calibration"
  fi
  # LoadCredential= needs the file to exist; empty means "no password yet".
  if [ ! -f "$etc/mqtt_password" ]; then
    install -m 0600 /dev/null "$etc/mqtt_password"
    say "created $etc/mqtt_password (empty, root only)"
    changed=1
  fi
  # All the docs or none: the guides link to the others, to ha/ and img/, and to the wiring.
  local doc
  while IFS= read -r doc; do
    put "$src/$doc" "$prefix/$doc" 0644
  done < <(cd "$src" && find docs -type f | LC_ALL=C sort; echo hardware/schematics/acumat-wiring.png)
  return 0
}

# `acumat` on the PATH: a link into the venv (a file of ours is replaced, anyone else's kept).
command_link() {
  local target=/opt/acumat/venv/bin/acumat
  if [ -L "$bin_link" ] && [ "$(readlink "$bin_link")" = "$target" ]; then return 0; fi
  if [ -e "$bin_link" ] && [ ! -L "$bin_link" ]; then
    say "note: $bin_link exists and is not ours; run $target"
    return 0
  fi
  install -d -m 0755 "$(dirname "$bin_link")"
  ln -sfn "$target" "$bin_link"
  say "linked $bin_link -> $target"
  changed=1
}

service_unit() {
  put "$src/systemd/acumat.service" "$unit_dir/acumat.service" 0644
  [ "$skip_systemctl" = 1 ] && return 0
  if [ "$live" -eq 0 ]; then
    # Offline: only the [Install] symlinks, nothing is started.
    systemctl --root="$root" --quiet enable acumat.service
    return 0
  fi
  "$venv/bin/acumat" check-config "$etc/config.toml"
  systemctl daemon-reload
  systemctl --quiet enable acumat.service
  if [ "$changed" -eq 1 ] || ! systemctl --quiet is-active acumat.service; then
    systemctl restart acumat.service
    say "acumat.service (re)started; logs: journalctl -u acumat -f"
  fi
}

need_root
system_packages
system_user
virtual_env
command_link
configuration
service_unit
if [ "$changed" -eq 0 ]; then say "already installed, nothing changed"; else say "done"; fi
