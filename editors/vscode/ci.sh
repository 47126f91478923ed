#!/usr/bin/env bash
# CI for the VS Code extension: clean install from package-lock.json, compile the client, run
# the grammar and client tests, and package payerlex-policy-X.Y.Z.vsix.
# Needs only node >= 20 and npm (the machine image's); everything else comes from npm.
set -euo pipefail
cd "$(dirname "$0")"
start=$SECONDS

echo "== vscode extension: node $(node --version), npm $(npm --version)"
npm ci --no-audit --no-fund
npm run compile
npm test
npm run package
ls -l ./*.vsix

echo "== vscode extension: done in $((SECONDS - start)) s"
