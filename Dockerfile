# The lab's container: oneway on a Debian base. The binary is built on the host first
# (`cargo build --release`) and copied in, so the base needs a glibc at least as new as the host's
# (Debian 12 or newer hosts: the default base; otherwise pass --build-arg BASE=...).
#
# Where no registry can be reached, docker/make-base.sh builds the base locally with debootstrap
# and tags it debian:bookworm-slim; nothing else changes.
ARG BASE=debian:bookworm-slim
FROM ${BASE}
# The binary to copy, relative to the build context (the repository).
ARG BIN=target/release/oneway
COPY ${BIN} /usr/local/bin/oneway
# The services idle; the lab runs its programs with `docker compose exec`.
CMD ["sleep", "infinity"]
