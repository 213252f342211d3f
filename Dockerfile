# Builds the wisselaar server into a small image: a static binary (no cgo)
# on distroless, run as the unprivileged user nonroot. Used by
# docker-compose.yml.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /wisselaar .
# The data directory (uploaded documents without DOCUMENT_STORE_URL, the
# embedded database), owned by the unprivileged user the server runs as.
RUN mkdir /data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /wisselaar /wisselaar
COPY --from=build --chown=65532:65532 /data /data
USER 65532:65532
ENV DATA_DIR=/data
# Never the development provider in a container: it answers only requests
# from loopback, and behind a port mapping none is. Without OIDC_ISSUER the
# server then refuses to start and says why, instead of listening on the
# container's loopback where nobody can reach it.
ENV DEV_IDP=false
EXPOSE 8080
ENTRYPOINT ["/wisselaar"]
