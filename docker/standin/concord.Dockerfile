# Stand-in for docker/Dockerfile's runtime stage, for a host whose containers cannot run `npm ci`
# (run.sh explains why): the same layout, user and mount points, with what run.sh built on the
# host: the Node.js binary that built it, dist/, production node_modules. The build context is
# run.sh's staging directory, not the repository.
ARG BASE=concord-standin/debian:bookworm
FROM ${BASE}
# openssl: the Compose setup makes the demo's private CA and the proxy's certificate with it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --create-home --shell /bin/bash node
COPY node /usr/local/bin/node
ENV NODE_ENV=production
WORKDIR /app
COPY package.json ./
COPY node_modules ./node_modules
COPY dist ./dist
COPY protocols ./protocols
COPY apps/coordinator/dashboard ./apps/coordinator/dashboard
# Mount points owned by the runtime user (uid 1000, `node`), as in docker/Dockerfile.
RUN mkdir -p /config /data /proxy-tls /keys/transit /keys/payments /keys/planning \
 && chown -R node:node /config /data /proxy-tls /keys
USER node
EXPOSE 3000
CMD ["node", "dist/apps/coordinator/src/main.js"]
