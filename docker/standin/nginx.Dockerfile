# Stand-in for nginx:1.27.4-bookworm: nginx 1.22 from Debian's packages, in the foreground, with
# curl for the healthcheck compose.yaml gives the proxy (the official image has curl too).
ARG BASE=concord-standin/debian:bookworm
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/*
EXPOSE 8443
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
