FROM debian:bookworm AS one
RUN echo one-start && sleep 2 && echo one-end > /one

FROM debian:bookworm AS two
RUN echo two-start && sleep 1 && echo two-end > /two

FROM debian:bookworm
COPY --from=one /one /one
COPY --from=two /two /two
RUN echo about to fail && ls /missing
