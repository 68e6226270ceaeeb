FROM debian:bookworm AS left
RUN for i in 1 2 3 4 5 6 7 8; do echo left $i; sleep 1.5; done; echo x > /left

FROM debian:bookworm AS right
RUN for i in 1 2 3 4 5 6 7 8; do echo right $i; sleep 1.3; done; echo done > /right

FROM debian:bookworm
ENV APP=demo
WORKDIR /srv
COPY --from=left /left ./
COPY --from=right /right ./
CMD ["cat", "/srv/left"]
