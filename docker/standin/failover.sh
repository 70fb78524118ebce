# Sourced by run.sh once smoke.sh passed and left the stack running (KEEP=1). Checks that the
# proxy used both replicas, then SIGKILLs the replica that owns a running report and checks: the
# report completes through the proxy (the other replica takes its lease over), all three nodes
# reconnect to the survivor, and a new report completes there. FAILOVER=after kills coordinator-1
# after the smoke report instead (no report running). Uses run.sh's compose, step, fail.
ca="$repo/docker/.smoke/ca.pem"
base="https://localhost:${port}"
admin_token=$(cat "$repo/docker/secrets/admin-token")
api() { # method path [body] [token]
  curl -sS --fail-with-body --cacert "$ca" -X "$1" "$base$2" \
    -H "authorization: Bearer ${4:-$admin_token}" \
    ${3:+-H 'content-type: application/json' --data "$3"}
}
field() { grep -o "\"$1\":\"[^\"]*\"" | head -n 1 | sed 's/.*:"\(.*\)"/\1/'; }
# `docker exec` on container ids: a compose exec costs about a second, too slow for the race below.
cid() { compose ps -q "$1"; }
pg=$(cid postgres)
declare -A node_id
for n in transit-node payments-node planning-node; do node_id[$n]=$(cid "$n"); done
sql() { docker exec "$pg" psql -U concord -d concord -Atc "$1"; }
logged() { compose logs --no-color "$1" 2>/dev/null | grep -c "\"msg\":\"$2\"" || true; }
node_connected() { # service: the node's own metric, read as its healthcheck reads it
  docker exec "${node_id[$1]}" node -e "fetch('http://127.0.0.1:9464/metrics').then((r) => r.text()).then((t) => process.exit(/^concord_node_coordinator_connected 1$/m.test(t) ? 0 : 1), () => process.exit(1))"
}
now_ms() { date +%s%3N; }

step "the proxy balanced both replicas"
for replica in coordinator-1 coordinator-2; do
  printf '  %s: %s HTTP requests, %s node logins\n' "$replica" \
    "$(logged "$replica" 'http request')" "$(logged "$replica" 'agency node authenticated')"
done
for replica in coordinator-1 coordinator-2; do
  [[ $(logged "$replica" 'http request') -gt 0 ]] || fail "$replica served no request through the proxy"
done

analyst=$(api POST /admin/tokens '{"name":"failover-analyst","role":"analyst"}' | field token)
[[ -n $analyst ]] || fail 'no analyst token issued'
service_date=$(compose exec -T coordinator-2 cat /config/demo.json | sed -n 's/.*"serviceDate": *"\([^"]*\)".*/\1/p')
request() { # requestId suffix -> report id
  api POST /reports "{\"protocol\":\"revenue-per-boarding\",\"parameters\":{\"serviceDate\":\"$service_date\"},\"budget\":\"1/4\",\"requestId\":\"failover-$1-$(date +%s)\"}" "$analyst" | field id
}
await_report() { # id timeout-seconds -> final state on stdout
  local id=$1 until=$((SECONDS + $2)) state
  while :; do
    state=$(api GET "/reports/$1?values=false" '' "$analyst" 2>/dev/null | field state) || true
    [[ $state == completed || $state == aborted ]] && break
    ((SECONDS < until)) || break
    sleep 0.5
  done
  echo "$state"
}

if [[ ${FAILOVER:-1} == after ]]; then
  step "SIGKILL of coordinator-1 (the smoke report done)"
  owner=coordinator-1 survivor=coordinator-2
  owner_container=$(cid "$owner")
  killed_at=$(now_ms)
  docker kill "$owner_container" >/dev/null
  printf '  %s: %s\n' "$owner" "$(docker inspect --format '{{.State.Status}} (exit {{.State.ExitCode}}, restarts {{.RestartCount}})' "$owner_container")"
