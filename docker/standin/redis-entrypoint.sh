#!/bin/bash
# `redis-server [args]` runs as redis, on every interface, protected mode off; anything else as is.
set -euo pipefail
if [[ ${1:-} == redis-server ]]; then
  shift
  exec setpriv --reuid=redis --regid=redis --init-groups \
    redis-server --bind '* -::*' --protected-mode no "$@"
fi
exec "$@"
