#!/usr/bin/env bash
# prometheus.sh: the Prometheus server, promtool and Alertmanager the stack tests start (test/stack/),
# from the Debian packages `prometheus` and `prometheus-alertmanager`. Idempotent: does nothing when
# the three binaries are on PATH. The packages' own system services are not started (policy-rc.d
# refuses them during the install): the tests start their own processes on free loopback ports with
# temporary data directories.
set -euo pipefail
if command -v prometheus > /dev/null && command -v promtool > /dev/null && command -v prometheus-alertmanager > /dev/null; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "prometheus.sh: installing the Debian packages prometheus and prometheus-alertmanager needs root" >&2
  exit 1
fi
command -v apt-get > /dev/null || { echo "prometheus.sh: apt-get is needed to install prometheus and prometheus-alertmanager" >&2; exit 1; }
echo "prometheus.sh: installing the Debian packages prometheus and prometheus-alertmanager…" >&2
# policy-rc.d exit code 101 tells invoke-rc.d not to start services during the install.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  created_policy=1
fi
cleanup() { if [ "$created_policy" = 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends prometheus prometheus-alertmanager > /tmp/recsysops-apt-prometheus.log 2>&1; then
  # a fresh machine has no package lists yet
  apt-get update -q > /dev/null
  apt-get install -y -q --no-install-recommends prometheus prometheus-alertmanager
fi
command -v prometheus > /dev/null && command -v promtool > /dev/null && command -v prometheus-alertmanager > /dev/null || {
  echo "prometheus.sh: installed, but prometheus, promtool or prometheus-alertmanager is still not on PATH" >&2
  exit 1
}
