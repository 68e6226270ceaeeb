# Stand-in for the official python:3.11 image: Debian's Python 3.11 with pip, `python`/`pip`
# on PATH, and no EXTERNALLY-MANAGED marker (the official image has none, so `pip install`
# works system-wide as Dockerfiles expect).
FROM debian:bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates python3 python3-pip python3-venv \
 && rm -rf /var/lib/apt/lists/* \
 && rm -f /usr/lib/python3*/EXTERNALLY-MANAGED \
 && ln -sf python3 /usr/bin/python \
 && { [ -e /usr/bin/pip ] || ln -s pip3 /usr/bin/pip; } \
 && python --version && pip --version
ENV LANG=C.UTF-8 PYTHON_VERSION=3.11
CMD ["python3"]
