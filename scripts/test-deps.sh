#!/usr/bin/env bash
# Installs and starts what Sambad's tests need on a Debian machine:
# Chromium (browser tests), poppler-utils and fonts (PDF reports),
# pgbouncer (pooler tests) and a PostgreSQL listening on 127.0.0.1:5432 when none answers there.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
# The PDF report tests read the PDF back with poppler's pdftotext, and lay
# out Devanagari, Arabic and emoji names with the fonts the Docker image has.
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
dpkg -s fonts-noto-core >/dev/null 2>&1 || need+=(fonts-noto-core)
dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || need+=(fonts-noto-color-emoji)
command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || need+=(pgbouncer)
pg_up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
pg_up || command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)

if ((${#need[@]})); then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "test-deps: installing ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if ! pg_up; then
  echo "test-deps: starting PostgreSQL"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  ver=$(ls /etc/postgresql | sort -V | tail -1)
  $sudo pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { echo "test-deps: PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1; }
  # Trust local TCP connections for the test user, as on the developers' machines.
  hba=/etc/postgresql/$ver/main/pg_hba.conf
  if ! grep -q 'sambad-tests' "$hba"; then
    printf '# sambad-tests\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n' | cat - "$hba" | $sudo tee "$hba.new" >/dev/null
    $sudo mv "$hba.new" "$hba"; $sudo chown postgres:postgres "$hba"
    $sudo pg_ctlcluster --skip-systemctl-redirect "$ver" main reload
  fi
  psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='test'" | grep -q 1 ||
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE test" >/dev/null
fi
