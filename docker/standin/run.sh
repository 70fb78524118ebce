#!/usr/bin/env bash
# Runs docker/smoke.sh, unchanged, against stand-in images built here, for a host that runs a
# Docker engine but can neither pull images nor run `npm ci` inside a container (README.md beside
# this file). Then, unless FAILOVER=0, SIGKILLs the coordinator replica that owns a running report
# and checks that the report, and the consortium, carry on through the proxy on the other one.
#
#   docker/standin/run.sh
#
# Needs, on the host: a running Docker engine, docker-compose (or `docker compose`), debootstrap
# (the first time only: it makes the Debian base image), Node.js and npm (dist/ and production
# node_modules are built here), curl, and access to Debian's package mirror and to npm.
#
# Environment:
#   FAILOVER=0          stop after the smoke test; FAILOVER=after: kill coordinator-1 after it
#   KEEP=1              leave the stack running at the end (and its volumes)
#   CLEAN=1             remove every image this script built at the end (base included)
#   DEBIAN_MIRROR=url   for debootstrap and apt (default http://deb.debian.org/debian)
#   CONCORD_PROXY_PORT, SMOKE_TIMEOUT   as for smoke.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
port=${CONCORD_PROXY_PORT:-8443}
base_image=concord-standin/debian:bookworm
images=(concord-standin/postgres:15 concord-standin/redis:7 concord-standin/nginx:1.22 concord:local)
# The classic builder: it takes `--network host` without BuildKit entitlements.
export DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-0}

step() { printf '\n==> [%4ss] %s\n' "$SECONDS" "$*"; }
fail() {
  printf '\nstandin: FAILED: %s\n' "$*" >&2
  exit 1
}

command -v docker >/dev/null || fail 'docker is needed'
docker info >/dev/null 2>&1 || fail 'the Docker engine does not answer (start dockerd first)'
if docker compose version >/dev/null 2>&1; then
  compose_cmd=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose_cmd=(docker-compose)
else
  fail 'no compose found (docker compose or docker-compose)'
fi
command -v node >/dev/null && command -v npm >/dev/null || fail 'Node.js and npm are needed on the host'
compose() {
  "${compose_cmd[@]}" -p concord-smoke -f "$repo/docker/compose.yaml" -f "$here/compose.standin.yaml" "$@"
}

# --- the Debian base, from Debian's packages -------------------------------------------------
if ! docker image inspect "$base_image" >/dev/null 2>&1; then
  step "base image $base_image (debootstrap, Debian 12 minbase)"
  command -v debootstrap >/dev/null || fail 'debootstrap is needed once (apt-get install debootstrap)'
  rootfs=$(mktemp -d)
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 ||
    fail "debootstrap failed: $(tail -n 5 "$rootfs.log")"
  security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
  printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s bookworm-security main\n' \
    "$mirror" "$mirror" "$security" >"$rootfs/etc/apt/sources.list"
  # No service starts while a package installs in a build.
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
  chmod +x "$rootfs/usr/sbin/policy-rc.d"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' - "$base_image" >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
fi

# --- the stand-ins for PostgreSQL, Redis and nginx -------------------------------------------
for pair in postgres:concord-standin/postgres:15 redis:concord-standin/redis:7 nginx:concord-standin/nginx:1.22; do
  name=${pair%%:*}
  step "image ${pair#*:} ($name.Dockerfile)"
  docker build -q --network host --build-arg "BASE=$base_image" -t "${pair#*:}" \
    -f "$here/$name.Dockerfile" "$here" >/dev/null
done

# --- the Concord image from host-built artefacts ---------------------------------------------
step "host build: npm run build"
(
  cd "$repo"
  [[ -d node_modules ]] || npm ci --no-audit --no-fund
  npm run build >/dev/null
)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
step "production node_modules (npm ci --omit=dev) in $stage"
cp "$repo/package.json" "$repo/package-lock.json" "$stage/"
(cd "$stage" && npm ci --omit=dev --no-audit --no-fund >/dev/null)
mkdir -p "$stage/apps/coordinator"
cp -a "$repo/dist" "$repo/protocols" "$stage/"
cp -a "$repo/apps/coordinator/dashboard" "$stage/apps/coordinator/"
cp "$(readlink -f "$(command -v node)")" "$stage/node"
step "image concord:local (concord.Dockerfile, Node.js $(node --version) from the host)"
previous=$(docker image inspect --format '{{.Id}}' concord:local 2>/dev/null || true)
docker build -q --network host --build-arg "BASE=$base_image" -t concord:local \
  -f "$here/concord.Dockerfile" "$stage" >/dev/null
# The image it replaces (an earlier run's) would stay behind untagged.
if [[ -n $previous && $previous != "$(docker image inspect --format '{{.Id}}' concord:local)" ]]; then
  docker rmi "$previous" >/dev/null 2>&1 || true
fi
rm -rf "$stage"

finish() {
  local status=$?
  rm -rf "$stage"
  if [[ ${KEEP:-0} != 1 ]]; then
    step "tearing down (containers and volumes)"
    compose down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  if [[ ${CLEAN:-0} == 1 ]]; then
    step "removing the images built here"
    docker rmi "${images[@]}" "$base_image" >/dev/null 2>&1 || true
  fi
  [[ $status -eq 0 ]] && printf '\nstandin: OK (%s s)\n' "$SECONDS"
  exit $status
}
trap finish EXIT

# --- smoke.sh, unchanged ---------------------------------------------------------------------
step "docker/smoke.sh with the stand-ins (SMOKE_SKIP_BUILD=1, CONCORD_COMPOSE_OVERRIDE)"
smoke_start=$SECONDS
keep_smoke=1
[[ ${FAILOVER:-1} == 0 ]] && keep_smoke=${KEEP:-0}
KEEP=$keep_smoke SMOKE_SKIP_BUILD=1 CONCORD_COMPOSE_OVERRIDE="$here/compose.standin.yaml" \
  "$repo/docker/smoke.sh"
echo "  smoke.sh took $((SECONDS - smoke_start)) s"

[[ ${FAILOVER:-1} == 0 ]] && exit 0

# --- both replicas served; then one is killed ------------------------------------------------
. "$here/failover.sh"
