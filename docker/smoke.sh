#!/usr/bin/env bash
# One-command smoke test of docker/compose.yaml, for anyone with a container engine:
#
#   docker/smoke.sh
#
# Builds the image, starts PostgreSQL, Redis, the setup job, two coordinator replicas, the TLS
# proxy and three agency nodes, waits for every healthcheck, asks for a report through the proxy
# (HTTPS, verified against the stack's own CA), checks that it completes, and tears everything
# down (volumes included). Needs: docker with the compose plugin, docker-compose, or podman with
# podman-compose; curl. No CI, no Node.js on the host.
#
# Environment:
#   KEEP=1                        leave the stack running (and its volumes) at the end
#   SMOKE_SKIP_BUILD=1            use the concord:local image already present
#   CONCORD_COMPOSE_OVERRIDE=f    add `-f f` (an override file) to every compose command
#   CONCORD_PROXY_PORT=8443       host port of the proxy (bound to 127.0.0.1)
#   SMOKE_TIMEOUT=300             seconds to wait for the stack, then for the report
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
port=${CONCORD_PROXY_PORT:-8443}
timeout=${SMOKE_TIMEOUT:-300}
base="https://localhost:${port}"
work="$here/.smoke"

step() { printf '\n==> %s\n' "$*"; }
fail() {
  printf '\nsmoke: FAILED: %s\n' "$*" >&2
  exit 1
}

# --- the engine and its compose -------------------------------------------------------------
if docker compose version >/dev/null 2>&1; then
  engine=docker compose_cmd=(docker compose)
elif command -v docker-compose >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  engine=docker compose_cmd=(docker-compose)
elif command -v podman-compose >/dev/null 2>&1; then
  engine=podman compose_cmd=(podman-compose)
else
  fail 'no container engine with compose found (docker compose, docker-compose or podman-compose)'
fi
command -v curl >/dev/null || fail 'curl is needed'
files=(-f "$here/compose.yaml")
[[ -n ${CONCORD_COMPOSE_OVERRIDE:-} ]] && files+=(-f "$CONCORD_COMPOSE_OVERRIDE")
compose() { "${compose_cmd[@]}" -p concord-smoke "${files[@]}" "$@"; }

services=(postgres redis init coordinator-1 coordinator-2 proxy transit-node payments-node planning-node)

finish() {
  local status=$?
  if [[ $status -ne 0 ]]; then
    step "last log lines of every service"
    compose logs --tail 30 2>&1 | tail -n 300 || true
  fi
  if [[ ${KEEP:-0} == 1 ]]; then
    step "KEEP=1: the stack keeps running (https://localhost:${port}/, CA in $work/ca.pem)"
  else
    step "tearing down (containers and volumes)"
    compose down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  [[ $status -eq 0 ]] && printf '\nsmoke: OK\n'
  exit $status
}

# --- secrets --------------------------------------------------------------------------------
step "secrets (docker/secrets, created once)"
mkdir -p "$here/secrets"
chmod 700 "$here/secrets"
for name in postgres-password admin-token; do
  file="$here/secrets/$name"
  if [[ ! -s $file ]]; then
    # 48 random bytes, URL-safe; no trailing newline.
    head -c 48 /dev/urandom | base64 | tr -d '\n=' | tr '+/' '-_' >"$file"
    echo "  created $file"
  fi
  # World-readable inside the 0700 directory: the container users (uid 1000, postgres) must read
  # the bind-mounted file, while no other host user can reach it.
  chmod 644 "$file"
done
admin_token=$(cat "$here/secrets/admin-token")

trap finish EXIT
mkdir -p "$work"

if [[ ${SMOKE_SKIP_BUILD:-0} != 1 ]]; then
  step "building the image (docker/Dockerfile)"
  compose build
fi

step "starting the stack"
compose up -d

