# Stand-in for the official node:N images (no registry is reachable): Node's release binary for
# the target platform and its npm (both from the npm registry) on the local debian:bookworm, with
# the traits caching depends on: a `node` user
# (uid/gid 1000, home /home/node), npm under /usr/local like the official image, and the
# toolchain the official (non-slim) image carries for native addons.
FROM debian:bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl git openssl procps make g++ python3 \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
ARG TARGETARCH
COPY node-${TARGETARCH} /usr/local/bin/node
COPY node_modules/ /usr/local/lib/node_modules/
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && if [ -d /usr/local/lib/node_modules/corepack ]; then \
      ln -s ../lib/node_modules/corepack/dist/corepack.js /usr/local/bin/corepack; fi \
 && node --version && npm --version
ARG NODE_VERSION
ENV NODE_VERSION=${NODE_VERSION}
# Node keeps its own CA list; the registries here sit behind a TLS-inspecting proxy whose CA
# only the system bundle holds.
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
