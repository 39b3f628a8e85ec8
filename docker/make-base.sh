#!/usr/bin/env bash
# Builds the Dockerfile's base image locally, for machines that reach no image registry but do
# reach a Debian mirror: a Debian bookworm made by debootstrap (minbase variant), imported into
# Docker and tagged `debian:bookworm-slim`, the name the Dockerfile starts FROM, and
# `oneway-lab-base:bookworm`. Root only; needs debootstrap and a Docker engine.
#
#   sudo docker/make-base.sh           # does nothing when debian:bookworm-slim is already there
#   sudo docker/make-base.sh --force   # rebuilds it (never replaces an image pulled from a registry)
#
# The mirror is the one apt uses on this machine (first URIs/deb line of its sources), unless
# MIRROR is set.
set -euo pipefail
FORCE=0
[ "${1:-}" != --force ] || FORCE=1
say() { printf 'make-base: %s\n' "$*" >&2; }
die() { printf 'make-base: error: %s\n' "$*" >&2; exit 1; }

TAG=debian:bookworm-slim
OWN=oneway-lab-base:bookworm
if [ "$FORCE" = 0 ] && docker image inspect "$TAG" >/dev/null 2>&1; then
  say "$TAG is already there"
  exit 0
fi
if docker image inspect "$TAG" >/dev/null 2>&1 &&
  ! docker image inspect "$OWN" --format '{{.Id}}' 2>/dev/null | grep -qx "$(docker image inspect "$TAG" --format '{{.Id}}')"; then
  die "$TAG is an image from elsewhere; not replacing it"
fi
[ "$(id -u)" = 0 ] || die "needs root (debootstrap): sudo $0"
command -v debootstrap >/dev/null || die "needs debootstrap (apt-get install debootstrap)"

if [ -z "${MIRROR:-}" ]; then
  MIRROR=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2; exit}')
fi
if [ -z "${MIRROR:-}" ]; then
  MIRROR=$(grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
    awk '{for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' | head -n 1)
fi
MIRROR=${MIRROR:-http://deb.debian.org/debian}

DIR=$(mktemp -d "${TMPDIR:-/tmp}/oneway-base.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
say "debootstrap --variant=minbase bookworm from the apt mirror of this machine"
timeout 900 debootstrap --variant=minbase bookworm "$DIR/rootfs" "$MIRROR" >"$DIR/log" 2>&1 ||
  { tail -n 20 "$DIR/log" >&2; die "debootstrap failed"; }
# What bookworm-slim leaves out too: downloaded packages, package lists, docs, manuals.
rm -rf "$DIR"/rootfs/var/cache/apt/archives/*.deb "$DIR"/rootfs/var/lib/apt/lists/* \
  "$DIR"/rootfs/usr/share/doc/* "$DIR"/rootfs/usr/share/man/* "$DIR"/rootfs/usr/share/info/*
tar -C "$DIR/rootfs" -c . | docker import -c 'CMD ["bash"]' - "$OWN" >/dev/null
docker tag "$OWN" "$TAG"
say "made $OWN, tagged $TAG ($(docker image inspect "$TAG" --format '{{.Size}}') bytes)"
