#!/usr/bin/env bash
# Fetch the real Mermaid renderer for tests/test_mermaid_browser.py: the one self-contained
# file dist/mermaid.min.js (MIT) from the pinned npm release, checked against its sha256.
# `npm pack` downloads just the package tarball, none of its dependencies.
set -euo pipefail
cd "$(dirname "$0")"
VERSION=12.3.0
SHA256=336df803d87a38b70a01e736e666c8f7601d2ce42f5e47c8fafe5d721074b9a3
if [ -f mermaid.min.js ] && echo "$SHA256  mermaid.min.js" | sha256sum -c --status; then
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "mermaid@$VERSION" --silent >/dev/null && tar xzf "mermaid-$VERSION.tgz" package/dist/mermaid.min.js)
echo "$SHA256  $work/package/dist/mermaid.min.js" | sha256sum -c --status \
  || { echo "mermaid $VERSION: dist/mermaid.min.js does not match the pinned sha256" >&2; exit 1; }
mv "$work/package/dist/mermaid.min.js" mermaid.min.js