else
  step "a report, and SIGKILL of the replica that owns it while it runs"
  # The report takes under a second here, less than finding its owner: planning-node is paused
  # (SIGSTOP, for about a second, well under NODE_STALL_MS) so the session is still running at the
  # kill, then resumed.
  docker pause "${node_id[planning-node]}" >/dev/null
  id=$(request killed)
  [[ -n $id ]] || { docker unpause "${node_id[planning-node]}"; fail 'the report was not accepted'; }
  owner=''
  for _ in $(seq 1 100); do
    owner=$(sql "SELECT owner FROM sessions WHERE id = '$id' AND admitted_at IS NOT NULL")
    [[ -n $owner ]] && break
    sleep 0.1
  done
  [[ $owner == coordinator-1 || $owner == coordinator-2 ]] || fail "report $id not admitted by a replica (owner '$owner')"
  survivor=coordinator-1
  [[ $owner == coordinator-1 ]] && survivor=coordinator-2
  owner_container=$(cid "$owner")
  killed_at=$(now_ms)
  docker kill "$owner_container" >/dev/null
  state_at_kill=$(sql "SELECT state FROM sessions WHERE id = '$id'")
  docker unpause "${node_id[planning-node]}" >/dev/null
  echo "  report $id owned by $owner, state '$state_at_kill' at the kill; $owner killed (SIGKILL); planning-node resumed"
  state=$(await_report "$id" 120)
  done_ms=$(($(now_ms) - killed_at))
  new_owner=$(sql "SELECT owner FROM sessions WHERE id = '$id'")
  echo "  report $state ${done_ms} ms after the kill; owner now $new_owner"
  [[ $state == completed ]] || fail "the report did not complete after the kill (state '$state'): $(api GET "/reports/$id" '' "$analyst")"
  [[ $state_at_kill != completed ]] || fail 'the report had completed before the kill: the takeover was not exercised'
  [[ $new_owner == "$survivor" ]] || fail "the report was completed by $new_owner, not by $survivor"
  printf '  %s: %s\n' "$owner" "$(docker inspect --format '{{.State.Status}} (exit {{.State.ExitCode}}, restarts {{.RestartCount}})' "$owner_container")"

fi

step "the three nodes reconnect through the proxy to $survivor"
# The survivor forgets the dead replica's nodes after NODE_STALL_MS (5 s): wait past it, so
# "connected" below is what the survivor itself holds, not what the dead replica announced.
sleep 6
until_connected=$((SECONDS + 90))
while :; do
  connected=$(api GET /agencies '' "$analyst" | grep -o '"connected":true' | wc -l)
  nodes_up=0
  for n in transit-node payments-node planning-node; do node_connected "$n" && nodes_up=$((nodes_up + 1)); done
  [[ $connected -eq 3 && $nodes_up -eq 3 ]] && break
  ((SECONDS < until_connected)) || fail "after the kill: $connected of 3 agencies connected, $nodes_up of 3 nodes report a connection"
  sleep 1
done
for n in transit-node payments-node planning-node; do
  printf '  %s: %s\n' "$n" "$(docker logs "${node_id[$n]}" 2>&1 | grep -E 'disconnected from the coordinator|cannot reach|stopped answering|authenticated with the coordinator|refused' | tail -n 4 | sed 's/"pid":[0-9]*,"hostname":"[^"]*",//' | tr '\n' ' ')"
done
echo "  3 of 3 agencies connected (GET /agencies), 3 of 3 nodes report concord_node_coordinator_connected 1, $(($(now_ms) - killed_at)) ms after the kill"

step "a new report through the proxy, served by $survivor alone"
started=$(now_ms)
id2=$(request after)
[[ -n $id2 ]] || fail 'the report after the kill was not accepted'
state=$(await_report "$id2" 120)
echo "  report $id2 $state in $(($(now_ms) - started)) ms; owner $(sql "SELECT owner FROM sessions WHERE id = '$id2'")"
[[ $state == completed ]] || fail "the report after the kill did not complete: $(api GET "/reports/$id2" '' "$analyst")"
