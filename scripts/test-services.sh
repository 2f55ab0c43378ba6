#!/usr/bin/env bash
# Make sure what the tests need outside Python is there: Debian's chromium and CJK fonts for the
# browser test, Pango (WeasyPrint's PDFs) and poppler's pdftoppm (which renders them), Java for the Spark engine's tests, and a PostgreSQL server.
# Writes build/test-env with XIETONG_TEST_PG_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} from Debian …"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

url=""
if [ -n "${XIETONG_TEST_PG_URL:-}" ]; then
  url="$XIETONG_TEST_PG_URL"
elif pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  url="postgresql+psycopg://postgres@127.0.0.1:5432/test"
else
  # Try the machine's own cluster first, then a private one on port 55432.
  if ls /etc/postgresql/*/main >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    psql -h 127.0.0.1 -U postgres -d postgres -tc "SELECT 1 FROM pg_database WHERE datname='test'" \
      | grep -q 1 || psql -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE test" || true
    url="postgresql+psycopg://postgres@127.0.0.1:5432/test"
  else
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
    dir="$PWD/build/pgdata"
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      if [ "$(id -u)" -eq 0 ]; then
        chown postgres "$dir"
        runuser -u postgres -- "$bin/initdb" -A trust -E UTF8 -U postgres -D "$dir" >/dev/null
      else
        "$bin/initdb" -A trust -E UTF8 -U postgres -D "$dir" >/dev/null
      fi
    fi
    if [ "$(id -u)" -eq 0 ]; then
      runuser -u postgres -- "$bin/pg_ctl" -w -D "$dir" -o "-p 55432 -k $dir -h 127.0.0.1" -l "$dir/log" start >/dev/null || true
    else
      "$bin/pg_ctl" -w -D "$dir" -o "-p 55432 -k $dir -h 127.0.0.1" -l "$dir/log" start >/dev/null || true
    fi
    psql -h 127.0.0.1 -p 55432 -U postgres -d postgres -tc "SELECT 1 FROM pg_database WHERE datname='test'" \
      | grep -q 1 || psql -h 127.0.0.1 -p 55432 -U postgres -d postgres -c "CREATE DATABASE test" >/dev/null
    url="postgresql+psycopg://postgres@127.0.0.1:55432/test"
  fi
fi
echo "XIETONG_TEST_PG_URL=$url" > build/test-env
echo "PostgreSQL for tests: $url"
