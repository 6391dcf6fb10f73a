#!/usr/bin/env bash
# Runs every test suite the way CI does: installs what the tests need when it can, starts a throwaway
# PostgreSQL on loopback, checks both providers' migrations, runs the domain, integration and browser
# tests, and ends with one line: "N passed, N failed, N skipped".
# With CI=true a missing PostgreSQL or Chromium fails the run instead of skipping those cases.
set -euo pipefail
cd "$(dirname "$0")/.."

ci=${CI:-false}
say() { printf '==> %s\n' "$*" >&2; }

# 1. What the tests need: Debian's postgresql and chromium, installed when missing and we are root.
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x "${DUNWELL_CHROMIUM:-/usr/bin/chromium}" ] || need+=(chromium)
command -v npm >/dev/null || need+=(nodejs npm)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing ${need[*]}"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    say "missing ${need[*]} and cannot install (not root or no apt-get)"
  fi
fi

# 2. A throwaway PostgreSQL on loopback, unless one is already given.
pgdata=""
mailpid=""; maildata=""
cleanup() {
  if [ -n "$mailpid" ]; then kill "$mailpid" >/dev/null 2>&1 || true; fi
  if [ -n "$maildata" ]; then rm -rf "$maildata"; fi
  if [ -n "$pgdata" ]; then
    su postgres -s /bin/sh -c "$pgbin/pg_ctl -D $pgdata -m immediate stop" >/dev/null 2>&1 || true
    rm -rf "$pgdata"
  fi
}
trap cleanup EXIT
if [ -z "${DUNWELL_TEST_POSTGRES:-}" ]; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -n "$pgbin" ] && [ -x "$pgbin/initdb" ]; then
    port=${DUNWELL_TEST_PGPORT:-55432}
    pgdata=$(mktemp -d /tmp/dunwell-pg.XXXXXX)
    if [ "$(id -u)" = 0 ]; then chown postgres "$pgdata"; run_pg() { su postgres -s /bin/sh -c "$1"; }; else run_pg() { sh -c "$1"; }; fi
    run_pg "$pgbin/initdb -D $pgdata -A trust -U postgres >/dev/null"
    run_pg "$pgbin/pg_ctl -D $pgdata -w -o '-h 127.0.0.1 -p $port -k $pgdata -c fsync=off -c synchronous_commit=off -c max_connections=300' -l $pgdata/server.log start >/dev/null"
    export DUNWELL_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true"
    say "PostgreSQL on 127.0.0.1:$port"
  elif [ "$ci" = true ]; then
    echo "CI=true but no PostgreSQL server could be installed or started" >&2
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
  fi
fi
if [ "$ci" = true ] && [ ! -x "${DUNWELL_CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "CI=true but Chromium is missing" >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

# 2b. The OpenAPI tools (Redocly CLI, a client generator) at the versions tools/openapi/package-lock.json pins; the
#     OpenAPI tests lint and use the document the running app serves.
if command -v npm >/dev/null && command -v node >/dev/null; then
  npm ci --prefix tools/openapi --no-audit --no-fund --silent >/dev/null
elif [ "$ci" = true ]; then
  echo "CI=true but node and npm are missing: the OpenAPI lint must run in CI" >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

# 3. Build exactly what the lock files say, then check neither provider has model changes without a migration.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null

# 3a. A real SMTP and IMAP server on loopback (smtp4dev, pinned in dotnet-tools.json), unless one is already given.
#     It starts while the build runs; the tests deliver to it and read back through its HTTP API and IMAP.
if [ -z "${DUNWELL_TEST_MAIL:-}" ]; then
  smtp=${DUNWELL_TEST_SMTPPORT:-55425}; imap=${DUNWELL_TEST_IMAPPORT:-55143}; web=${DUNWELL_TEST_MAILWEBPORT:-55480}
  maildata=$(mktemp -d /tmp/dunwell-mail.XXXXXX)
  dotnet smtp4dev --nousersettings --baseappdatapath="$maildata" --db= --bindaddress=127.0.0.1 --hostname=localhost \
    --smtpport="$smtp" --imapport="$imap" --pop3port=0 --urls="http://127.0.0.1:$web" \
    --messagestokeep=100000 --sessionstokeep=100 >"$maildata/server.log" 2>&1 &
  mailpid=$!
  mailapi="http://127.0.0.1:$web"
  export DUNWELL_TEST_MAIL="smtp=127.0.0.1:$smtp;imap=127.0.0.1:$imap;api=$mailapi"
fi

dotnet restore dunwell.slnx --locked-mode >/dev/null
dotnet build dunwell.slnx --no-restore -c Release -v quiet -nologo
for context in SqliteDunwellDb PostgresDunwellDb; do
  dotnet ef migrations has-pending-model-changes --project src/Dunwell --context "$context" --configuration Release --no-build >/dev/null \
    || { echo "$context has model changes without a migration" >&2; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
done

# 3b. The mail server must answer before the tests start.
if [ -n "$mailpid" ]; then
  for _ in $(seq 1 120); do curl -sf "$mailapi/api/messages" >/dev/null 2>&1 && break; sleep 0.5; done
  if curl -sf "$mailapi/api/messages" >/dev/null 2>&1; then
    say "SMTP/IMAP server (smtp4dev) on 127.0.0.1:$smtp/$imap"
  else
    echo "the SMTP/IMAP server (smtp4dev) did not start:" >&2; tail -20 "$maildata/server.log" >&2 || true
    if [ "$ci" = true ]; then echo "0 passed, 1 failed, 0 skipped"; exit 1; fi
    unset DUNWELL_TEST_MAIL
  fi
fi

# 4. Every suite, with TRX reports to count from. Every test database is scanned for card numbers before it is
#    dropped (tests/Dunwell.Tests/Support/CardNumberScan.cs); the findings land in one file, checked after the last suite.
results=$(mktemp -d /tmp/dunwell-results.XXXXXX)
export DUNWELL_CARD_SCAN_FILE="$results/card-scan.txt"
: > "$DUNWELL_CARD_SCAN_FILE"
status=0
for project in tests/Dunwell.Domain.Tests tests/Dunwell.Tests; do
  dotnet test --project "$project" --no-build -c Release --report-trx --results-directory "$results" "$@" || status=$?
done

# 5. No card number stored in any test database (issue 9).
scanned=$(grep -c '^scanned ' "$DUNWELL_CARD_SCAN_FILE" || true)
if grep -q '^CARD NUMBER ' "$DUNWELL_CARD_SCAN_FILE"; then
  echo "Card numbers were stored in test databases:" >&2
  grep '^CARD NUMBER ' "$DUNWELL_CARD_SCAN_FILE" | sed 's/^CARD NUMBER /  /' >&2
  status=1
else
  say "card number scan: $scanned test databases, none found"
fi

# 6. The summary line, counted from the reports.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { printf '%s' "$counters" | grep -o "$1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
rm -rf "$results"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
