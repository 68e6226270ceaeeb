# Stand-in for the official rust:1.63 image: Debian's rustc 1.63 and cargo with CARGO_HOME at
# /usr/local/cargo, as the official image has it. crates.io is out of reach here, so Cargo's
# crates.io source is replaced by the crates Debian packages (librust-*-dev install them under
# /usr/share/cargo/registry, each with the .cargo-checksum.json a directory source needs):
# serde_json and what it needs, enough for a small app. The replacement lives in CARGO_HOME's
# config.toml, outside CARGO_HOME/registry, so a cache mount on the registry leaves it alone.
FROM debian:bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates cargo rustc gcc libc6-dev librust-serde-json-dev \
 && rm -rf /var/lib/apt/lists/*
ENV CARGO_HOME=/usr/local/cargo RUST_VERSION=1.63.0 \
    PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p /usr/local/cargo/bin \
 && printf '%s\n' '[source.crates-io]' 'replace-with = "debian"' '' '[source.debian]' \
      'directory = "/usr/share/cargo/registry"' >/usr/local/cargo/config.toml \
 && chmod -R a+rwX /usr/local/cargo \
 && rustc --version && cargo --version
