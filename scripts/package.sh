#!/usr/bin/env bash
# Builds target/actionlog-<version>-linux-x64.tar.gz: the jar, a Java runtime made by jlink with only the modules
# the server needs (jdeps finds them), bin/actionlog, conf/config.json, the systemd unit, INSTALL.md and
# CHANGELOG.md, and a class-data-sharing archive recorded from a short run of the packaged server.
#   scripts/package.sh            build the jar first (mvn package, tests skipped)
#   scripts/package.sh --no-build package target/actionlog.jar as it is
# jlink comes from JAVA_HOME, else from the javac on PATH; it must be a JDK 17, the release the jar is built for.
set -euo pipefail
cd "$(dirname "$0")/.."

[ "${1:-}" = "--no-build" ] || mvn -B -q -DskipTests package
jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
"$jdk/bin/java" -version 2>&1 | grep -q 'version "17' || { echo "package: $jdk is not a JDK 17" >&2; exit 1; }
version=$(sed -n 's/^version=//p' target/classes/actionlog-version.properties)
name=actionlog-$version
stage=target/package/$name
rm -rf target/package target/actionlog-*-linux-x64.tar.gz && mkdir -p "$stage"/{bin,lib,conf,systemd}

# Modules: what jdeps finds in the classes, plus what only services reach: elliptic-curve TLS (jdk.crypto.ec)
# and the DNS name service (jdk.naming.dns). Less java.desktop (a third of the runtime): only JNA's window and
# keyboard helpers and an optional bean annotation of Jackson refer to it, and the server loads none of them.
modules=$("$jdk/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 target/actionlog.jar)
modules="$(echo "$modules" | tr ',' '\n' | grep -vx 'java.desktop' | paste -sd,),jdk.crypto.ec,jdk.naming.dns"
echo "package: modules $modules"
# No compression: the runtime's classes load faster uncompressed, and the tarball is compressed anyway.
"$jdk/bin/jlink" --add-modules "$modules" --output "$stage/runtime" --strip-debug --no-header-files \
  --no-man-pages --generate-cds-archive

cp target/actionlog.jar "$stage/lib/"
cp dist/bin/actionlog "$stage/bin/"
cp conf/config.json "$stage/conf/"
cp dist/systemd/actionlog.service "$stage/systemd/"
cp dist/INSTALL.md CHANGELOG.md "$stage/"

scripts/cds-archive.sh "$stage"

# Owned by root and writable by no one else, whoever builds it and with whatever umask: root unpacking the tarball
# (INSTALL.md) keeps the owners and modes written in it, and the service runs these files.
tar -C target/package --owner=0 --group=0 --numeric-owner --mode=go-w -czf "target/$name-linux-x64.tar.gz" "$name"
ls -l "target/$name-linux-x64.tar.gz" | awk '{print "package: " $NF " (" $5 " bytes)"}'
