#!/usr/bin/env bash
# Builds a local Docker image that runs a JVM chat server, without any registry: the image is a
# filesystem made of this machine's JDK, the shared libraries `ldd` says it needs, and the given files
# under /app, imported with `docker import`.
#
#   build-image.sh TAG FILE...
#
#   TAG    the image tag, for example obrol/server:local
#   FILE   jars or class directories copied into /app (a directory keeps its name)
#
# Example (the reference server, as .ci/run does):
#   conformance-tests/src/test/docker/build-image.sh obrol/server:local chat-server-api/target/obrol-server.jar
# and run it with: /opt/java/bin/java -jar /app/obrol-server.jar --port PORT (host networking).
#
# Environment: JAVA_HOME_FOR_IMAGE (default /usr/lib/jvm/java-17-openjdk-amd64), DOCKER (default: docker).
set -euo pipefail

if [ "$#" -lt 2 ]; then
  echo "usage: $0 TAG FILE..." >&2
  exit 2
fi
tag="$1"; shift
jdk="${JAVA_HOME_FOR_IMAGE:-/usr/lib/jvm/java-17-openjdk-amd64}"
docker="${DOCKER:-docker}"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/opt" "$root/app" "$root/tmp" "$root/etc"
chmod 1777 "$root/tmp"
# The JDK, symlinks resolved (its conf/ points into /etc/java-17-openjdk); jmods, man pages and dangling
# links (src.zip without the source package) are left out.
mkdir -p "$root/opt/java"
excludes=(--exclude=./jmods --exclude=./man)
while IFS= read -r broken; do
  excludes+=("--exclude=$broken")
done < <(cd "$jdk" && find -L . -type l)
tar -C "$jdk" -ch "${excludes[@]}" . | tar -C "$root/opt/java" -x

# Every shared library the launcher and the JDK's own libraries need, at the same paths.
{
  ldd "$root/opt/java/bin/java"
  find "$root/opt/java/lib" -name '*.so' -exec ldd {} \; 2>/dev/null
} | awk '/=> \// { print $3 } /^\s*\/.*ld-linux/ { print $1 }' | sort -u | while read -r lib; do
  [ -e "$lib" ] || continue
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
# The dynamic loader lives under /lib64 on x86-64.
if [ -e /lib64/ld-linux-x86-64.so.2 ]; then
  mkdir -p "$root/lib64"
  cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
fi

printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$root/etc/hosts"

for f in "$@"; do
  cp -rL "$f" "$root/app/"
done

tar -C "$root" -c . | "$docker" import \
  --change 'ENV PATH=/opt/java/bin' \
  --change 'ENV JAVA_HOME=/opt/java' \
  --change 'WORKDIR /app' \
  - "$tag" > /dev/null
echo "built $tag"
