FROM --platform=$BUILDPLATFORM debian:bookworm AS build
ARG TARGETARCH
RUN echo "built for $TARGETARCH" > /out.txt
FROM debian:bookworm
COPY --from=build /out.txt /out.txt
RUN cat /out.txt
