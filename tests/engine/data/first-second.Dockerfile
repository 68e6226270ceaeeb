FROM debian:bookworm AS base
WORKDIR /app
COPY a.txt ./
RUN echo building && sleep 1 && cat a.txt > b.txt

FROM base AS final
COPY --from=base /app/b.txt /c.txt
RUN ls -l /c.txt