# --- wait for every healthcheck -------------------------------------------------------------
container_state() {
  local id
  id=$(compose ps -q "$1" 2>/dev/null | head -n 1)
  [[ -z $id ]] && { echo missing; return; }
  "$engine" inspect --format '{{.State.Status}} {{.State.ExitCode}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$id"
}
step "waiting for every service to be healthy (at most ${timeout}s)"
deadline=$((SECONDS + timeout))
for service in "${services[@]}"; do
  while :; do
    read -r status code health <<<"$(container_state "$service")"
    if [[ $service == init ]]; then
      [[ $status == exited && $code == 0 ]] && break
      [[ $status == exited ]] && fail "init exited with $code"
    else
      [[ $health == healthy ]] && break
      [[ $status == exited ]] && fail "$service exited with $code"
    fi
    ((SECONDS < deadline)) || fail "$service is not healthy after ${timeout}s (state: $status $health)"
    sleep 2
  done
  printf '  %-14s %s\n' "$service" "$([[ $service == init ]] && echo 'done' || echo healthy)"
done

# --- a report through the proxy -------------------------------------------------------------
compose exec -T coordinator-1 cat /config/tls/ca.pem >"$work/ca.pem"
service_date=$(compose exec -T coordinator-1 cat /config/demo.json | sed -n 's/.*"serviceDate": *"\([^"]*\)".*/\1/p')
[[ -n $service_date ]] || fail 'no service date in /config/demo.json'

api() { # method path [body] [token]
  curl -sS --fail-with-body --cacert "$work/ca.pem" -X "$1" "$base$2" \
    -H "authorization: Bearer ${4:-$admin_token}" \
    ${3:+-H 'content-type: application/json' --data "$3"}
}
# The first "key":"value" of a JSON text (the top-level one in what the API returns).
field() { grep -o "\"$1\":\"[^\"]*\"" | head -n 1 | sed 's/.*:"\(.*\)"/\1/'; }

step "TLS: the proxy's certificate verifies against the stack's CA; plain HTTP gets nothing useful"
curl -sS --fail --cacert "$work/ca.pem" -o /dev/null "$base/health" || fail 'HTTPS /health failed'
if curl -sS --fail -o /dev/null "http://localhost:${port}/health" 2>/dev/null; then
  fail 'plain HTTP was answered'
fi
echo '  ok'

step "issuing an analyst token with the admin token"
analyst=$(api POST /admin/tokens '{"name":"smoke-analyst","role":"analyst"}' | field token)
[[ -n $analyst ]] || fail 'no analyst token issued'
echo '  ok'

step "waiting for the three agency nodes to be connected"
while :; do
  connected=$(api GET /agencies '' "$analyst" | grep -o '"connected":true' | wc -l)
  [[ $connected -eq 3 ]] && break
  ((SECONDS < deadline + timeout)) || fail "only $connected of 3 agencies connected"
  sleep 2
done
echo '  3 of 3 connected'

step "requesting a revenue-per-boarding report for $service_date"
request="{\"protocol\":\"revenue-per-boarding\",\"parameters\":{\"serviceDate\":\"$service_date\"},\"budget\":\"1/4\",\"requestId\":\"smoke-$(date +%s)\"}"
id=$(api POST /reports "$request" "$analyst" | field id)
[[ -n $id ]] || fail 'the report was not accepted'
echo "  report $id"

report_deadline=$((SECONDS + timeout))
while :; do
  state=$(api GET "/reports/$id?values=false" '' "$analyst" | field state)
  [[ $state == completed || $state == aborted ]] && break
  ((SECONDS < report_deadline)) || fail "report still $state after ${timeout}s"
  sleep 1
done
api GET "/reports/$id" '' "$analyst" >"$work/report.json"
[[ $state == completed ]] || fail "report aborted: $(cat "$work/report.json")"
# The released outputs' names (the values are noisy aggregates; they stay in report.json).
outputs=$(sed 's/.*"outputs":\[//' "$work/report.json" | grep -o '"name":"[^"]*","title"' |
  sed 's/"name":"\([^"]*\)","title"/    \1/')
[[ -n $outputs ]] || fail "no outputs in the report: $(cat "$work/report.json")"
echo "  completed; noisy outputs:"
echo "$outputs"
