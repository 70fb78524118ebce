# Stand-in for postgres:15.13-bookworm: PostgreSQL 15 from Debian's packages, with the part of
# the official image's interface that compose.yaml uses: POSTGRES_USER, POSTGRES_DB,
# POSTGRES_PASSWORD_FILE, data in /var/lib/postgresql/data, pg_isready and psql on the PATH,
# local (socket) connections trusted, network connections by password (scram-sha-256).
ARG BASE=concord-standin/debian:bookworm
FROM ${BASE}
# No "main" cluster at install: the entrypoint initialises the volume's.
RUN mkdir -p /etc/postgresql-common/createcluster.d \
 && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/standin.conf \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
 && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql \
 && chmod 700 /var/lib/postgresql/data
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint.sh
ENTRYPOINT ["/usr/local/bin/postgres-entrypoint.sh"]
EXPOSE 5432
CMD ["postgres"]
