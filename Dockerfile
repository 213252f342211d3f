# Builds the wisselaar server into a small image. Used by docker-compose.yml.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /wisselaar .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /wisselaar /wisselaar
ENV DATA_DIR=/data
EXPOSE 8080
ENTRYPOINT ["/wisselaar"]
