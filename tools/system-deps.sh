#!/usr/bin/env bash
# Installs the Debian packages that the functional tests and benchmarks drive (curl, nginx, wrk),
# when their commands are missing. Usage: tools/system-deps.sh COMMAND...
set -euo pipefail
missing=()
for cmd in "$@"; do
  case "$cmd" in
    nginx) [[ -x /usr/sbin/nginx ]] || command -v nginx >/dev/null || missing+=(nginx) ;;
    *) command -v "$cmd" >/dev/null || missing+=("$cmd") ;;
  esac
done
((${#missing[@]} == 0)) && exit 0
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
  echo "system-deps: please install: ${missing[*]} (apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Installing a daemon must not start it: tests start their own nginx on loopback.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
fi
trap '((created_policy)) && rm -f "$policy"' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
