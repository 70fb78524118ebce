# Stand-in for redis:7.2.5-bookworm: Redis 7.0 from Debian's packages. Like the official image, it
# runs `redis-server …` as the redis user with protected mode off (the official build turns it off
# at compile time: without it, a password-less server refuses other containers).
ARG BASE=concord-standin/debian:bookworm
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server redis-tools \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown redis:redis /data
WORKDIR /data
COPY redis-entrypoint.sh /usr/local/bin/redis-entrypoint.sh
ENTRYPOINT ["/usr/local/bin/redis-entrypoint.sh"]
EXPOSE 6379
CMD ["redis-server"]
