# SPDX-License-Identifier: Apache-2.0
# Shell helpers the scripts share (source it: . scripts/lib.sh).

# A TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
