# Syft with a /bin/sh, for CodeBuild: the published Syft images are distroless (no shell, or
# /busybox/sh only in -debug), and CodeBuild starts buildspec commands with /bin/sh.
#
#   docker build -f syft.Dockerfile -t <registry>/gatehouse-syft:1.45.1 .   (e.g. your ECR repository)
#   docker push <registry>/gatehouse-syft:1.45.1
#   export GATEHOUSE_SYFT_IMAGE=<registry>/gatehouse-syft:1.45.1@sha256:<pushed digest>
#
# anchore/syft is referenced by tag (no published digest was found); alpine 3.21.3 by the digest
# that many public Dockerfiles pin for that tag.
FROM anchore/syft:v1.45.1 AS syft

FROM alpine:3.21.3@sha256:a8560b36e8b8210634f77d9f7f9efd7ffa463e380b75e2e74aff4511df3ef88c
COPY --from=syft /syft /usr/local/bin/syft
